package io.medes.invoker.snapshot;

import io.medes.concurrent.DaemonThreads;
import io.medes.dedup.DedupResult;
import io.medes.dedup.DedupSettings;
import io.medes.dedup.Deduplicator;
import io.medes.dedup.base.BasePreparer;
import io.medes.dedup.base.LocalBasePageSource;
import io.medes.dedup.image.DedupImage;
import io.medes.dedup.registry.BaseInfo;
import io.medes.dedup.registry.FingerprintRegistry;
import io.medes.dedup.restore.RecycledPagesFiles;
import io.medes.dedup.restore.RestoreException;
import io.medes.dedup.restore.RestoreResult;
import io.medes.dedup.restore.Restorer;
import io.medes.invoker.runtime.SandboxSpec;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Medes snapshot store: a checkpoint's pages are deduplicated against registered base pages into a
 * dedup image next to the rest of the CRIU image, and the {@code pages-*.img} files are deleted; a
 * restore rebuilds them bit-exact, verifying every page, before CRIU runs.
 *
 * <p>Bases are checkpoints of base sandboxes, kept in place (on tmpfs) while the base lives: their pages
 * are read locally through a {@link LocalBasePageSource}, their fingerprints go into the
 * {@link FingerprintRegistry} (in-memory on a single node, Hazelcast in a cluster).
 *
 * <p>Pages files it no longer needs (a checkpoint's after dedup, a rebuilt one's after the restore) go to
 * its {@link RecycledPagesFiles}, so that rebuilds write over memory already in use rather than fresh
 * pages.
 */
public final class MedesSnapshotStore implements SnapshotStore {
  private static final Logger log = LoggerFactory.getLogger(MedesSnapshotStore.class);

  private final String nodeId;
  private final FingerprintRegistry registry;
  private final LocalBasePageSource basePages = new LocalBasePageSource();
  private final DedupSettings settings;
  private final ExecutorService workers;
  private final Deduplicator deduplicator;
  private final Restorer restorer;
  private final RecycledPagesFiles recycled;
  /** Bases each stored snapshot references, so discarding releases them without re-reading the image. */
  private final Map<Path, List<String>> referencedBases = new ConcurrentHashMap<>();

  public MedesSnapshotStore(String nodeId, DedupSettings settings, FingerprintRegistry registry) {
    this(nodeId, settings, registry, RecycledPagesFiles.none());
  }

  /** A store whose rebuilds write into {@code recycled} files where it keeps some; it closes them. */
  public MedesSnapshotStore(String nodeId, DedupSettings settings, FingerprintRegistry registry,
      RecycledPagesFiles recycled) {
    this.nodeId = nodeId;
    this.recycled = recycled;
    this.settings = settings;
    this.registry = registry;
    this.workers = Executors.newFixedThreadPool(settings.effectiveThreads(), DaemonThreads.named("medes-snapshot"));
    this.deduplicator = new Deduplicator(settings, registry, basePages, workers);
    this.restorer = new Restorer(basePages, workers, recycled);
  }

  @Override
  public String name() {
    return "medes";
  }

  @Override
  public StoredSnapshot store(SandboxSpec spec, Path imageDir) throws SnapshotException {
    Path imageFile = imageDir.resolve(DedupImage.FILE_NAME);
    DedupResult result;
    try {
      result = deduplicator.dedup(imageDir, identity(spec), imageFile);
    } catch (IOException | RuntimeException e) {
      throw new SnapshotException("dedup of " + spec.sandboxId() + "'s checkpoint " + imageDir + " failed", e);
    }
    // From here the image holds references to its bases (retained by the deduplicator); any failure must
    // release them, since the caller purges the sandbox without a stored snapshot to discard.
    List<String> bases = new ArrayList<>();
    for (DedupImage.BaseRef b : result.image().bases()) bases.add(b.baseId());
    try {
      // The dedup image is written durably before the pages go: an in-memory map is never the only copy.
      recyclePagesImages(imageDir);
      StoredSnapshot snapshot = new StoredSnapshot(imageDir, imageDir, PlainCriuSnapshotStore.directorySize(imageDir));
      referencedBases.put(imageDir, bases);
      log.debug("{}: {}", spec.sandboxId(), result);
      return snapshot;
    } catch (IOException | RuntimeException e) {
      for (String base : bases) registry.release(base);
      throw new SnapshotException("storing " + spec.sandboxId() + "'s dedup image in " + imageDir + " failed", e);
    }
  }

  @Override
  public void rebuild(StoredSnapshot snapshot) throws SnapshotException {
    try {
      RestoreResult result = restorer.restore(snapshot.imageDir().resolve(DedupImage.FILE_NAME), snapshot.imageDir());
      log.debug("rebuilt {} pages of {} in {} ms", result.pageCount(), snapshot.imageDir(), result.nanos() / 1_000_000.0);
    } catch (RestoreException e) {
      throw new SnapshotException("rebuild of " + snapshot.imageDir() + " failed (" + e.reason() + ")", e);
    }
  }

  @Override
  public boolean rebuildWritesPages() {
    return true;
  }

  @Override
  public void registerBase(SandboxSpec spec, Path imageDir) throws SnapshotException {
    try {
      BasePreparer.register(identity(spec), imageDir, settings.scheme(), registry, basePages, workers);
    } catch (IOException | RuntimeException e) {
      throw new SnapshotException("registering " + spec.sandboxId() + " as a base failed", e);
    }
  }

  @Override
  public void retireBase(SandboxSpec spec) {
    registry.retireBase(spec.sandboxId());
    basePages.removeBase(spec.sandboxId());
  }

  @Override
  public void discard(StoredSnapshot snapshot) {
    List<String> bases = referencedBases.remove(snapshot.imageDir());
    if (bases != null) {
      for (String base : bases) registry.release(base);
    }
    try {
      recyclePagesImages(snapshot.stateDir());
    } catch (IOException e) {
      log.warn("keeping the rebuilt pages of {} failed; deleting them", snapshot.stateDir(), e);
    }
    PlainCriuSnapshotStore.deleteRecursively(snapshot.stateDir());
  }

  /** The registry's view of a sandbox: its id, this node, its tenant and action, its runtime image. */
  private BaseInfo identity(SandboxSpec spec) {
    String image = spec.image();
    int tag = image.lastIndexOf(':');
    String runtime = tag > image.lastIndexOf('/') ? image.substring(0, tag) : image;
    return new BaseInfo(spec.sandboxId(), nodeId, spec.namespace(), spec.action(), runtime);
  }

  private void recyclePagesImages(Path imageDir) throws IOException {
    if (!Files.isDirectory(imageDir)) return;
    try (DirectoryStream<Path> pages = Files.newDirectoryStream(imageDir, "pages-*.img")) {
      for (Path p : pages) recycled.recycle(p);
    }
  }

  /** Memory held in kept pages files, for reports. */
  public long recycledBytes() {
    return recycled.keptBytes();
  }

  @Override
  public void close() {
    workers.shutdownNow();
    recycled.close();
  }
}
