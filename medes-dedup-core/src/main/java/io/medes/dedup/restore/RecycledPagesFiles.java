package io.medes.dedup.restore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pages files kept, memory and all, for later rebuilds to write into instead of fresh files.
 *
 * <p>Writing a rebuilt image into new tmpfs pages makes the kernel allocate and zero every page. In a VM
 * whose balloon reports free memory to the host (virtio free page reporting), memory that stayed free for
 * a few seconds has also been handed back, and every page of it faults on the host when touched again:
 * 200 MiB written into a new file on the huge-page tmpfs took 250–450 ms (p50 284) that way here, and
 * 8 ms written over the pages of a kept file (docs/results/restore-path.md, section 6). So the pages files
 * of deduplicated and of restored checkpoints are moved here instead of deleted, up to a capacity, and a
 * rebuild takes one when there is one. The memory kept is the invoker's, a fixed reserve like its heap.
 *
 * <p>No sandbox's memory reaches another one through a kept file: the {@link Restorer} writes every page
 * of a file it takes before CRIU can read it, and the directory is the invoker's alone (mode 0700).
 * A kept file must be on the same file system as the images it is taken into; where a move fails, the
 * file is deleted and the rebuild writes a fresh one. Thread-safe.
 */
public final class RecycledPagesFiles implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RecycledPagesFiles.class);
  private static final RecycledPagesFiles NONE = new RecycledPagesFiles(null, 0);

  private final Path directory;
  private final long capacityBytes;
  private final List<Kept> kept = new ArrayList<>();
  private long keptBytes;
  private long sequence;
  private boolean directoryReady;

  private static final class Kept {
    final Path file;
    final long size;

    Kept(Path file, long size) {
      this.file = file;
      this.size = size;
    }
  }

  /**
   * Keeps up to {@code capacityBytes} of pages files in {@code directory} (created on first use). Files an
   * earlier process left there are deleted on first use: after an unclean stop they are leaked memory.
   */
  public RecycledPagesFiles(Path directory, long capacityBytes) {
    if (capacityBytes < 0) throw new IllegalArgumentException("capacity must not be negative: " + capacityBytes);
    if (capacityBytes > 0 && directory == null) throw new IllegalArgumentException("a capacity needs a directory");
    this.directory = directory;
    this.capacityBytes = capacityBytes;
  }

  /** Keeps nothing: every rebuild writes fresh files, every recycled file is deleted. */
  public static RecycledPagesFiles none() {
    return NONE;
  }

  /**
   * Moves a kept file to {@code target}, sized to exactly {@code size} bytes, and returns true; returns
   * false when none is kept (or the move failed), and the caller writes a fresh file. The best fit is
   * taken: the smallest file at least as large, else the largest one.
   */
  public boolean takeInto(Path target, long size) throws IOException {
    if (size <= 0) return false;
    Kept chosen;
    synchronized (this) {
      chosen = bestFit(size);
      if (chosen == null) return false;
      kept.remove(chosen);
      keptBytes -= chosen.size;
    }
    try {
      Files.move(chosen.file, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return false; // removed under us (another process cleared the directory): write a fresh file
    } catch (IOException e) {
      log.warn("cannot move kept pages file {} to {}; writing a fresh one: {}", chosen.file, target, e.toString());
      Files.deleteIfExists(chosen.file);
      return false;
    }
    try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
      if (chosen.size > size) {
        ch.truncate(size);
      } else if (chosen.size < size) {
        ch.write(ByteBuffer.allocate(1), size - 1);
      }
    } catch (IOException e) {
      Files.deleteIfExists(target);
      throw e;
    }
    return true;
  }

  private Kept bestFit(long size) {
    Kept fit = null;
    Kept largest = null;
    for (Kept k : kept) {
      if (k.size >= size && (fit == null || k.size < fit.size)) fit = k;
      if (largest == null || k.size > largest.size) largest = k;
    }
    return fit != null ? fit : largest;
  }

  /**
   * Takes over a pages file that is no longer needed: keeps it if it fits in the capacity, otherwise
   * deletes it. A missing file is ignored.
   */
  public void recycle(Path file) throws IOException {
    long size;
    try {
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      return;
    }
    Path keptFile;
    synchronized (this) {
      if (size == 0 || keptBytes + size > capacityBytes || !ensureDirectory()) {
        keptFile = null;
      } else {
        keptFile = directory.resolve("pages-" + (++sequence) + ".kept");
        keptBytes += size; // reserved before the move, so concurrent recycles respect the capacity
      }
    }
    if (keptFile == null) {
      Files.deleteIfExists(file);
      return;
    }
    try {
      Files.move(file, keptFile, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      synchronized (this) {
        keptBytes -= size;
      }
      Files.deleteIfExists(file);
      if (!(e instanceof NoSuchFileException)) {
        log.warn("cannot keep pages file {} in {} (deleted instead): {}", file, directory, e.toString());
      }
      return;
    }
    synchronized (this) {
      kept.add(new Kept(keptFile, size));
    }
  }

  /** Bytes of the files kept now: memory the invoker holds for rebuilds. */
  public synchronized long keptBytes() {
    return keptBytes;
  }

  /** Files kept now. */
  public synchronized int keptFiles() {
    return kept.size();
  }

  private boolean ensureDirectory() {
    if (directoryReady) return true;
    try {
      Files.createDirectories(directory);
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
      deleteContents();
      directoryReady = true;
    } catch (IOException e) {
      log.warn("cannot use {} for kept pages files; rebuilds write fresh files: {}", directory, e.toString());
    }
    return directoryReady;
  }

  private void deleteContents() throws IOException {
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(directory)) {
      for (Path p : stale) Files.deleteIfExists(p);
    }
  }

  /** Deletes every kept file, freeing its memory. */
  @Override
  public void close() {
    List<Kept> all;
    synchronized (this) {
      all = new ArrayList<>(kept);
      kept.clear();
      keptBytes = 0;
    }
    for (Kept k : all) {
      try {
        Files.deleteIfExists(k.file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete kept pages file " + k.file, e);
      }
    }
  }
}
