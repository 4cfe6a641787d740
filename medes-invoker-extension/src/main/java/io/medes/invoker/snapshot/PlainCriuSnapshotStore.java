package io.medes.invoker.snapshot;

import io.medes.invoker.runtime.SandboxSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Keeps the CRIU image untouched: the baseline a dedup start is compared against ("plain CRIU
 * restore of the same sandbox"). It has no bases.
 */
public final class PlainCriuSnapshotStore implements SnapshotStore {

  @Override
  public String name() {
    return "plain-criu";
  }

  @Override
  public StoredSnapshot store(SandboxSpec spec, Path imageDir) throws SnapshotException {
    try {
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
  }

  @Override
  public void registerBase(SandboxSpec spec, Path imageDir) {}

  @Override
  public void retireBase(SandboxSpec spec) {}

  @Override
  public void discard(StoredSnapshot snapshot) {
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
