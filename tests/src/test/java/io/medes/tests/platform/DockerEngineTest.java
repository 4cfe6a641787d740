package io.medes.tests.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Docker engine answers over its API and runs the python runtime image scripts/setup built. */
@Tag("integration")
class DockerEngineTest {
  private DockerClient docker;
  private String containerId;

  @BeforeEach
  void connect() {
    docker = DockerClients.connect(PlatformSettings.load());
  }

  @AfterEach
  void removeContainer() throws Exception {
    if (containerId != null) {
      docker.removeContainerCmd(containerId).withForce(true).exec();
    }
    docker.close();
  }

  @Test
  void pythonRuntimeImageRunsNumpyFromDebian() throws Exception {
    String image = DockerClients.newestImage(docker, "medes/python3-action");
    CreateContainerResponse created = docker.createContainerCmd(image)
        .withName("medes-docker-engine-test-" + ProcessHandle.current().pid())
        .exec();
    containerId = created.getId();
    docker.startContainerCmd(containerId).exec();

    ExecOutput numpy = exec(List.of("python3", "-c", "import numpy; print(numpy.__version__)"));
    // The image and the host install the same Debian bookworm python3-numpy package.
    ProcessRunner.Result host = ProcessRunner.run(
        List.of("/usr/bin/python3", "-c", "import numpy; print(numpy.__version__)"), 60);

    assertThat(numpy.exitCode).as("exec exit code, stderr: %s", numpy.stderr).isZero();
    assertThat(numpy.stdout.trim()).matches("\\d+\\.\\d+\\.\\d+").isEqualTo(host.output.trim());
    assertThat(docker.inspectContainerCmd(containerId).exec().getState().getRunning())
        .as("the runtime server (image CMD) keeps the container running").isTrue();
  }

  private static final class ExecOutput {
    final long exitCode;
    final String stdout;
    final String stderr;

    ExecOutput(long exitCode, String stdout, String stderr) {
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
    }
  }

  private ExecOutput exec(List<String> command) throws InterruptedException {
    String execId = docker.execCreateCmd(containerId)
        .withCmd(command.toArray(new String[0]))
        .withAttachStdout(true)
        .withAttachStderr(true)
        .exec()
        .getId();
    StringBuilder stdout = new StringBuilder();
    StringBuilder stderr = new StringBuilder();
    ResultCallback.Adapter<Frame> collector = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
        (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).append(text);
      }
    };
    boolean finished = docker.execStartCmd(execId).exec(collector).awaitCompletion(120, TimeUnit.SECONDS);
    assertThat(finished).as("exec %s finished within 120 s", command).isTrue();
    Long exitCode = docker.inspectExecCmd(execId).exec().getExitCodeLong();
    return new ExecOutput(exitCode == null ? -1 : exitCode, stdout.toString(), stderr.toString());
  }
}
