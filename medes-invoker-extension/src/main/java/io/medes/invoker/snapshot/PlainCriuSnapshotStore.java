package io.medes.invoker.snapshot;

import io.medes.invoker.runtime.SandboxSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import net.openhft.hashing.LongHashFunction;

/**
 * Keeps the CRIU image untouched: the baseline a dedup start is compared against ("plain CRIU
 * restore of the same sandbox"). It has no bases.
 *
 * <p>CRIU itself checks no page contents: a flipped bit in {@code pages-*.img} restores silently into a
 * corrupt process. With {@code verify} on, {@link #store} records an XXH3 hash of every image file and
 * {@link #rebuild} refuses an image whose files changed (the caller then cold-starts). Without it, this
 * is plain CRIU, which is what the benchmark's "criu" column measures, plus one cheap check that is
 * always on: every image file must still have the size it had after the dump. CRIU 4.2.1 does not
 * survive a truncated {@code pages-*.img}: its restorer retries the short read forever and writes a
 * debug line per retry into {@code restore.log} (10 GB in 12 minutes, measured).
 */
public final class PlainCriuSnapshotStore implements SnapshotStore {
  private final boolean verify;
  private final Map<Path, Map<String, Long>> checksums = new ConcurrentHashMap<>();
  private final Map<Path, Map<String, Long>> sizes = new ConcurrentHashMap<>();

  /** Plain CRIU: no verification. */
  public PlainCriuSnapshotStore() {
    this(false);
  }

  public PlainCriuSnapshotStore(boolean verify) {
    this.verify = verify;
  }

  @Override
  public String name() {
    return verify ? "plain-criu-verified" : "plain-criu";
  }

  @Override
  public StoredSnapshot store(SandboxSpec spec, Path imageDir) throws SnapshotException {
    try {
      sizes.put(imageDir, fileSizes(imageDir));
      if (verify) checksums.put(imageDir, hashFiles(imageDir));
      return new StoredSnapshot(imageDir, imageDir, directorySize(imageDir));
    } catch (IOException e) {
      throw new SnapshotException("cannot measure checkpoint " + imageDir, e);
    }
  }

  @Override
  public void rebuild(StoredSnapshot snapshot) throws SnapshotException {
    if (!Files.isDirectory(snapshot.imageDir())) {
      throw new SnapshotException("checkpoint directory is gone: " + snapshot.imageDir());
    }
    Map<String, Long> expectedSizes = sizes.get(snapshot.imageDir());
    if (expectedSizes == null) {
      throw new SnapshotException("checkpoint " + snapshot.imageDir() + " was not stored by this store");
    }
    Map<String, Long> actualSizes;
    try {
      actualSizes = fileSizes(snapshot.imageDir());
    } catch (IOException e) {
      throw new SnapshotException("cannot list checkpoint " + snapshot.imageDir(), e);
    }
    for (Map.Entry<String, Long> e : expectedSizes.entrySet()) {
      Long got = actualSizes.get(e.getKey());
      if (!e.getValue().equals(got)) {
        throw new SnapshotException("checkpoint file " + snapshot.imageDir().resolve(e.getKey()) + " has "
            + (got == null ? "disappeared" : got + " bytes") + ", " + e.getValue() + " were dumped");
      }
    }
    if (!verify) return;
    Map<String, Long> expected = checksums.get(snapshot.imageDir());
    if (expected == null) {
      throw new SnapshotException("no checksums recorded for " + snapshot.imageDir() + "; cannot verify it");
    }
    Map<String, Long> actual;
    try {
      actual = hashFiles(snapshot.imageDir());
    } catch (IOException e) {
      throw new SnapshotException("cannot read checkpoint " + snapshot.imageDir() + " to verify it", e);
    }
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      Long got = actual.get(e.getKey());
      if (got == null) {
        throw new SnapshotException("checkpoint file " + snapshot.imageDir().resolve(e.getKey()) + " is missing");
      }
      if (!got.equals(e.getValue())) {
        throw new SnapshotException("checkpoint file " + snapshot.imageDir().resolve(e.getKey()) + " changed since the dump (XXH3 "
            + Long.toHexString(e.getValue()) + " expected, " + Long.toHexString(got) + " found)");
      }
    }
  }

  private static Map<String, Long> fileSizes(Path dir) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f)) out.put(f.getFileName().toString(), Files.size(f));
      }
    }
    return out;
  }

  private static Map<String, Long> hashFiles(Path dir) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (!Files.isRegularFile(f)) continue;
        try (InputStream in = Files.newInputStream(f)) {
          // Chained per-chunk XXH3 (each chunk seeded with the previous hash): any changed byte changes it.
          byte[] chunk = new byte[1 << 20];
          long h = 0;
          int n;
          while ((n = in.readNBytes(chunk, 0, chunk.length)) > 0) {
            h = LongHashFunction.xx3(h).hashBytes(chunk, 0, n);
          }
          out.put(f.getFileName().toString(), h);
        }
      }
    }
    return out;
  }

  @Override
  public void registerBase(SandboxSpec spec, Path imageDir) {}

  @Override
  public void retireBase(SandboxSpec spec) {}

  @Override
  public void discard(StoredSnapshot snapshot) {
    checksums.remove(snapshot.imageDir());
    sizes.remove(snapshot.imageDir());
    deleteRecursively(snapshot.imageDir());
  }

  static long directorySize(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      long total = 0;
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p)) total += Files.size(p);
      }
      return total;
    }
  }

  /** Best-effort recursive delete; a snapshot that cannot be deleted is logged by the caller's purge. */
  public static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
