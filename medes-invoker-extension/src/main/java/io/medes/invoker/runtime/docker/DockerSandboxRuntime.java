package io.medes.invoker.runtime.docker;

import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.transport.DockerHttpClient.Request.Method;
import io.medes.invoker.runtime.CommandRunner;
import io.medes.invoker.runtime.HostChecks;
import io.medes.invoker.runtime.InvokerSettings;
import io.medes.invoker.runtime.MemoryUsage;
import io.medes.invoker.runtime.Mounts;
import io.medes.invoker.runtime.OpenConnections;
import io.medes.invoker.runtime.ProcessMemory;
import io.medes.invoker.runtime.SandboxHandle;
import io.medes.invoker.runtime.SandboxRuntime;
import io.medes.invoker.runtime.SandboxRuntimeException;
import io.medes.invoker.runtime.SandboxSpec;
import io.medes.invoker.snapshot.PlainCriuSnapshotStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandboxes as Docker containers, driven through the Engine API (docker-java, plus raw calls for the
 * checkpoint endpoints docker-java lacks). The comparison point for the runc backend and the path
 * for hosts where the invoker must stay a plain Docker client.
 *
 * <p>Docker keeps checkpoints under {@code <DockerRootDir>/containers/<id>/checkpoints/<name>/} and
 * refuses custom checkpoint directories on start, so a checkpoint is moved out of there into the image
 * directory the state machine gave (where the snapshot store can work on it), and a restore copies it
 * back and starts the stopped container from it.
 */
public final class DockerSandboxRuntime implements SandboxRuntime {
  private static final Logger log = LoggerFactory.getLogger(DockerSandboxRuntime.class);
  /** Label on every container this backend creates, for cleanup. */
  public static final String LABEL = "io.medes.sandbox";

  private final InvokerSettings settings;
  private final DockerEngine engine;
  private final Path dockerRoot;
  private final ProcessMemory memory = new ProcessMemory();
  private final CommandRunner commands = new CommandRunner(Map.of());
  private final Map<String, String> containers = new ConcurrentHashMap<>();
  private final Object restoreLock = new Object();
  private final AtomicLong sequence = new AtomicLong();
  /** How long a pause waits for the runtime to close the last request's connection. */
  private static final java.time.Duration QUIESCE = java.time.Duration.ofMillis(50);

  public DockerSandboxRuntime(InvokerSettings settings) {
    HostChecks.warnOnce(settings);
    this.settings = settings;
    this.engine = new DockerEngine(settings.dockerHost(), settings.dockerTimeout());
    String root;
    try {
      root = engine.timed("docker info", () -> engine.client().infoCmd().exec()).getDockerRootDir();
    } catch (SandboxRuntimeException | RuntimeException e) {
      engine.close();
      throw new IllegalStateException("cannot reach the Docker engine at " + settings.dockerHost() + " (is dockerd running?)", e);
    }
    this.dockerRoot = Path.of(root == null ? "/var/lib/docker" : root);
  }

  @Override
  public String name() {
    return "docker";
  }

  @Override
  public SandboxHandle create(SandboxSpec spec) throws SandboxRuntimeException {
    String id = createContainer(spec);
    try {
      engine.timed("start sandbox " + spec.sandboxId(), () -> engine.client().startContainerCmd(id).exec());
      return handle(spec, id);
    } catch (SandboxRuntimeException e) {
      destroy(spec);
      throw e;
    } catch (RuntimeException e) {
      destroy(spec);
      throw new SandboxRuntimeException("cannot start sandbox " + spec.sandboxId() + " from " + spec.image(), e);
    }
  }

  /** Creates (does not start) the sandbox's container: OpenWhisk's limits, bridge network. */
  private String createContainer(SandboxSpec spec) throws SandboxRuntimeException {
    long limit = (long) spec.memoryLimitMb() * 1024 * 1024;
    List<String> env = new ArrayList<>();
    spec.environment().forEach((k, v) -> env.add(k + "=" + v));
    HostConfig host = HostConfig.newHostConfig()
        .withMemory(limit)
        .withMemorySwap(limit)
        .withNetworkMode("bridge")
        .withPidsLimit(1024L)
        .withUlimits(List.of(new Ulimit("nofile", 1024L, 1024L)))
        .withCapDrop(Capability.NET_RAW, Capability.NET_ADMIN);
    try {
      CreateContainerResponse created = engine.timed("create sandbox " + spec.sandboxId(), () -> engine.client().createContainerCmd(spec.image())
          .withName(containerName(spec))
          .withEnv(env)
          .withLabels(Map.of(LABEL, spec.sandboxId()))
          .withHostConfig(host)
          .exec());
      containers.put(spec.sandboxId(), created.getId());
      return created.getId();
    } catch (NotFoundException e) {
      throw new SandboxRuntimeException("cannot create sandbox " + spec.sandboxId() + ": image " + spec.image() + " not found", e);
    } catch (RuntimeException e) {
      throw new SandboxRuntimeException("cannot create sandbox " + spec.sandboxId() + " from " + spec.image(), e);
    }
  }

  @Override
  public void pause(SandboxHandle sandbox) throws SandboxRuntimeException {
    OpenConnections.awaitClosed(memory.cgroupProcesses(sandbox.rootPid()), QUIESCE);
    try {
      engine.timed("pause " + sandbox.spec().sandboxId(), () -> engine.client().pauseContainerCmd(sandbox.backendId()).exec());
    } catch (RuntimeException e) {
      throw new SandboxRuntimeException("cannot pause sandbox " + sandbox.spec().sandboxId(), e);
    }
  }

  @Override
  public void resume(SandboxHandle sandbox) throws SandboxRuntimeException {
    try {
      engine.timed("resume " + sandbox.spec().sandboxId(), () -> engine.client().unpauseContainerCmd(sandbox.backendId()).exec());
    } catch (RuntimeException e) {
      throw new SandboxRuntimeException("cannot resume sandbox " + sandbox.spec().sandboxId(), e);
    }
  }

  @Override
  public void checkpoint(SandboxHandle sandbox, Path imageDir, boolean leaveRunning) throws SandboxRuntimeException {
    String id = sandbox.backendId();
    String name = "medes-" + sequence.incrementAndGet();
    engine.call(Method.POST, "/containers/" + id + "/checkpoints",
        "{\"CheckpointID\":\"" + name + "\",\"Exit\":" + !leaveRunning + "}", "checkpoint of sandbox " + sandbox.spec().sandboxId());
    Path dockerCopy = dockerRoot.resolve("containers").resolve(id).resolve("checkpoints").resolve(name);
    try {
      copyDirectory(dockerCopy, imageDir);
    } catch (IOException e) {
      throw new SandboxRuntimeException("cannot move checkpoint " + dockerCopy + " to " + imageDir, e);
    } finally {
      PlainCriuSnapshotStore.deleteRecursively(dockerCopy);
    }
  }

  @Override
  public SandboxHandle restore(SandboxSpec spec, Path imageDir) throws SandboxRuntimeException {
    // The container the checkpoint exited stays (stopped) and is started again from the image; after an
    // invoker restart there is none and a new one of the same configuration is created.
    String known = containers.get(spec.sandboxId());
    String id = known != null ? known : createContainer(spec);
    String name = "medes-restore-" + sequence.incrementAndGet();
    Path dockerCopy = dockerRoot.resolve("containers").resolve(id).resolve("checkpoints").resolve(name);
    try {
      copyDirectory(imageDir, dockerCopy);
      startFromCheckpoint(spec, id, name);
      return handle(spec, id);
    } catch (IOException e) {
      destroy(spec);
      throw new SandboxRuntimeException("cannot hand checkpoint " + imageDir + " to Docker at " + dockerCopy, e);
    } catch (SandboxRuntimeException | RuntimeException e) {
      destroy(spec);
      throw e;
    } finally {
      PlainCriuSnapshotStore.deleteRecursively(dockerCopy);
    }
  }

  /**
   * {@code POST /containers/{id}/start?checkpoint=name}, retried while Docker 20.10 reports its content-store
   * race: a restore shortly after another one fails with "failed to upload checkpoint to containerd: commit
   * failed: content sha256:... already exists" (moby/moby#42900) and succeeds about a second later.
   *
   * <p>Every attempt also leaves the checkpoint unpacked in a {@code ctrd-checkpoint*} directory under
   * dockerd's temporary directory, on disk, for good: 1326 of them (71 GB) filled this machine's disk
   * before we noticed. Restores are therefore serialised in this runtime and the directories that
   * appeared during one are removed after it. (Another process restoring through the same dockerd at the
   * same moment could lose its directory mid-restore; the invoker is the only one.)
   */
  private void startFromCheckpoint(SandboxSpec spec, String id, String name) throws SandboxRuntimeException {
    synchronized (restoreLock) {
      Set<Path> before = containerdLeftovers();
      try {
        startFromCheckpointRetrying(spec, id, name);
      } finally {
        Set<Path> left = containerdLeftovers();
        left.removeAll(before);
        left.forEach(PlainCriuSnapshotStore::deleteRecursively);
      }
    }
  }

  /** The directories Docker's containerd client unpacked checkpoints into and did not remove. */
  private Set<Path> containerdLeftovers() {
    Set<Path> found = new HashSet<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(settings.dockerTempDir(), "ctrd-checkpoint*")) {
      dirs.forEach(found::add);
    } catch (IOException e) {
      log.warn("cannot list {} for Docker's leftover checkpoints: {}", settings.dockerTempDir(), e.toString());
    }
    return found;
  }

  private void startFromCheckpointRetrying(SandboxSpec spec, String id, String name) throws SandboxRuntimeException {
    long deadline = System.nanoTime() + settings.restoreTimeout().toNanos();
    while (true) {
      try {
        engine.call(Method.POST, "/containers/" + id + "/start?checkpoint=" + name, null, "restore of sandbox " + spec.sandboxId());
        return;
      } catch (SandboxRuntimeException e) {
        if (!String.valueOf(e.getMessage()).contains("already exists") || System.nanoTime() > deadline) throw e;
        log.debug("restore of {} hit Docker's checkpoint content race; retrying", spec.sandboxId());
        try {
          Thread.sleep(250);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  @Override
  public void destroy(SandboxSpec spec) {
    String id = containers.remove(spec.sandboxId());
    removeContainer(spec, id != null ? id : containerName(spec));
  }

  private void removeContainer(SandboxSpec spec, String idOrName) {
    killContainerProcesses(idOrName);
    try {
      engine.timed("remove sandbox " + spec.sandboxId(), () -> engine.client().removeContainerCmd(idOrName).withForce(true).withRemoveVolumes(true).exec());
    } catch (NotFoundException gone) {
      // already removed
    } catch (SandboxRuntimeException | RuntimeException e) {
      log.warn("cannot remove container {} of sandbox {}", idOrName, spec.sandboxId(), e);
    }
    unmountCriuCgroupYards(idOrName);
  }

  /**
   * Unmounts the cgroup yards a killed CRIU left in the container's containerd task directory. CRIU mounts
   * one (a tmpfs with a mount of every cgroup controller under it) for each restore and unmounts it when
   * it ends; a restore killed at its timeout never does, and each one left 11 mounts on the host.
   */
  private void unmountCriuCgroupYards(String containerId) {
    List<String> yards;
    try {
      yards = criuCgroupYards(Mounts.current(), containerId);
    } catch (IOException e) {
      log.warn("cannot read /proc/self/mounts for CRIU's leftover mounts: {}", e.toString());
      return;
    }
    for (String yard : yards) {
      try {
        // Lazily: detaches the controllers mounted under it as well.
        CommandRunner.Result r = commands.run(List.of("umount", "-l", yard), settings.commandTimeout());
        if (r.ok()) {
          log.info("unmounted the cgroup yard {} a killed CRIU restore left", yard);
          removeEmptyDirectories(Path.of(yard), containerId);
        } else {
          log.warn("cannot unmount CRIU's leftover cgroup yard {}: {}", yard, r.output().strip());
        }
      } catch (SandboxRuntimeException e) {
        log.warn("cannot unmount CRIU's leftover cgroup yard {}: {}", yard, e.getMessage());
      }
    }
  }

  /**
   * Removes the yard's directory and, when it is containerd's deleted task directory ({@code .<id>}, which
   * containerd could not remove while the yard was mounted), that one too if nothing else is in it.
   */
  private static void removeEmptyDirectories(Path yard, String containerId) {
    try {
      Files.deleteIfExists(yard);
      Path task = yard.getParent();
      if (task != null && task.getFileName().toString().equals("." + containerId)) Files.deleteIfExists(task);
    } catch (IOException e) {
      log.debug("left the directories of {}: {}", yard, e.toString());
    }
  }

  /** Mount points of CRIU cgroup yards inside a container's directories. */
  static List<String> criuCgroupYards(List<Mounts.Mount> mounts, String containerId) {
    List<String> yards = new ArrayList<>();
    if (containerId == null || containerId.length() < 12) return yards;
    for (Mounts.Mount m : mounts) {
      if (!"tmpfs".equals(m.type())) continue;
      String mountPoint = m.point();
      int yard = mountPoint.lastIndexOf("/.criu.cgyard.");
      if (yard > 0 && mountPoint.indexOf('/', yard + 1) < 0 && mountPoint.substring(0, yard).contains(containerId)) {
        yards.add(mountPoint);
      }
    }
    return yards;
  }

  /**
   * Kills whatever runs in the container's cgroup. A CRIU restore that never finishes (its restorer
   * spinning on a short pages image) keeps Docker's start call, and any remove, waiting; killing the
   * half-restored task makes runc fail the restore so that Docker can remove the container.
   */
  private void killContainerProcesses(String id) {
    for (Path dir : List.of(Path.of("/sys/fs/cgroup/freezer/docker", id), Path.of("/sys/fs/cgroup/memory/docker", id),
        Path.of("/sys/fs/cgroup/docker", id), Path.of("/sys/fs/cgroup/system.slice", "docker-" + id + ".scope"))) {
      Path procs = dir.resolve("cgroup.procs");
      if (!Files.isReadable(procs)) continue;
      try {
        if (Files.exists(dir.resolve("freezer.state"))) Files.writeString(dir.resolve("freezer.state"), "THAWED");
        for (String pid : Files.readAllLines(procs)) {
          if (!pid.isBlank()) ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
      } catch (IOException | NumberFormatException e) {
        log.warn("cannot kill the processes of container {} via {}", id, dir, e);
      }
      return;
    }
  }

  @Override
  public MemoryUsage memory(SandboxHandle sandbox) throws SandboxRuntimeException {
    return memory.ofSandbox(sandbox.rootPid());
  }

  @Override
  public void close() {
    for (Map.Entry<String, String> e : List.copyOf(containers.entrySet())) {
      killContainerProcesses(e.getValue());
      try {
        engine.timed("remove " + e.getKey(), () -> engine.client().removeContainerCmd(e.getValue()).withForce(true).withRemoveVolumes(true).exec());
      } catch (SandboxRuntimeException | RuntimeException ex) {
        log.warn("cannot remove container {} of sandbox {}", e.getValue(), e.getKey(), ex);
      }
      unmountCriuCgroupYards(e.getValue());
    }
    containers.clear();
    engine.close();
  }

  private SandboxHandle handle(SandboxSpec spec, String id) throws SandboxRuntimeException {
    InspectContainerResponse inspect = engine.timed("inspect sandbox " + spec.sandboxId(), () -> engine.client().inspectContainerCmd(id).exec());
    String ip = null;
    if (inspect.getNetworkSettings() != null && inspect.getNetworkSettings().getNetworks() != null) {
      ContainerNetwork bridge = inspect.getNetworkSettings().getNetworks().get("bridge");
      if (bridge != null) ip = bridge.getIpAddress();
    }
    Long pid = inspect.getState() == null ? null : inspect.getState().getPidLong();
    if (ip == null || ip.isEmpty() || pid == null || pid == 0) {
      throw new SandboxRuntimeException("sandbox " + spec.sandboxId() + " (container " + id + ") has no address or process after start: state "
          + (inspect.getState() == null ? "?" : inspect.getState().getStatus()));
    }
    return new SandboxHandle(spec, id, new InetSocketAddress(ip, settings.actionPort()), pid);
  }

  static String containerName(SandboxSpec spec) {
    return "medes-" + spec.sandboxId();
  }

  private static void copyDirectory(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, to.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }
}
