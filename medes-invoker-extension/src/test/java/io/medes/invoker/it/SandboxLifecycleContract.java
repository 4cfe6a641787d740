package io.medes.invoker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.medes.config.MedesConfig;
import io.medes.dedup.DedupSettings;
import io.medes.dedup.image.DedupImage;
import io.medes.dedup.registry.InMemoryFingerprintRegistry;
import io.medes.dedup.registry.RegistrySettings;
import io.medes.dedup.restore.RecycledPagesFiles;
import io.medes.invoker.action.ActionProtocolException;
import io.medes.invoker.action.ActionResponse;
import io.medes.invoker.action.ActionRuntimeClient;
import io.medes.invoker.runtime.InvokerSettings;
import io.medes.invoker.runtime.MemoryUsage;
import io.medes.invoker.runtime.SandboxRuntime;
import io.medes.invoker.runtime.SandboxRuntimes;
import io.medes.invoker.runtime.SandboxSpec;
import io.medes.invoker.sandbox.ManagedSandbox;
import io.medes.invoker.sandbox.SandboxLostException;
import io.medes.invoker.sandbox.SandboxState;
import io.medes.invoker.sandbox.SandboxStateMachine;
import io.medes.invoker.snapshot.MedesSnapshotStore;
import io.medes.invoker.snapshot.PlainCriuSnapshotStore;
import io.medes.invoker.snapshot.SnapshotStore;
import io.medes.invoker.snapshot.SnapshotStores;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every transition of the sandbox state machine and every failure path, on a real backend with a real
 * Python runtime and real CRIU. Subclasses pick the backend.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SandboxLifecycleContract {
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);

  private final ActionRuntimeClient client = new ActionRuntimeClient();
  private final AtomicInteger ids = new AtomicInteger();
  private String prefix;
  private Path root;
  private InvokerSettings settings;
  private String image;
  private SandboxRuntime runtime;
  private Set<String> containerdDirsBefore;
  private Set<String> criuYardsBefore;

  abstract InvokerSettings.Backend backend();

  @BeforeAll
  void startBackend() throws IOException {
    prefix = "it" + backend().configName().charAt(0) + Long.toHexString(System.nanoTime() & 0xffffff);
    root = RealSandboxes.privateTmpfsRoot(backend().configName());
    settings = RealSandboxes.settings(backend(), root);
    image = RealSandboxes.pythonImage();
    runtime = SandboxRuntimes.create(settings);
    containerdDirsBefore = RealSandboxes.containerdCheckpointDirs(settings.dockerTempDir());
    criuYardsBefore = RealSandboxes.criuCgroupYards();
  }

  @AfterAll
  void stopBackendAndCheckNothingLeaks() throws Exception {
    runtime.close();
    assertThat(RealSandboxes.leftoverNamespaces(prefix)).as("network namespaces left behind").isEmpty();
    assertThat(RealSandboxes.leftoverMounts(root)).as("mounts left behind").isEmpty();
    assertThat(RealSandboxes.leftoverMounts(settings.runcStateRoot().resolve(prefix))).as("runc mounts left behind").isEmpty();
    assertThat(RealSandboxes.leftoverRuncState(settings.runcStateRoot(), prefix)).as("runc state left behind").isEmpty();
    assertThat(RealSandboxes.leftoverContainers(prefix)).as("docker containers left behind").isEmpty();
    assertThat(RealSandboxes.containerdCheckpointDirs(settings.dockerTempDir())).as("checkpoints Docker unpacked for restores")
        .isSubsetOf(containerdDirsBefore);
    assertThat(RealSandboxes.criuCgroupYards()).as("cgroup yards of killed CRIU restores still mounted").isSubsetOf(criuYardsBefore);
    PlainCriuSnapshotStore.deleteRecursively(root);
  }

  private SandboxStateMachine machine(SandboxRuntime r, SnapshotStore store) {
    return new SandboxStateMachine(r, store, client, settings.checkpointRoot(), settings.initTimeout(), System::currentTimeMillis);
  }

  private SandboxSpec nextSpec() {
    return RealSandboxes.spec(prefix + "-" + ids.incrementAndGet(), image);
  }

  private ActionResponse run(SandboxStateMachine m, ManagedSandbox s, String echo) throws ActionProtocolException {
    ActionResponse r = m.run(s, RealSandboxes.runBody(echo), RUN_TIMEOUT);
    assertThat(r.isSuccess()).as("/run answered %s: %s", r.httpStatus(), r.rawBody()).isTrue();
    assertThat(r.body().get("echo").asText()).isEqualTo(echo);
    return r;
  }

  @Test
  void everyTransitionWithARealRuntimeKeepsTheActionsState() throws Exception {
    SandboxStateMachine m = machine(runtime, new PlainCriuSnapshotStore());
    List<String> transitions = Collections.synchronizedList(new ArrayList<>());
    m.addListener((s, from, to) -> transitions.add(from + "->" + to));

    ManagedSandbox s = m.coldStart(nextSpec(), RealSandboxes.initValue(RealSandboxes.COUNTER_ACTION));
    assertThat(s.state()).isEqualTo(SandboxState.RUNNING);
    ActionResponse first = run(m, s, "cold");
    assertThat(first.body().get("count").asInt()).isEqualTo(1);
    String digest = first.body().get("digest").asText();
    assertThat(digest).isEqualTo(first.body().get("initial").asText());

    m.park(s);
    assertThat(s.state()).isEqualTo(SandboxState.WARM);
    MemoryUsage warm = m.memory(s);
    assertThat(warm.rssBytes()).as("warm RSS").isGreaterThan(4L * 1024 * 1024);
    assertThat(warm.pssBytes()).as("warm PSS").isPositive().isLessThanOrEqualTo(warm.rssBytes());

    m.wake(s);
    assertThat(run(m, s, "warm").body().get("count").asInt()).isEqualTo(2);
    m.park(s);

    m.deduplicate(s);
    assertThat(s.state()).isEqualTo(SandboxState.DEDUP);
    assertThat(s.handle()).isNull();
    MemoryUsage dedup = m.memory(s);
    long imageBytes = directorySize(s.snapshot().imageDir());
    assertThat(dedup.rssBytes()).as("dedup RSS").isZero();
    assertThat(dedup.pssBytes()).as("dedup PSS").isZero();
    assertThat(imageBytes).as("checkpoint image holds at least the 4 MiB state").isGreaterThan(4L * 1024 * 1024);
    assertThat(dedup.stateBytes()).isEqualTo(imageBytes + runtime.retainedBytes(s.spec()));
    Path imageDir = s.snapshot().imageDir();

    m.restore(s);
    assertThat(s.state()).isEqualTo(SandboxState.RUNNING);
    ActionResponse restored = run(m, s, "dedup");
    assertThat(restored.body().get("count").asInt()).as("counter survives checkpoint/restore").isEqualTo(3);
    assertThat(restored.body().get("digest").asText()).as("4 MiB heap survives checkpoint/restore").isEqualTo(digest);
    m.awaitDiscards();
    assertThat(imageDir).as("restored image discarded").doesNotExist();
    assertThat(m.memory(s).rssBytes()).isPositive();

    m.park(s);
    m.makeBase(s);
    assertThat(s.state()).isEqualTo(SandboxState.BASE);
    assertThat(s.isBase()).isTrue();
    assertThat(m.memory(s).rssBytes()).as("a base stays resident").isPositive();
    m.wake(s);
    assertThat(run(m, s, "base").body().get("count").asInt()).isEqualTo(4);
    m.park(s);
    assertThat(s.state()).isEqualTo(SandboxState.BASE);
    m.retireBase(s);
    assertThat(s.state()).isEqualTo(SandboxState.WARM);
    assertThat(s.isBase()).isFalse();
    m.wake(s);
    assertThat(run(m, s, "retired").body().get("count").asInt()).isEqualTo(5);
    m.park(s);

    InetSocketAddress endpoint = s.handle().endpoint();
    m.purge(s);
    assertThat(s.state()).isEqualTo(SandboxState.PURGED);
    assertThat(m.memory(s)).isEqualTo(MemoryUsage.NONE);
    assertNothingAnswersAt(endpoint);

    assertThat(transitions).containsExactly(
        "null->STARTING", "STARTING->RUNNING", "RUNNING->WARM", "WARM->RUNNING", "RUNNING->WARM",
        "WARM->CHECKPOINTING", "CHECKPOINTING->DEDUP", "DEDUP->RESTORING", "RESTORING->RUNNING",
        "RUNNING->WARM", "WARM->CHECKPOINTING", "CHECKPOINTING->BASE", "BASE->RUNNING", "RUNNING->BASE",
        "BASE->WARM", "WARM->RUNNING", "RUNNING->WARM", "WARM->PURGED");
  }

  @Test
  void failedCheckpointPurgesTheStillRunningSandboxAndAColdStartServes() throws Exception {
    SandboxStateMachine m = machine(new FaultyRuntime(runtime), new PlainCriuSnapshotStore());
    ManagedSandbox s = warmSandbox(m);
    InetSocketAddress endpoint = s.handle().endpoint();
    Path checkpoints = settings.checkpointRoot().resolve(s.id());

    assertThatThrownBy(() -> m.deduplicate(s)).isInstanceOf(SandboxLostException.class)
        .cause().hasMessageContaining("injected");
    assertPurged(s, endpoint);
    assertThat(checkpoints).as("partial checkpoint deleted").doesNotExist();
    coldStartServes(m);
  }

  @Test
  void sandboxCriuRefusesToDumpIsPurged() throws Exception {
    SandboxStateMachine m = machine(runtime, new PlainCriuSnapshotStore());
    try (ServerSocket listener = new ServerSocket(0)) {
      ManagedSandbox s = m.coldStart(nextSpec(), RealSandboxes.initValue(String.join("\n",
          "import socket",
          "held = []",
          "def main(args):",
          "    held.append(socket.create_connection((args['host'], args['port'])))",
          "    return {'echo': args.get('echo'), 'connections': len(held)}",
          "")));
      InetSocketAddress endpoint = s.handle().endpoint();
      ObjectNode body = RealSandboxes.runBody("connect");
      ((ObjectNode) body.get("value")).put("host", gatewayOf(endpoint)).put("port", listener.getLocalPort());
      ActionResponse r = m.run(s, body, RUN_TIMEOUT);
      assertThat(r.isSuccess()).as(r.rawBody()).isTrue();
      try (Socket accepted = listener.accept()) {
        m.park(s);
        // An established outbound TCP connection: CRIU refuses to dump it without --tcp-established.
        assertThatThrownBy(() -> m.deduplicate(s)).isInstanceOf(SandboxLostException.class);
        assertPurged(s, endpoint);
      }
    }
    coldStartServes(m);
  }

  @Test
  void truncatedPagesImageIsRefusedBeforeCriuRuns() throws Exception {
    restoreOfCorruptedImageFailsCleanly(new PlainCriuSnapshotStore(), imageDir -> {
      Path pages = onlyFile(imageDir, "pages-");
      try (RandomAccessFile f = new RandomAccessFile(pages.toFile(), "rw")) {
        f.setLength(f.length() / 2);
      }
    });
  }

  @Test
  void truncatedPagesHandedToCriuUncheckedFailOrAreKilledAtTheRestoreTimeout() throws Exception {
    // CRIU 4.2.1 may spin forever on a short pages image; the backend's restore timeout must end it.
    InvokerSettings bounded = settings.withRestoreTimeouts(Duration.ofSeconds(8), Duration.ofSeconds(8));
    try (SandboxRuntime boundedRuntime = SandboxRuntimes.create(bounded)) {
      SandboxStateMachine m = machine(boundedRuntime, new UncheckedStore());
      ManagedSandbox s = warmSandbox(m);
      InetSocketAddress endpoint = s.handle().endpoint();
      m.deduplicate(s);
      Path pages = onlyFile(s.snapshot().imageDir(), "pages-");
      try (RandomAccessFile f = new RandomAccessFile(pages.toFile(), "rw")) {
        f.setLength(f.length() / 3);
      }
      assertThatThrownBy(() -> m.restore(s)).isInstanceOf(SandboxLostException.class);
      assertPurged(s, endpoint);
      coldStartServes(m);
    }
  }

  @Test
  void corruptedPagemapFailsTheRestoreCleanly() throws Exception {
    restoreOfCorruptedImageFailsCleanly(new PlainCriuSnapshotStore(), imageDir -> {
      Path pagemap = onlyFile(imageDir, "pagemap-");
      byte[] bytes = Files.readAllBytes(pagemap);
      for (int i = 8; i < bytes.length; i++) bytes[i] = (byte) 0xff;
      Files.write(pagemap, bytes);
    });
  }

  @Test
  void flippedPageBytesAreCaughtBeforeTheRestore() throws Exception {
    restoreOfCorruptedImageFailsCleanly(new PlainCriuSnapshotStore(true), imageDir -> {
      Path pages = onlyFile(imageDir, "pages-");
      try (RandomAccessFile f = new RandomAccessFile(pages.toFile(), "rw")) {
        long at = f.length() / 2;
        f.seek(at);
        int b = f.read();
        f.seek(at);
        f.write(b ^ 0x5a);
      }
    });
  }

  @Test
  void medesStoreDeduplicatesAgainstABaseAndRestoresVerified() throws Exception {
    try (MedesSnapshotStore store = medesStore()) {
      SandboxStateMachine m = machine(runtime, store);
      ManagedSandbox base = warmSandbox(m);
      m.makeBase(base);
      ManagedSandbox s = warmSandbox(m);
      try {
        ActionResponse before = run(m, wake(m, s), "before-dedup");
        m.park(s);
        MemoryUsage warm = m.memory(s);

        m.deduplicate(s);
        Path imageDir = s.snapshot().imageDir();
        assertThat(imageDir.resolve(DedupImage.FILE_NAME)).as("dedup image written").isRegularFile();
        try (Stream<Path> files = Files.list(imageDir)) {
          assertThat(files.map(p -> p.getFileName().toString())).as("pages images dropped").noneMatch(n -> n.startsWith("pages-"));
        }
        assertThat(m.memory(s).stateBytes()).as("dedup state vs warm PSS %s", warm.pssBytes()).isLessThan(warm.pssBytes());
        // The dumped pages were kept for rebuilds to write into. Spoil them: the rebuild must write every
        // page of the file it takes, or the sandbox below would run on these bytes.
        assertThat(store.recycledBytes()).as("dumped pages kept").isPositive();
        try (Stream<Path> kept = Files.list(recycledDirectory())) {
          for (Path f : (Iterable<Path>) kept::iterator) {
            byte[] spoiled = new byte[(int) Files.size(f)];
            Arrays.fill(spoiled, (byte) 0xA5);
            Files.write(f, spoiled);
          }
        }

        m.restore(s);
        ActionResponse after = run(m, s, "after-dedup");
        assertThat(after.body().get("count").asInt()).isEqualTo(before.body().get("count").asInt() + 1);
        assertThat(after.body().get("digest").asText()).as("4 MiB heap rebuilt bit-exact").isEqualTo(before.body().get("digest").asText());
        m.awaitDiscards();
        assertThat(store.recycledBytes()).as("rebuilt pages kept after the restore").isPositive();
      } finally {
        m.purge(s);
        m.retireBase(base);
        m.purge(base);
      }
    }
  }

  @Test
  void medesRestoreWhoseBaseIsGoneIsPurgedAndAColdStartServes() throws Exception {
    try (MedesSnapshotStore store = medesStore()) {
      SandboxStateMachine m = machine(runtime, store);
      ManagedSandbox base = warmSandbox(m);
      m.makeBase(base);
      ManagedSandbox s = warmSandbox(m);
      InetSocketAddress endpoint = s.handle().endpoint();
      m.deduplicate(s);
      // The base's node lost it: its registration and its checkpoint pages are gone.
      m.retireBase(base);
      m.purge(base);

      assertThatThrownBy(() -> m.restore(s)).isInstanceOf(SandboxLostException.class);
      assertPurged(s, endpoint);
      coldStartServes(m);
    }
  }

  private MedesSnapshotStore medesStore() {
    Config config = MedesConfig.load(Map.of());
    return new MedesSnapshotStore("it-node", DedupSettings.fromConfig(config),
        new InMemoryFingerprintRegistry(RegistrySettings.fromConfig(config)),
        new RecycledPagesFiles(recycledDirectory(), 256L << 20));
  }

  private Path recycledDirectory() {
    return settings.checkpointRoot().resolve(SnapshotStores.RECYCLED_DIRECTORY);
  }

  private static ManagedSandbox wake(SandboxStateMachine m, ManagedSandbox s) throws SandboxLostException {
    m.wake(s);
    return s;
  }

  @Test
  void restoreWaitsForPagesThatArriveLateAndKeepsTheState() throws Exception {
    SandboxStateMachine m = machine(runtime, new LatePagesStore(700));
    ManagedSandbox s = warmSandbox(m);
    try {
      ActionResponse before = run(m, wake(m, s), "before-late");
      m.park(s);
      m.deduplicate(s);
      try (Stream<Path> files = Files.list(s.snapshot().imageDir())) {
        assertThat(files.map(p -> p.getFileName().toString())).as("pages held back").noneMatch(n -> n.endsWith(".img") && n.startsWith("pages-"));
      }
      m.restore(s);
      ActionResponse after = run(m, s, "after-late");
      assertThat(after.body().get("count").asInt()).isEqualTo(before.body().get("count").asInt() + 1);
      assertThat(after.body().get("digest").asText()).isEqualTo(before.body().get("digest").asText());
    } finally {
      m.purge(s);
    }
  }

  @Test
  void missingBasePageFailsTheRebuildAndPurges() throws Exception {
    restoreOfCorruptedImageFailsCleanly(new FailingRebuildStore(), imageDir -> {});
  }

  private interface Corruption {
    void apply(Path imageDir) throws IOException;
  }

  private void restoreOfCorruptedImageFailsCleanly(SnapshotStore store, Corruption corruption) throws Exception {
    SandboxStateMachine m = machine(runtime, store);
    ManagedSandbox s = warmSandbox(m);
    InetSocketAddress endpoint = s.handle().endpoint();
    m.deduplicate(s);
    assertThat(s.state()).isEqualTo(SandboxState.DEDUP);
    corruption.apply(s.snapshot().imageDir());

    assertThatThrownBy(() -> m.restore(s)).isInstanceOf(SandboxLostException.class);
    assertPurged(s, endpoint);
    assertThat(settings.checkpointRoot().resolve(s.id())).as("stored image deleted").doesNotExist();
    coldStartServes(m);
  }

  private ManagedSandbox warmSandbox(SandboxStateMachine m) throws Exception {
    ManagedSandbox s = m.coldStart(nextSpec(), RealSandboxes.initValue(RealSandboxes.COUNTER_ACTION));
    run(m, s, "before");
    m.park(s);
    return s;
  }

  private void coldStartServes(SandboxStateMachine m) throws Exception {
    ManagedSandbox fresh = m.coldStart(nextSpec(), RealSandboxes.initValue(RealSandboxes.COUNTER_ACTION));
    assertThat(run(m, fresh, "after").body().get("count").asInt()).isEqualTo(1);
    m.purge(fresh);
  }

  private void assertPurged(ManagedSandbox s, InetSocketAddress endpoint) throws IOException {
    assertThat(s.state()).isEqualTo(SandboxState.PURGED);
    assertThat(s.handle()).isNull();
    assertThat(s.snapshot()).isNull();
    assertThat(RealSandboxes.leftoverNamespaces(s.id())).isEmpty();
    assertNothingAnswersAt(endpoint);
  }

  private void assertNothingAnswersAt(InetSocketAddress endpoint) {
    assertThatThrownBy(() -> client.run(endpoint, RealSandboxes.runBody("ghost"), Duration.ofMillis(500)))
        .as("nothing may answer at %s after a purge", endpoint)
        .isInstanceOf(ActionProtocolException.class);
  }

  private static String gatewayOf(InetSocketAddress endpoint) {
    String ip = endpoint.getAddress().getHostAddress();
    String[] o = ip.split("\\.");
    // Both backends put the gateway at the subnet's first address (10.77.0.1, Docker's 172.17.0.1).
    return o[0] + "." + o[1] + ".0.1";
  }

  private static Path onlyFile(Path dir, String prefix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> matches = files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
      assertThat(matches).as("%s* in %s", prefix, dir).hasSize(1);
      return matches.get(0);
    }
  }

  private static long directorySize(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
