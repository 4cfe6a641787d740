package io.medes.tests.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRIU that scripts/setup built works on this kernel: a real process in its own pid namespace is
 * dumped, killed, restored, and carries on from the memory state it had.
 */
@Tag("integration")
class CriuTest {
  /**
   * A TCP service whose state lives only in memory: a random token drawn at start and a counter of
   * answered connections. Its own session (setsid) so the dumped tree owns its session and process group.
   */
  private static final String COUNTER_SERVICE = String.join("\n",
      "import os, socket, sys",
      "os.setsid()",
      "token = os.urandom(16).hex()",
      "answered = 0",
      "listener = socket.socket()",
      "listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
      "listener.bind(('127.0.0.1', int(sys.argv[1])))",
      "listener.listen(8)",
      "while True:",
      "    connection, _ = listener.accept()",
      "    connection.sendall(('%s %d %d\\n' % (token, answered, os.getpid())).encode())",
      "    connection.close()",
      "    answered += 1",
      "");
  private static final Duration STARTUP_DEADLINE = Duration.ofSeconds(20);

  @TempDir Path work;

  private final List<Process> children = new ArrayList<>();
  private final List<Long> restoredPids = new ArrayList<>();

  @AfterEach
  void stopEverythingStarted() throws InterruptedException {
    for (long pid : restoredPids) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    for (Process child : children) {
      child.descendants().forEach(ProcessHandle::destroyForcibly);
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void criuCheckLooksGood() throws Exception {
    Path criu = PlatformSettings.load().requireCriu();

    ProcessRunner.Result check = ProcessRunner.run(List.of(criu.toString(), "check"), 60);

    assertThat(check.output).as("criu check output").contains("Looks good");
    assertThat(check.exitCode).as("criu check exit code; output:%n%s", check.output).isZero();
  }

  @Test
  void restoredProcessContinuesFromItsDumpedMemoryState() throws Exception {
    Path criu = PlatformSettings.load().requireCriu();
    int port = freeLoopbackPort();
    Process namespace = start(List.of("unshare", "--pid", "--fork",
        "/usr/bin/python3", "-I", "-c", COUNTER_SERVICE, Integer.toString(port)));
    long servicePid = awaitOnlyChild(namespace);
    Reply first = awaitReply(port);
    Reply second = query(port);
    assertThat(first.answeredBefore).isZero();
    assertThat(second.token).isEqualTo(first.token);
    assertThat(second.answeredBefore).isEqualTo(1);
    assertThat(second.pidInNamespace).as("service is the init of its own pid namespace").isEqualTo(1);

    Path images = Files.createDirectory(work.resolve("images"));
    ProcessRunner.Result dump = ProcessRunner.run(List.of(criu.toString(), "dump",
        "-t", Long.toString(servicePid), "-D", images.toString(), "-o", "dump.log", "-v4"), 120);
    assertThat(dump.exitCode).as("criu dump failed:%n%s", tail(images.resolve("dump.log"))).isZero();
    assertThat(namespace.waitFor(10, TimeUnit.SECONDS))
        .as("a dump without --leave-running kills the dumped tree, so unshare exits").isTrue();
    assertThatThrownBy(() -> query(port)).as("nothing listens once the service is dumped")
        .isInstanceOf(ConnectException.class);

    Path pidFile = images.resolve("restored.pid");
    // Without -d criu stays the parent of the restored tree and reaps it; PID 1 here may not reap.
    Process restore = start(List.of(criu.toString(), "restore", "-D", images.toString(),
        "-o", "restore.log", "-v4", "--pidfile", pidFile.toString()));
    long restoredPid = awaitPidFile(pidFile, restore, images.resolve("restore.log"));
    restoredPids.add(restoredPid);

    Reply afterRestore = awaitReply(port);
    Reply later = query(port);
    assertThat(afterRestore.token).as("the random token drawn before the dump").isEqualTo(first.token);
    assertThat(afterRestore.answeredBefore).as("the counter resumes where it stood at the dump").isEqualTo(2);
    assertThat(later.answeredBefore).isEqualTo(3);
    assertThat(afterRestore.pidInNamespace).isEqualTo(1);
    assertThat(ProcessHandle.of(restoredPid)).as("restored process %d is alive", restoredPid).isPresent();
    Optional<String> command = ProcessHandle.of(restoredPid).flatMap(p -> p.info().command());
    assertThat(command).hasValueSatisfying(c -> assertThat(c).contains("python3"));
  }

  private Process start(List<String> command) throws IOException {
    // stdio on /dev/null: CRIU cannot restore a process whose stdout is a file that grew after the dump.
    Process process = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    children.add(process);
    return process;
  }

  private static long awaitOnlyChild(Process parent) throws InterruptedException {
    Instant deadline = Instant.now().plus(STARTUP_DEADLINE);
    while (Instant.now().isBefore(deadline)) {
      Optional<ProcessHandle> child = parent.children().findFirst();
      if (child.isPresent()) {
        return child.get().pid();
      }
      if (!parent.isAlive()) {
        throw new IllegalStateException("unshare exited with " + parent.exitValue() + " before forking");
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("unshare forked no child within " + STARTUP_DEADLINE);
  }

  private static long awaitPidFile(Path pidFile, Process restore, Path log)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(STARTUP_DEADLINE);
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(pidFile)) {
        String text = Files.readString(pidFile).trim();
        if (!text.isEmpty()) {
          return Long.parseLong(text);
        }
      }
      if (!restore.isAlive()) {
        throw new IllegalStateException(
            "criu restore exited with " + restore.exitValue() + " before writing its pid file:\n" + tail(log));
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("criu restore wrote no pid file within " + STARTUP_DEADLINE + ":\n" + tail(log));
  }

  /** What the service answers: its token, how many connections it answered before, its pid. */
  private static final class Reply {
    final String token;
    final int answeredBefore;
    final int pidInNamespace;

    Reply(String line) {
      String[] fields = line.trim().split(" ");
      if (fields.length != 3) {
        throw new IllegalStateException("unexpected reply '" + line + "'");
      }
      token = fields[0];
      answeredBefore = Integer.parseInt(fields[1]);
      pidInNamespace = Integer.parseInt(fields[2]);
    }
  }

  private static Reply awaitReply(int port) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(STARTUP_DEADLINE);
    while (true) {
      try {
        return query(port);
      } catch (ConnectException notYetListening) {
        if (Instant.now().isAfter(deadline)) {
          throw notYetListening;
        }
        Thread.sleep(20);
      }
    }
  }

  private static Reply query(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout(10_000);
      try (InputStream in = socket.getInputStream()) {
        // Read to EOF: the service has closed its end before the next dump, so no connection is live.
        return new Reply(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
      }
    }
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }
}
