package io.medes.dedup.criu;

import io.medes.config.MedesConfig;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Python process running one of the test functions (src/test/resources/python-functions) in its
 * own pid namespace as session leader, stdio on /dev/null, as scripts/make-python-dumps.sh runs them;
 * and the CRIU commands the integration tests need.
 */
public final class PythonSandbox implements AutoCloseable {
  public static final Path PYTHON = Paths.get("/usr/bin/python3");

  private final Process launcher;
  private final long pid;

  private PythonSandbox(Process launcher, long pid) {
    this.launcher = launcher;
    this.pid = pid;
  }

  public static Path criu() {
    return Paths.get(MedesConfig.load().getString("whisk.medes.criu.binary"));
  }

  /** Whether this machine can run the CRIU tests: root, CRIU, python3 with numpy. */
  public static boolean available() {
    return "root".equals(System.getProperty("user.name")) && Files.isExecutable(criu()) && Files.isExecutable(PYTHON)
        && Files.isDirectory(Paths.get("/usr/lib/python3/dist-packages/numpy"));
  }

  public static Path functionsDir() {
    try {
      return Paths.get(PythonSandbox.class.getResource("/python-functions/runner.py").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts {@code function} and waits until its first activation is done; with a port it serves HTTP. */
  public static PythonSandbox start(String function, Path scratch, Integer port) throws IOException, InterruptedException {
    Path ready = scratch.resolve("ready-" + function + "-" + System.nanoTime());
    List<String> cmd = new ArrayList<>(List.of("unshare", "--pid", "--fork", "setsid", PYTHON.toString(),
        functionsDir().resolve("runner.py").toString(), functionsDir().resolve(function + ".py").toString(),
        ready.toString()));
    if (port != null) cmd.add(port.toString());
    Process launcher = new ProcessBuilder(cmd)
        .redirectInput(new File("/dev/null"))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(ready)) {
      if (!launcher.isAlive() || System.nanoTime() > deadline) {
        launcher.destroyForcibly();
        throw new IOException(function + " did not become ready (launcher alive: " + launcher.isAlive() + ")");
      }
      Thread.sleep(50);
    }
    return new PythonSandbox(launcher, childOf(launcher.pid()));
  }

  private static long childOf(long parent) throws IOException {
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Paths.get("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        String stat;
        try {
          stat = new String(Files.readAllBytes(proc.resolve("stat")), StandardCharsets.US_ASCII);
        } catch (IOException gone) {
          continue;
        }
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        if (Long.parseLong(fields[1]) == parent) return Long.parseLong(proc.getFileName().toString());
      }
    }
    throw new IOException("no child of launcher " + parent);
  }

  /** Host pid of the Python process (pid 1 of its namespace). */
  public long pid() {
    return pid;
  }

  /** Dumps the process tree to {@code dir}; without {@code leaveRunning} CRIU kills it. */
  public void dump(Path dir, boolean leaveRunning) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>(List.of(criu().toString(), "dump", "-t", Long.toString(pid), "-D", dir.toString(),
        "--log-file", dir.resolveSibling(dir.getFileName() + "-dump.log").toString(), "-v2"));
    if (leaveRunning) cmd.add("--leave-running");
    run(cmd, "criu dump of " + pid);
    if (!leaveRunning) launcher.waitFor(10, TimeUnit.SECONDS);
  }

  /** Restores a dump detached (the tree keeps running after CRIU exits); returns the host pid. */
  public static long restoreDetached(Path dir, Path log) throws IOException, InterruptedException {
    Path pidFile = log.resolveSibling(log.getFileName() + ".pid");
    run(List.of(criu().toString(), "restore", "-D", dir.toString(), "-d", "--pidfile", pidFile.toString(),
        "--log-file", log.toString(), "-v2"), "criu restore of " + dir);
    return Long.parseLong(new String(Files.readAllBytes(pidFile), StandardCharsets.US_ASCII).trim());
  }

  static void run(List<String> cmd, String what) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
    byte[] output = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(what + " failed: " + new String(output, StandardCharsets.UTF_8) + " " + cmd);
    }
  }

  @Override
  public void close() {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    launcher.destroyForcibly();
  }
}
