package io.medes.invoker.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs helper commands (ip, mount, runc) with a hard time limit. A command that outlives its limit is
 * killed and reported; nothing here waits forever.
 */
public final class CommandRunner {
  /** Output kept from a command for error messages. */
  private static final int MAX_OUTPUT = 64 * 1024;

  private final Map<String, String> environment;

  /** @param environment variables added to every command's environment (e.g. PATH with CRIU first) */
  public CommandRunner(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** What a finished command left. */
  public record Result(List<String> command, int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs a command, stdout and stderr merged and captured, and returns whatever its exit code. */
  public Result run(List<String> command, Duration timeout) throws SandboxRuntimeException {
    return run(command, null, timeout);
  }

  /** Runs a command with {@code stdin} fed to it. */
  public Result run(List<String> command, byte[] stdin, Duration timeout) throws SandboxRuntimeException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(environment);
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process p = start(pb, command);
    try {
      if (stdin != null) {
        try (var in = p.getOutputStream()) {
          in.write(stdin);
        }
      }
      OutputCollector out = new OutputCollector(p.getInputStream());
      out.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        throw new SandboxRuntimeException("command timed out after " + timeout + ": " + String.join(" ", command)
            + "\n" + out.text());
      }
      out.join(TimeUnit.SECONDS.toMillis(5));
      return new Result(command, p.exitValue(), out.text());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new SandboxRuntimeException("interrupted while running " + String.join(" ", command), e);
    } catch (IOException e) {
      p.destroyForcibly();
      throw new SandboxRuntimeException("cannot feed input to " + String.join(" ", command), e);
    }
  }

  /** Runs a command and fails with its output unless it exits 0. */
  public String check(List<String> command, Duration timeout) throws SandboxRuntimeException {
    Result r = run(command, timeout);
    if (!r.ok()) {
      throw new SandboxRuntimeException(
          "command failed (exit " + r.exitCode() + "): " + String.join(" ", command) + "\n" + r.output().strip());
    }
    return r.output();
  }

  /**
   * Runs a command whose children outlive it (runc run -d, runc restore -d): their stdio is
   * {@code /dev/null}, never a pipe the children would keep open, never a file that grows (CRIU refuses to
   * restore a file whose size changed since the dump). Diagnostics must go to a log file the command
   * writes itself.
   */
  public int runDetached(List<String> command, Duration timeout) throws SandboxRuntimeException {
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(environment);
    Process p = start(pb, command);
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        throw new SandboxRuntimeException("command timed out after " + timeout + ": " + String.join(" ", command));
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new SandboxRuntimeException("interrupted while running " + String.join(" ", command), e);
    }
  }

  private static Process start(ProcessBuilder pb, List<String> command) throws SandboxRuntimeException {
    try {
      return pb.start();
    } catch (IOException e) {
      throw new SandboxRuntimeException("cannot start " + String.join(" ", command), e);
    }
  }

  /** Drains a process's output on its own thread so a chatty command never blocks on a full pipe. */
  private static final class OutputCollector extends Thread {
    private final InputStream in;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    OutputCollector(InputStream in) {
      super("command-output");
      setDaemon(true);
      this.in = in;
    }

    @Override
    public void run() {
      byte[] chunk = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(chunk)) >= 0) {
          synchronized (buffer) {
            if (buffer.size() < MAX_OUTPUT) buffer.write(chunk, 0, Math.min(n, MAX_OUTPUT - buffer.size()));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String text() {
      synchronized (buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
