package io.medes.invoker.runtime.runc;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.medes.invoker.runtime.docker.DockerEngine;
import io.medes.invoker.snapshot.PlainCriuSnapshotStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandboxes as plain runc containers with CRIU checkpoint/restore; the fast path.
 *
 * <p>Per sandbox, under {@code run-root/<id>/}: an OCI bundle ({@code config.json}), an overlayfs
 * ({@code rootfs/}) whose lower layer is the image's extracted root file system and whose upper/work
 * dirs are on tmpfs, a network namespace {@code medes-<id>} with its own address on the bridge, and the
 * CRIU work directories. A checkpoint without {@code leave-running} ends the processes and the runc
 * container but keeps the bundle, overlay and network namespace, so the restore reuses them: the
 * sandbox-creation part of a dedup start is then zero (nothing to create), cheaper than a cold start's.
 *
 * <p>stdout/stderr of the runtime are {@code /dev/null}: a growing file breaks CRIU restores and a pipe
 * would have to be drained and re-attached on every restore.
 */
public final class RuncSandboxRuntime implements SandboxRuntime {
  private static final Logger log = LoggerFactory.getLogger(RuncSandboxRuntime.class);

  private final InvokerSettings settings;
  private final CommandRunner commands;
  private final DockerEngine docker;
  private final RootfsCache rootfs;
  private final SandboxNetwork network;
  private final CgroupFreezer freezer;
  private final ProcessMemory memory = new ProcessMemory();
  private final Map<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicBoolean criuConfigChecked = new java.util.concurrent.atomic.AtomicBoolean();
  /**
   * CRIU options for every dump and restore of a sandbox (runc passes the file named by the bundle's
   * {@code org.criu.config} annotation to CRIU). {@code network-lock skip}: CRIU otherwise locks and
   * unlocks the sandbox's network with nftables around every dump and restore, which cost 100-190 ms of a
   * 140-400 ms restore here; the lock protects established TCP connections, and a sandbox is dumped with
   * none (paused after its runtime closed the request's connection; a live one makes the dump fail).
   */
  static final String CRIU_CONFIG = "network-lock skip\n";
  /** The FIFO in a bundle through which a restore learns that its pages are rebuilt. */
  private static final String PAGES_GATE = "pages-ready";
  /** How long a pause waits for the runtime to close the last request's connection. */
  private static final java.time.Duration QUIESCE = java.time.Duration.ofMillis(50);

  /** What this backend keeps per sandbox, with or without live processes. */
  private static final class Sandbox {
    final SandboxSpec spec;
    final Path dir;
    final Path rootfsMount;
    final String cgroupsPath;
    SandboxNetwork.Attachment net;
    boolean mounted;
    /** The bundle's config.json as written for cold starts (restores may add a pages gate to it). */
    ObjectNode config;

    Sandbox(SandboxSpec spec, Path dir, String cgroupsPath) {
      this.spec = spec;
      this.dir = dir;
      this.rootfsMount = dir.resolve("rootfs");
      this.cgroupsPath = cgroupsPath;
    }
  }

  public RuncSandboxRuntime(InvokerSettings settings) {
    settings.requireBinaries();
    HostChecks.warnOnce(settings);
    this.settings = settings;
    String path = settings.criuBinary().getParent() + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    this.commands = new CommandRunner(Map.of("PATH", path));
    this.docker = new DockerEngine(settings.dockerHost(), settings.dockerTimeout());
    this.rootfs = new RootfsCache(docker, settings.rootfsCache(), settings.checkpointTimeout());
    Path leases = Path.of("/run/medes-net", settings.bridge(), "leases");
    this.network = new SandboxNetwork(commands, settings.bridge(), settings.subnet(), leases, settings.commandTimeout());
    this.freezer = new CgroupFreezer(Path.of("/sys/fs/cgroup"), settings.commandTimeout());
  }

  @Override
  public String name() {
    return "runc";
  }

  /** Extracts the image's root file system now, so that the first cold start does not pay for it. */
  public void prepareImage(String image) throws SandboxRuntimeException {
    rootfs.get(image);
  }

  @Override
  public SandboxHandle create(SandboxSpec spec) throws SandboxRuntimeException {
    if (sandboxes.containsKey(spec.sandboxId())) {
      throw new SandboxRuntimeException("sandbox " + spec.sandboxId() + " already exists in the runc backend");
    }
    ImageRootfs image = rootfs.get(spec.image());
    Sandbox s = new Sandbox(spec, settings.runRoot().resolve(spec.sandboxId()), "/" + settings.cgroupParent() + "/" + spec.sandboxId());
    sandboxes.put(spec.sandboxId(), s);
    try {
      prepareBundle(s, image);
      Path pidFile = s.dir.resolve("pid");
      int exit = commands.runDetached(runc("run", "-d", "--pid-file", pidFile.toString(), "--bundle", s.dir.toString(), spec.sandboxId()),
          settings.commandTimeout());
      if (exit != 0) {
        throw new SandboxRuntimeException("runc run of sandbox " + spec.sandboxId() + " failed (exit " + exit + "): " + tail(s.dir.resolve("runc.log")));
      }
      return handle(s, readPid(pidFile));
    } catch (SandboxRuntimeException | RuntimeException e) {
      destroy(spec);
      throw e;
    }
  }

  @Override
  public void pause(SandboxHandle sandbox) throws SandboxRuntimeException {
    Sandbox s = known(sandbox.spec());
    OpenConnections.awaitClosed(memory.cgroupProcesses(sandbox.rootPid()), QUIESCE);
    freezer.freeze(s.cgroupsPath);
  }

  @Override
  public void resume(SandboxHandle sandbox) throws SandboxRuntimeException {
    freezer.thaw(known(sandbox.spec()).cgroupsPath);
  }

  @Override
  public void checkpoint(SandboxHandle sandbox, Path imageDir, boolean leaveRunning) throws SandboxRuntimeException {
    Sandbox s = known(sandbox.spec());
    Path work = criuWorkDir(s, "dump");
    List<String> args = new ArrayList<>(List.of("checkpoint", "--image-path", imageDir.toAbsolutePath().toString(), "--work-path", work.toString()));
    if (leaveRunning) args.add("--leave-running");
    args.add(s.spec.sandboxId());
    CommandRunner.Result r = commands.run(runc(args.toArray(String[]::new)), settings.checkpointTimeout());
    if (!r.ok()) {
      throw new SandboxRuntimeException("checkpoint of sandbox " + s.spec.sandboxId() + " failed (exit " + r.exitCode() + "): "
          + r.output().strip() + "\n" + tail(work.resolve("dump.log")));
    }
    deleteQuietly(work);
    try {
      createGate(s);
    } catch (SandboxRuntimeException e) {
      // The checkpoint itself succeeded; a restore makes the gate again if it is still missing.
      log.warn("cannot make the pages gate of sandbox {} yet: {}", s.spec.sandboxId(), e.getMessage());
    }
  }

  @Override
  public SandboxHandle restore(SandboxSpec spec, Path imageDir) throws SandboxRuntimeException {
    return restore(spec, imageDir, (CompletableFuture<Void>) null);
  }

  /**
   * Starts runc and CRIU at once and lets CRIU wait, after it has built the sandbox's namespaces and
   * mounts (about 25 ms here) and before it reads any page, until {@code pagesReady} completes: the
   * rebuild of the pages and the creation of the sandbox overlap. The wait is an OCI hook reading a FIFO
   * in the bundle ({@link OciBundle#withPagesGate}); the gate is answered when {@code pagesReady}
   * completes and closed when runc returns, so a hook never outlives the restore.
   */
  @Override
  public SandboxHandle restore(SandboxSpec spec, Path imageDir, CompletableFuture<Void> pagesReady)
      throws SandboxRuntimeException {
    if (pagesReady != null && pagesReady.isDone()) {
      if (pagesReady.isCompletedExceptionally()) return SandboxRuntime.super.restore(spec, imageDir, pagesReady); // throws
      pagesReady = null;
    }
    Sandbox s = sandboxes.get(spec.sandboxId());
    try {
      if (s == null) {
        // Not checkpointed by this process (e.g. an invoker restart): build a fresh bundle and network.
        s = new Sandbox(spec, settings.runRoot().resolve(spec.sandboxId()), "/" + settings.cgroupParent() + "/" + spec.sandboxId());
        sandboxes.put(spec.sandboxId(), s);
        prepareBundle(s, rootfs.get(spec.image()));
      }
      Path work = criuWorkDir(s, "restore");
      Path pidFile = s.dir.resolve("pid");
      Files.deleteIfExists(pidFile);
      // A connection the runtime had not closed yet when it was frozen (see OpenConnections) is restored
      // closed instead of failing the restore; the runtime was only about to close it anyway. Dumps run
      // without tcp-close, so a sandbox holding a live connection on purpose is still refused.
      Path criuConfig = OciBundle.criuConfig(s.dir);
      Files.writeString(criuConfig, CRIU_CONFIG + "tcp-close\n");
      List<String> command = runc("restore", "-d", "--image-path", imageDir.toAbsolutePath().toString(), "--work-path", work.toString(),
          "--pid-file", pidFile.toString(), "--bundle", s.dir.toString(), spec.sandboxId());
      long started = System.nanoTime();
      int exit = pagesReady == null
          ? commands.runDetached(command, settings.restoreTimeout())
          : runGated(s, command, pagesReady);
      log.debug("runc restore of {} took {} ms (exit {}, gated {})", spec.sandboxId(), (System.nanoTime() - started) / 1_000_000.0, exit,
          pagesReady != null);
      if (exit != 0) {
        throw new SandboxRuntimeException("restore of sandbox " + spec.sandboxId() + " failed (exit " + exit + "): "
            + tail(s.dir.resolve("runc.log")) + "\n" + tail(work.resolve("restore.log")));
      }
      Files.writeString(criuConfig, CRIU_CONFIG);
      checkCriuConfigApplied(work.resolve("restore.log"), criuConfig);
      SandboxHandle handle = handle(s, readPid(pidFile));
      // A dump of a frozen sandbox records the frozen state; a restored sandbox must serve at once.
      if (freezer.isFrozen(s.cgroupsPath)) freezer.thaw(s.cgroupsPath);
      deleteQuietly(work);
      return handle;
    } catch (IOException e) {
      destroy(spec);
      throw new SandboxRuntimeException("restore of sandbox " + spec.sandboxId() + " failed", e);
    } catch (SandboxRuntimeException | RuntimeException e) {
      destroy(spec);
      throw e;
    }
  }

  /** runc restore with the pages gate in the bundle's configuration for this one run. */
  private int runGated(Sandbox s, List<String> command, CompletableFuture<Void> pagesReady)
      throws SandboxRuntimeException, IOException {
    Path gate = s.dir.resolve(PAGES_GATE);
    createGate(s);
    Path configFile = s.dir.resolve("config.json");
    OciBundle.write(OciBundle.withPagesGate(s.config, gate, settings.restoreTimeout().toSeconds() + 1), configFile);
    // Read and write: opening a FIFO so never blocks, and keeps a line written before the hook opens it.
    try (FileChannel answer = FileChannel.open(gate, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      pagesReady.whenComplete((ok, failure) -> {
        try {
          answer.write(ByteBuffer.wrap((failure == null ? "ok\n" : "failed\n").getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
          // runc already returned and closed the gate: the restore is over either way.
        }
      });
      return commands.runDetached(command, settings.restoreTimeout());
    } finally {
      OciBundle.write(s.config, configFile);
    }
  }

  /** The FIFO of a sandbox's pages gate, if it is not there yet; made when it is checkpointed, so that restores need not. */
  private void createGate(Sandbox s) throws SandboxRuntimeException {
    Path gate = s.dir.resolve(PAGES_GATE);
    if (!Files.exists(gate)) commands.check(List.of("mkfifo", "-m", "0600", gate.toString()), settings.commandTimeout());
  }

  @Override
  public void destroy(SandboxSpec spec) {
    String id = spec.sandboxId();
    Sandbox s = sandboxes.remove(id);
    Path dir = s != null ? s.dir : settings.runRoot().resolve(id);
    try {
      CommandRunner.Result r = commands.run(runc("delete", "--force", id), settings.commandTimeout());
      if (!r.ok() && !r.output().contains("does not exist")) {
        log.warn("runc delete --force {} failed: {}", id, r.output().strip());
      }
      // The overlay, plus whatever a failed CRIU restore left mounted in its work dir (its cgroup yard).
      for (String mount : mountsUnder(dir)) {
        CommandRunner.Result u = commands.run(List.of("umount", mount), settings.commandTimeout());
        if (!u.ok()) {
          commands.run(List.of("umount", "-l", mount), settings.commandTimeout());
        }
      }
      if (s != null && s.net != null) {
        network.detach(s.net);
      } else if (Files.exists(Path.of("/var/run/netns", "medes-" + id))) {
        commands.run(List.of("ip", "netns", "delete", "medes-" + id), settings.commandTimeout());
      }
    } catch (SandboxRuntimeException e) {
      log.warn("cleanup of sandbox {} incomplete", id, e);
    }
    removeCgroups("/" + settings.cgroupParent() + "/" + id);
    // A runc killed mid-restore (timeout) leaves its state dir with the CRIU root mount in it.
    Path state = settings.runcStateRoot().resolve(id);
    for (String mount : mountsUnder(state)) {
      try {
        commands.run(List.of("umount", "-l", mount), settings.commandTimeout());
      } catch (SandboxRuntimeException e) {
        log.warn("cannot unmount {}", mount, e);
      }
    }
    deleteQuietly(state);
    deleteQuietly(dir);
  }

  /**
   * Removes cgroups a failed run or restore may leave behind (runc deletes them only for containers it
   * knows). Any process still in them is a remnant of this sandbox and is killed first.
   */
  private void removeCgroups(String cgroupsPath) {
    Path root = Path.of("/sys/fs/cgroup");
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> controllers = Files.list(root)) {
      controllers.forEach(c -> dirs.add(c.resolve(cgroupsPath.substring(1))));
    } catch (IOException e) {
      return;
    }
    dirs.add(root.resolve(cgroupsPath.substring(1)));
    try {
      // A frozen task does not die from SIGKILL until thawed.
      if (Files.isDirectory(root.resolve("freezer").resolve(cgroupsPath.substring(1)))) freezer.thaw(cgroupsPath);
    } catch (SandboxRuntimeException e) {
      log.warn("cannot thaw leftover cgroup {}", cgroupsPath, e);
    }
    for (Path d : dirs) {
      if (!Files.isDirectory(d)) continue;
      try {
        for (String pid : Files.readAllLines(d.resolve("cgroup.procs"))) {
          if (!pid.isBlank()) ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
        for (int i = 0; i < 100 && !Files.readString(d.resolve("cgroup.procs")).isBlank(); i++) Thread.sleep(5);
        Files.deleteIfExists(d);
      } catch (IOException | NumberFormatException e) {
        log.warn("cannot remove cgroup {}", d, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public MemoryUsage memory(SandboxHandle sandbox) throws SandboxRuntimeException {
    MemoryUsage m = memory.ofSandbox(sandbox.rootPid());
    return new MemoryUsage(m.rssBytes(), m.pssBytes(), retainedBytes(sandbox.spec()));
  }

  /** The sandbox's writable layer on tmpfs: kept while checkpointed, so it is part of its state. */
  @Override
  public long retainedBytes(SandboxSpec spec) {
    Sandbox s = sandboxes.get(spec.sandboxId());
    if (s == null) return 0;
    try (Stream<Path> files = Files.walk(s.dir.resolve("upper"))) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  /** Destroys every sandbox this runtime still knows. */
  @Override
  public void close() {
    for (Sandbox s : List.copyOf(sandboxes.values())) {
      destroy(s.spec);
    }
    docker.close();
  }

  private void prepareBundle(Sandbox s, ImageRootfs image) throws SandboxRuntimeException {
    try {
      Files.createDirectories(s.dir.resolve("upper"));
      Files.createDirectories(s.dir.resolve("work"));
      Files.createDirectories(s.rootfsMount);
      Files.createDirectories(settings.checkpointRoot());
    } catch (IOException e) {
      throw new SandboxRuntimeException("cannot create bundle directories under " + s.dir, e);
    }
    s.net = network.attach(s.spec.sandboxId());
    commands.check(List.of("mount", "-t", "overlay", "overlay", "-o",
        "lowerdir=" + image.rootfs() + ",upperdir=" + s.dir.resolve("upper") + ",workdir=" + s.dir.resolve("work"),
        s.rootfsMount.toString()), settings.commandTimeout());
    s.mounted = true;
    try {
      Files.writeString(OciBundle.criuConfig(s.dir), CRIU_CONFIG);
      s.config = OciBundle.config(s.spec, image, s.rootfsMount, s.net.namespacePath(), s.cgroupsPath, settings.pidsLimit());
      OciBundle.write(s.config, s.dir.resolve("config.json"));
    } catch (IOException e) {
      throw new SandboxRuntimeException("cannot write " + s.dir.resolve("config.json"), e);
    }
  }

  private SandboxHandle handle(Sandbox s, long pid) {
    return new SandboxHandle(s.spec, s.spec.sandboxId(), new InetSocketAddress(s.net.address(), settings.actionPort()), pid);
  }

  private Sandbox known(SandboxSpec spec) throws SandboxRuntimeException {
    Sandbox s = sandboxes.get(spec.sandboxId());
    if (s == null) throw new SandboxRuntimeException("sandbox " + spec.sandboxId() + " is unknown to the runc backend");
    return s;
  }

  private List<String> runc(String... args) {
    List<String> cmd = new ArrayList<>(List.of(settings.runcBinary().toString(), "--root", settings.runcStateRoot().toString(),
        "--criu", settings.criuBinary().toString()));
    String id = args[args.length - 1];
    Path runcLog = settings.runRoot().resolve(id).resolve("runc.log");
    if (Files.isDirectory(runcLog.getParent())) {
      cmd.add("--log");
      cmd.add(runcLog.toString());
    }
    cmd.addAll(List.of(args));
    return cmd;
  }

  /**
   * Once per runtime: confirms from the head of CRIU's log that it read the sandbox's configuration file
   * (an older runc ignores the {@code org.criu.config} annotation, and every restore would silently pay
   * for the network lock again).
   */
  private void checkCriuConfigApplied(Path criuLog, Path config) {
    if (criuConfigChecked.getAndSet(true)) return;
    try (java.util.stream.Stream<String> head = Files.lines(criuLog).limit(20)) {
      if (head.noneMatch(l -> l.contains("values from " + config))) {
        log.warn("CRIU did not read {} (see {}): restores run with CRIU's network lock, 100-190 ms slower", config, criuLog);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      log.warn("cannot read {} to check the CRIU configuration", criuLog, e);
    }
  }

  private Path criuWorkDir(Sandbox s, String what) throws SandboxRuntimeException {
    Path dir = s.dir.resolve("criu").resolve(what + "-" + sequence.incrementAndGet());
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new SandboxRuntimeException("cannot create CRIU work directory " + dir, e);
    }
  }

  private static long readPid(Path pidFile) throws SandboxRuntimeException {
    try {
      return Long.parseLong(Files.readString(pidFile).trim());
    } catch (IOException | NumberFormatException e) {
      throw new SandboxRuntimeException("runc left no usable pid file " + pidFile, e);
    }
  }

  /** Mount points at or below {@code dir}, deepest first. */
  private static List<String> mountsUnder(Path dir) {
    List<String> out = new ArrayList<>();
    String base = dir.toAbsolutePath().toString();
    try {
      for (Mounts.Mount m : Mounts.current()) {
        if (Mounts.isAtOrBelow(m.point(), base)) out.add(m.point());
      }
    } catch (IOException e) {
      log.warn("cannot read /proc/self/mounts", e);
    }
    out.sort((a, b) -> b.length() - a.length());
    return out;
  }

  static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return file + ":\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no " + file + ")";
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      PlainCriuSnapshotStore.deleteRecursively(dir);
    } catch (RuntimeException e) {
      log.warn("cannot delete {}", dir, e);
    }
  }
}
