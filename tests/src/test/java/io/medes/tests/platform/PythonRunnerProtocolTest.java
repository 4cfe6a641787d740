package io.medes.tests.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * runtime-patches/python3-action/runner.py, run with the host's Debian python3, answers the OpenWhisk
 * action protocol over real HTTP.
 */
@Tag("integration")
class PythonRunnerProtocolTest {
  @TempDir Path work;
  private Process runner;
  private Path stdout;
  private Path stderr;

  @AfterEach
  void stopRunner() throws InterruptedException {
    if (runner != null) {
      runner.destroyForcibly();
      runner.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private RunnerClient startRunner() throws IOException, InterruptedException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    stdout = work.resolve("stdout.log");
    stderr = work.resolve("stderr.log");
    ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "-u", runnerScript().toString())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile());
    builder.environment().put("MEDES_RUNNER_HOST", "127.0.0.1");
    builder.environment().put("MEDES_RUNNER_PORT", Integer.toString(port));
    runner = builder.start();
    RunnerClient client = new RunnerClient("127.0.0.1", port);
    client.awaitListening(Duration.ofSeconds(20));
    return client;
  }

  static Path runnerScript() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("runtime-patches/python3-action/runner.py");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("runtime-patches/python3-action/runner.py not found above " + Path.of("").toAbsolutePath());
  }

  @Test
  void initThenRunReturnsTheResultAndSetsOpenWhiskEnvironment() throws Exception {
    RunnerClient client = startRunner();
    String code = String.join("\n",
        "import os",
        "def handler(params):",
        "    print('log line from the action')",
        "    return {'echo': params, 'namespace': os.environ.get('__OW_NAMESPACE'),",
        "            'activation': os.environ.get('__OW_ACTIVATION_ID'), 'custom': os.environ.get('CUSTOM')}",
        "");

    RunnerClient.Response init = client.post("/init", Map.of("value", Map.of(
        "name", "echo", "main", "handler", "code", code, "binary", false, "env", Map.of("CUSTOM", "yes"))));
    RunnerClient.Response run = client.post("/run", Map.of(
        "value", Map.of("n", 7), "namespace", "guest", "action_name", "/guest/echo",
        "activation_id", "0123456789abcdef0123456789abcdef", "transaction_id", "tid",
        "deadline", "1700000000000"));

    assertThat(init.status).isEqualTo(200);
    assertThat(init.body.get("ok").asBoolean()).isTrue();
    assertThat(run.status).as("run body %s", run.body).isEqualTo(200);
    assertThat(run.body.get("echo").get("n").asInt()).isEqualTo(7);
    assertThat(run.body.get("namespace").asText()).isEqualTo("guest");
    assertThat(run.body.get("activation").asText()).isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(run.body.get("custom").asText()).isEqualTo("yes");
    assertThat(client.post("/init", Map.of("value", Map.of("code", code))).status)
        .as("a second /init is refused").isEqualTo(403);
    awaitSentinels(3);
    assertThat(Files.readString(stdout)).contains("log line from the action\n" + RunnerClient.SENTINEL);
  }

  @Test
  void zipActionWithMainModuleRuns() throws Exception {
    RunnerClient client = startRunner();
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      out.putNextEntry(new ZipEntry("helper.py"));
      out.write("def double(x):\n    return 2 * x\n".getBytes(StandardCharsets.UTF_8));
      out.putNextEntry(new ZipEntry("__main__.py"));
      out.write("import helper\ndef main(p):\n    return {'doubled': helper.double(p['x'])}\n"
          .getBytes(StandardCharsets.UTF_8));
    }
    String binary = Base64.getEncoder().encodeToString(zip.toByteArray());

    RunnerClient.Response init = client.post("/init", Map.of("value", Map.of(
        "name", "zipped", "main", "main", "code", binary, "binary", true)));
    RunnerClient.Response run = client.post("/run", Map.of("value", Map.of("x", 21)));

    assertThat(init.status).as("init body %s", init.body).isEqualTo(200);
    assertThat(run.status).isEqualTo(200);
    assertThat(run.body.get("doubled").asInt()).isEqualTo(42);
  }

  @Test
  void actionErrorsAreReportedAs502WithAnErrorField() throws Exception {
    RunnerClient client = startRunner();
    String code = "def main(p):\n    if p.get('fail'):\n        raise ValueError('bad input')\n    return p.get('value')\n";

    RunnerClient.Response runBeforeInit = client.post("/run", Map.of("value", Map.of()));
    RunnerClient.Response init = client.post("/init", Map.of("value", Map.of("code", code)));
    RunnerClient.Response raised = client.post("/run", Map.of("value", Map.of("fail", true)));
    RunnerClient.Response notADict = client.post("/run", Map.of("value", Map.of("value", 5)));
    RunnerClient.Response malformed = client.post("/run", "{not json");

    assertThat(runBeforeInit.status).isEqualTo(502);
    assertThat(runBeforeInit.body.get("error").asText()).contains("uninitialized");
    assertThat(init.status).isEqualTo(200);
    assertThat(raised.status).isEqualTo(502);
    assertThat(raised.body.get("error").asText()).contains("ValueError").contains("bad input");
    assertThat(notADict.status).isEqualTo(502);
    assertThat(notADict.body.get("error").asText()).contains("did not return a dictionary");
    assertThat(malformed.status).isEqualTo(400);
    assertThat(malformed.body.has("error")).isTrue();
    awaitSentinels(5);
    assertThat(Files.readString(stderr)).contains("ValueError: bad input");
  }

  @Test
  void initWithoutTheMainFunctionFails() throws Exception {
    RunnerClient client = startRunner();

    RunnerClient.Response init = client.post("/init", Map.of("value", Map.of(
        "code", "def other(p):\n    return p\n", "main", "main")));
    RunnerClient.Response syntax = client.post("/init", Map.of("value", Map.of("code", "def main(:\n")));

    assertThat(init.status).isEqualTo(502);
    assertThat(init.body.get("error").asText()).contains("'main'");
    assertThat(syntax.status).as("a failed init leaves the runner uninitialised").isEqualTo(502);
    assertThat(syntax.body.get("error").asText()).contains("SyntaxError");
  }

  /** Every /init and /run ends with the sentinel on both streams (written after the reply is sent). */
  private void awaitSentinels(int expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      long out = count(Files.readString(stdout));
      long err = count(Files.readString(stderr));
      if ((out == expected && err == expected) || System.nanoTime() > deadline) {
        assertThat(List.of(out, err)).as("sentinels on stdout and stderr").containsExactly((long) expected, (long) expected);
        return;
      }
      Thread.sleep(20);
    }
  }

  private static long count(String text) {
    return text.lines().filter(RunnerClient.SENTINEL::equals).count();
  }
}
