package io.medes.invoker.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The invoker extension's configuration ({@code whisk.medes.invoker}), validated at construction.
 *
 * @param backend which {@link SandboxRuntime} runs sandboxes
 * @param checkpointRoot tmpfs directory for checkpoint images
 * @param runRoot tmpfs directory for per-sandbox runtime files (runc backend)
 * @param rootfsCache directory of extracted image root file systems (runc backend)
 * @param dockerHost Docker Engine endpoint
 * @param actionPort port of the action runtime inside a sandbox
 * @param runcBinary the runc executable
 * @param runcStateRoot runc's {@code --root}
 * @param criuBinary the CRIU executable runc must use
 * @param cgroupParent parent cgroup of the runc sandboxes
 * @param pidsLimit processes per sandbox
 * @param bridge bridge name for runc sandboxes
 * @param subnet sandbox subnet
 * @param commandTimeout bound of a helper command
 * @param initTimeout bound of {@code /init}
 * @param checkpointTimeout bound of one checkpoint
 * @param restoreTimeout bound of one restore
 * @param dockerTimeout bound of one Docker API call
 */
public record InvokerSettings(
    Backend backend,
    Path checkpointRoot,
    Path runRoot,
    Path rootfsCache,
    String dockerHost,
    Path dockerTempDir,
    int actionPort,
    Path runcBinary,
    Path runcStateRoot,
    Path criuBinary,
    String cgroupParent,
    int pidsLimit,
    String bridge,
    Subnet subnet,
    Duration commandTimeout,
    Duration initTimeout,
    Duration checkpointTimeout,
    Duration restoreTimeout,
    Duration dockerTimeout) {

  /** The configuration path of these settings. */
  public static final String PATH = "whisk.medes.invoker";

  /** The sandbox backends. */
  public enum Backend {
    RUNC,
    DOCKER;

    public static Backend parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            PATH + ".backend must be 'runc' or 'docker', got '" + value + "'", e);
      }
    }

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public InvokerSettings {
    Objects.requireNonNull(backend, "backend");
    requireAbsolute("checkpoint-root", checkpointRoot);
    requireAbsolute("run-root", runRoot);
    requireAbsolute("rootfs-cache", rootfsCache);
    requireAbsolute("docker-temp-dir", dockerTempDir);
    requireAbsolute("runc.binary", runcBinary);
    requireAbsolute("runc.state-root", runcStateRoot);
    requireAbsolute("runc.criu-binary", criuBinary);
    if (dockerHost == null || !(dockerHost.startsWith("unix://") || dockerHost.startsWith("tcp://"))) {
      throw new IllegalArgumentException(PATH + ".docker-host must be unix:///... or tcp://..., got '" + dockerHost + "'");
    }
    if (actionPort < 1 || actionPort > 65535) {
      throw new IllegalArgumentException(PATH + ".action-port out of range: " + actionPort);
    }
    if (cgroupParent == null || !cgroupParent.matches("[a-zA-Z0-9_.-]+(/[a-zA-Z0-9_.-]+)*")) {
      throw new IllegalArgumentException(PATH + ".runc.cgroup-parent must be a relative cgroup path, got '" + cgroupParent + "'");
    }
    if (pidsLimit < 1) {
      throw new IllegalArgumentException(PATH + ".runc.pids-limit must be positive: " + pidsLimit);
    }
    if (bridge == null || !bridge.matches("[a-zA-Z0-9_.-]{1,15}")) {
      throw new IllegalArgumentException(PATH + ".network.bridge must be a Linux interface name (<= 15 chars), got '" + bridge + "'");
    }
    Objects.requireNonNull(subnet, "subnet");
    requirePositive("timeouts.command", commandTimeout);
    requirePositive("timeouts.init", initTimeout);
    requirePositive("timeouts.checkpoint", checkpointTimeout);
    requirePositive("timeouts.restore", restoreTimeout);
    requirePositive("timeouts.docker", dockerTimeout);
  }

  /** Reads and validates {@code whisk.medes.invoker} from a loaded configuration. */
  public static InvokerSettings from(Config root) {
    try {
      Config c = root.getConfig(PATH);
      return new InvokerSettings(
          Backend.parse(c.getString("backend")),
          Path.of(c.getString("checkpoint-root")),
          Path.of(c.getString("run-root")),
          Path.of(c.getString("rootfs-cache")),
          c.getString("docker-host"),
          Path.of(c.getString("docker-temp-dir")),
          c.getInt("action-port"),
          Path.of(c.getString("runc.binary")),
          Path.of(c.getString("runc.state-root")),
          Path.of(c.getString("runc.criu-binary")),
          c.getString("runc.cgroup-parent"),
          c.getInt("runc.pids-limit"),
          c.getString("network.bridge"),
          Subnet.parse(c.getString("network.subnet")),
          c.getDuration("timeouts.command"),
          c.getDuration("timeouts.init"),
          c.getDuration("timeouts.checkpoint"),
          c.getDuration("timeouts.restore"),
          c.getDuration("timeouts.docker"));
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid " + PATH + " configuration: " + e.getMessage(), e);
    }
  }

  /** The same settings with another backend (the bench compares both). */
  public InvokerSettings withBackend(Backend other) {
    return new InvokerSettings(other, checkpointRoot, runRoot, rootfsCache, dockerHost, dockerTempDir, actionPort, runcBinary,
        runcStateRoot, criuBinary, cgroupParent, pidsLimit, bridge, subnet, commandTimeout, initTimeout,
        checkpointTimeout, restoreTimeout, dockerTimeout);
  }

  /** The same settings with other tmpfs roots (tests isolate themselves this way). */
  public InvokerSettings withRoots(Path checkpoints, Path run) {
    return new InvokerSettings(backend, checkpoints, run, rootfsCache, dockerHost, dockerTempDir, actionPort, runcBinary,
        runcStateRoot, criuBinary, cgroupParent, pidsLimit, bridge, subnet, commandTimeout, initTimeout,
        checkpointTimeout, restoreTimeout, dockerTimeout);
  }

  /** The same settings with other bounds for restores and Docker API calls (tests of hanging restores). */
  public InvokerSettings withRestoreTimeouts(Duration restore, Duration docker) {
    return new InvokerSettings(backend, checkpointRoot, runRoot, rootfsCache, dockerHost, dockerTempDir, actionPort, runcBinary,
        runcStateRoot, criuBinary, cgroupParent, pidsLimit, bridge, subnet, commandTimeout, initTimeout,
        checkpointTimeout, restore, docker);
  }

  /** Fails with a message naming the missing piece if an external binary the backend needs is absent. */
  public void requireBinaries() {
    if (backend == Backend.RUNC) {
      requireExecutable("runc.binary", runcBinary);
    }
    requireExecutable("runc.criu-binary", criuBinary);
  }

  private static void requireExecutable(String key, Path p) {
    if (!Files.isExecutable(p)) {
      throw new IllegalStateException(PATH + "." + key + " = " + p + " is not an executable file"
          + (key.contains("criu") ? " (scripts/setup installs CRIU 4.2.1 at /opt/criu/sbin/criu)" : ""));
    }
  }

  private static void requireAbsolute(String key, Path p) {
    if (p == null || !p.isAbsolute()) {
      throw new IllegalArgumentException(PATH + "." + key + " must be an absolute path, got '" + p + "'");
    }
  }

  private static void requirePositive(String key, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(PATH + "." + key + " must be a positive duration, got " + d);
    }
  }
}
