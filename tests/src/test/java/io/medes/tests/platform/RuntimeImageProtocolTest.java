package io.medes.tests.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The runtime images scripts/setup built start their runner as the image CMD, and it serves OpenWhisk's
 * /init and /run on port 8080 of the container, with sentinels in the container's log.
 */
@Tag("integration")
class RuntimeImageProtocolTest {
  private DockerClient docker;
  private final List<String> containers = new ArrayList<>();

  @BeforeEach
  void connect() {
    docker = DockerClients.connect(PlatformSettings.load());
  }

  @AfterEach
  void removeContainers() throws Exception {
    for (String id : containers) {
      docker.removeContainerCmd(id).withForce(true).exec();
    }
    docker.close();
  }

  @Test
  void pythonImageRunsAnActionUsingTheSampleLibraries() throws Exception {
    String id = startContainer("medes/python3-action");
    RunnerClient client = new RunnerClient(ipOf(id), 8080);
    client.awaitListening(Duration.ofSeconds(30));
    String code = String.join("\n",
        "import numpy, PIL, pandas, sklearn, chameleon, pyaes, cv2",
        "def main(params):",
        "    matrix = numpy.arange(params['n'] * params['n']).reshape(params['n'], params['n'])",
        "    return {'trace': int(numpy.trace(matrix)), 'pandas': pandas.__version__}",
        "");

    RunnerClient.Response init = client.post("/init", Map.of("value", Map.of(
        "name", "linalg", "main", "main", "code", code, "binary", false, "env", Map.of())));
    RunnerClient.Response run = client.post("/run", Map.of("value", Map.of("n", 4), "namespace", "guest"));

    assertThat(init.status).as("init body %s", init.body).isEqualTo(200);
    assertThat(run.status).as("run body %s", run.body).isEqualTo(200);
    assertThat(run.body.get("trace").asInt()).isEqualTo(0 + 5 + 10 + 15);
    assertThat(run.body.get("pandas").asText()).isNotBlank();
    assertThat(sentinelsInLog(id, StreamType.STDOUT)).isEqualTo(2);
    assertThat(sentinelsInLog(id, StreamType.STDERR)).isEqualTo(2);
  }

  @Test
  void pythonImageImportsTorch() throws Exception {
    String id = startContainer("medes/python3-action");
    RunnerClient client = new RunnerClient(ipOf(id), 8080);
    client.awaitListening(Duration.ofSeconds(30));

    RunnerClient.Response init = client.post("/init", Map.of("value", Map.of("code",
        "import torch\ndef main(p):\n    return {'sum': float(torch.ones(3, 4).sum())}\n")));
    RunnerClient.Response run = client.post("/run", Map.of("value", Map.of()));

    assertThat(init.status).as("init body %s", init.body).isEqualTo(200);
    assertThat(run.body.get("sum").asDouble()).isEqualTo(12.0);
  }

  @Test
  void nodejsImageRunsOpenWhiskInvokerHealthTestAction() throws Exception {
    String id = startContainer("medes/nodejs-action");
    RunnerClient client = new RunnerClient(ipOf(id), 8080);
    client.awaitListening(Duration.ofSeconds(30));

    // The action the controller's InvokerPool writes as whisk.system/invokerHealthTestAction<N>.
    RunnerClient.Response init = client.post("/init", Map.of("value", Map.of(
        "name", "invokerHealthTestAction0", "main", "main",
        "code", "function main(params) { return params; }", "binary", false)));
    RunnerClient.Response run = client.post("/run", Map.of(
        "value", Map.of("health", "check"), "namespace", "whisk.system",
        "activation_id", "00000000000000000000000000000001"));
    RunnerClient.Response again = client.post("/init", Map.of("value", Map.of("code", "function main(){}")));

    assertThat(init.status).as("init body %s", init.body).isEqualTo(200);
    assertThat(run.status).as("run body %s", run.body).isEqualTo(200);
    assertThat(run.body.get("health").asText()).isEqualTo("check");
    assertThat(again.status).isEqualTo(403);
    assertThat(sentinelsInLog(id, StreamType.STDOUT)).isEqualTo(3);
    assertThat(sentinelsInLog(id, StreamType.STDERR)).isEqualTo(3);
  }

  private String startContainer(String repository) {
    String image = DockerClients.newestImage(docker, repository);
    String id = docker.createContainerCmd(image).exec().getId();
    containers.add(id);
    docker.startContainerCmd(id).exec();
    return id;
  }

  private String ipOf(String id) {
    ContainerNetwork bridge = docker.inspectContainerCmd(id).exec().getNetworkSettings().getNetworks().get("bridge");
    assertThat(bridge).as("container %s is on the default bridge network", id).isNotNull();
    String ip = bridge.getIpAddress();
    assertThat(ip).as("container %s has a bridge address", id).isNotBlank();
    return ip;
  }

  /** Sentinel lines docker has logged on one stream so far; waits briefly for trailing lines. */
  private long sentinelsInLog(String id, StreamType stream) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long lastSeen = -1;
    while (System.nanoTime() < deadline) {
      StringBuilder text = new StringBuilder();
      docker.logContainerCmd(id).withStdOut(stream == StreamType.STDOUT).withStdErr(stream == StreamType.STDERR)
          .exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
              text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
          })
          .awaitCompletion(30, TimeUnit.SECONDS);
      long seen = text.toString().lines().filter(RunnerClient.SENTINEL::equals).count();
      if (seen == lastSeen) {
        return seen;
      }
      lastSeen = seen;
      Thread.sleep(200);
    }
    return lastSeen;
  }
}
