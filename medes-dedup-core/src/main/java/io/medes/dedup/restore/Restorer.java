package io.medes.dedup.restore;

import io.medes.dedup.base.BasePageSource;
import io.medes.dedup.base.BaseUnavailableException;
import io.medes.dedup.codec.CorruptPatchException;
import io.medes.dedup.codec.PatchCodec;
import io.medes.dedup.criu.PagesImage;
import io.medes.dedup.image.DedupImage;
import io.medes.dedup.image.DedupImageException;
import io.medes.dedup.image.DedupImageReader;
import io.medes.dedup.image.PageKind;
import io.medes.dedup.page.PageHashes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Rebuilds the pages images of a checkpoint from its dedup image, bit-exact, and verifies every page
 * against the hash recorded for it at dedup time.
 *
 * <p>Pages are rebuilt in parallel tasks (ranges of one pages image) on the given executor; the caller
 * blocks on futures, nothing spins. A task reads its span of the data section with one positional read,
 * fetches its base pages in one batch per base, decodes, verifies, and writes its range with one
 * positional write. Pages that copy an earlier page are filled in afterwards. Output files are written
 * under a temporary name and renamed only when every page verified; on any failure they are deleted
 * and a {@link RestoreException} tells the caller to cold-start instead.
 */
public final class Restorer {
  private static final int PAGE = DedupImage.PAGE_SIZE;
  static final int PAGES_PER_TASK = 1024;

  private final BasePageSource source;
  private final Executor executor;
  private final RecycledPagesFiles recycled;
  /**
   * Buffers of a restore task, kept per worker thread: a fresh set per task made a 120 MB restore
   * allocate ~350 MB of multi-megabyte arrays and spend a third of its time in the garbage collector.
   */
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  /** Grow-only arrays of one worker thread. */
  private static final class Scratch {
    byte[] data = new byte[0];
    byte[] basePages = new byte[0];
    byte[] output = new byte[0];
    long[] keys = new long[0];
    int[] pageIndexes = new int[0];

    byte[] data(int length) {
      return data = atLeast(data, length);
    }

    byte[] basePages(int length) {
      return basePages = atLeast(basePages, length);
    }

    byte[] output(int length) {
      return output = atLeast(output, length);
    }

    long[] keys(int length) {
      if (keys.length < length) keys = new long[length];
      return keys;
    }

    int[] pageIndexes(int length) {
      if (pageIndexes.length < length) pageIndexes = new int[length];
      return pageIndexes;
    }

    private static byte[] atLeast(byte[] buffer, int length) {
      return buffer.length < length ? new byte[length] : buffer;
    }

    /**
     * A direct buffer for file I/O. Handed a heap buffer, FileChannel copies through a temporary direct
     * buffer of the exact size and replaces its cached one whenever a larger size comes: with ranges of
     * varying sizes that meant fresh, zeroed native memory, and its page faults, several times a restore.
     */
    ByteBuffer io(int length) {
      if (io.capacity() < length) io = ByteBuffer.allocateDirect(Math.max(length, PAGES_PER_TASK * PAGE));
      io.clear().limit(length);
      return io;
    }

    private ByteBuffer io = ByteBuffer.allocateDirect(0);
  }

  public Restorer(BasePageSource source, Executor executor) {
    this(source, executor, RecycledPagesFiles.none());
  }

  /** A restorer that writes into {@code recycled} pages files where it can, instead of fresh ones. */
  public Restorer(BasePageSource source, Executor executor, RecycledPagesFiles recycled) {
    this.source = source;
    this.executor = executor;
    this.recycled = recycled;
  }

  /** Rebuilds every {@code pages-<id>.img} of the image's checkpoint into {@code outputDirectory}. */
  public RestoreResult restore(Path imageFile, Path outputDirectory) throws RestoreException {
    long t0 = System.nanoTime();
    DedupImageReader.Opened opened;
    try {
      opened = DedupImageReader.read(imageFile);
    } catch (DedupImageException e) {
      throw new RestoreException(RestoreException.Reason.BAD_IMAGE, -1, e.getMessage(), e);
    } catch (IOException e) {
      throw new RestoreException(RestoreException.Reason.BAD_IMAGE, -1, "cannot read " + imageFile + ": " + e, e);
    }
    DedupImage image = opened.image();
    List<Path> finals = new ArrayList<>();
    List<Path> partials = new ArrayList<>();
    List<FileChannel> outputs = new ArrayList<>();
    boolean done = false;
    try (FileChannel input = FileChannel.open(imageFile, StandardOpenOption.READ)) {
      for (DedupImage.PagesFile f : image.pagesFiles()) {
        Path target = outputDirectory.resolve(PagesImage.pagesFileName(f.pagesId()));
        Path partial = outputDirectory.resolve(target.getFileName() + ".partial");
        finals.add(target);
        partials.add(partial);
        long size = (long) f.pageCount() * PAGE;
        // Every page of the file is written below, so a kept file's old contents never survive.
        if (recycled.takeInto(partial, size)) {
          outputs.add(FileChannel.open(partial, StandardOpenOption.READ, StandardOpenOption.WRITE));
        } else {
          FileChannel ch = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.READ,
              StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
          outputs.add(ch);
          if (size > 0) ch.write(ByteBuffer.allocate(1), size - 1);
        }
      }
      rebuild(image, opened.dataOffset(), input, outputs);
      copyPages(image, outputs);
      for (FileChannel ch : outputs) ch.close();
      for (int i = 0; i < finals.size(); i++) {
        Files.move(partials.get(i), finals.get(i), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      done = true;
    } catch (IOException e) {
      throw new RestoreException(RestoreException.Reason.IO, -1, e.toString(), e);
    } finally {
      if (!done) {
        for (FileChannel ch : outputs) closeQuietly(ch);
        for (Path p : partials) deleteQuietly(p);
      }
    }
    return new RestoreResult(finals, image.pageCount(), System.nanoTime() - t0);
  }

  /** One parallel task per range of pages inside one pages image; fails with the first error. */
  private void rebuild(DedupImage image, long dataOffset, FileChannel input, List<FileChannel> outputs)
      throws RestoreException {
    AtomicReference<RestoreException> failure = new AtomicReference<>();
    List<CompletableFuture<Void>> tasks = new ArrayList<>();
    int first = 0;
    for (int f = 0; f < image.pagesFiles().size(); f++) {
      int count = image.pagesFiles().get(f).pageCount();
      FileChannel out = outputs.get(f);
      for (int local = 0; local < count; local += PAGES_PER_TASK) {
        int from = first + local;
        int to = first + Math.min(count, local + PAGES_PER_TASK);
        long position = (long) local * PAGE;
        tasks.add(CompletableFuture.runAsync(() -> {
          if (failure.get() != null) return; // another range failed: the restore is lost anyway
          try {
            rebuildRange(image, dataOffset, input, out, position, from, to);
          } catch (RestoreException e) {
            failure.compareAndSet(null, e);
          }
        }, executor));
      }
      first += count;
    }
    try {
      CompletableFuture.allOf(tasks.toArray(new CompletableFuture<?>[0])).join();
    } catch (CompletionException e) {
      failure.compareAndSet(null, new RestoreException(RestoreException.Reason.IO, -1, "restore task failed: "
          + e.getCause(), e.getCause()));
    }
    if (failure.get() != null) throw failure.get();
  }

  private void rebuildRange(DedupImage image, long dataOffset, FileChannel input, FileChannel out, long position,
      int from, int to) throws RestoreException {
    // The range's data: one contiguous span of the data section (the writer emits it in page order).
    long spanStart = Long.MAX_VALUE;
    long spanEnd = 0;
    int baseRefs = 0;
    for (int p = from; p < to; p++) {
      PageKind kind = image.kind(p);
      if (kind.hasData()) {
        spanStart = Math.min(spanStart, image.dataOffset(p));
        spanEnd = Math.max(spanEnd, image.dataOffset(p) + image.dataLength(p));
      }
      if (kind.usesBase()) baseRefs++;
    }
    Scratch buffers = scratch.get();
    byte[] data = buffers.data(0);
    if (spanEnd > 0) {
      if (spanEnd - spanStart > Integer.MAX_VALUE - 16) {
        throw new RestoreException(RestoreException.Reason.BAD_IMAGE, from, "data span of a range exceeds 2 GiB", null);
      }
      data = buffers.data((int) (spanEnd - spanStart));
      ByteBuffer span = buffers.io((int) (spanEnd - spanStart));
      readFully(input, span, dataOffset + spanStart, from);
      span.flip().get(data, 0, (int) (spanEnd - spanStart));
    }

    // Base pages, one batch per base.
    long[] keys = buffers.keys(baseRefs);
    int k = 0;
    for (int p = from; p < to; p++) {
      if (image.kind(p).usesBase()) keys[k++] = ((long) image.baseIndex(p) << 32) | (image.basePage(p) & 0xffffffffL);
    }
    Arrays.sort(keys, 0, baseRefs);
    int unique = 0;
    for (int i = 0; i < baseRefs; i++) {
      if (unique == 0 || keys[unique - 1] != keys[i]) keys[unique++] = keys[i];
    }
    byte[] basePages = buffers.basePages(unique * PAGE);
    int[] pageIndexes = buffers.pageIndexes(unique);
    for (int i = 0; i < unique; ) {
      int b = (int) (keys[i] >>> 32);
      int j = i;
      while (j < unique && (int) (keys[j] >>> 32) == b) {
        pageIndexes[j] = (int) keys[j];
        j++;
      }
      String baseId = image.bases().get(b).baseId();
      try {
        source.readPages(baseId, pageIndexes, i, j - i, basePages, i * PAGE);
      } catch (BaseUnavailableException e) {
        throw new RestoreException(RestoreException.Reason.BASE_UNAVAILABLE, from, e.getMessage(), e);
      } catch (RuntimeException e) {
        throw new RestoreException(RestoreException.Reason.BASE_UNAVAILABLE, from, "reading base " + baseId + ": " + e, e);
      }
      i = j;
    }

    byte[] output = buffers.output((to - from) * PAGE);
    long[] hash = new long[2];
    try (PatchCodec codec = image.codec().newCodec(image.codecLevel())) {
      for (int p = from; p < to; p++) {
        int at = (p - from) * PAGE;
        PageKind kind = image.kind(p);
        int dataAt = kind.hasData() ? (int) (image.dataOffset(p) - spanStart) : 0;
        try {
          switch (kind) {
            case ZERO:
            case COPY: // filled in by copyPages once every range is written
              // The buffer is reused across restores: never let another sandbox's bytes reach this file.
              Arrays.fill(output, at, at + PAGE, (byte) 0);
              continue;
            case SAME:
              System.arraycopy(basePages, slot(keys, unique, image, p) * PAGE, output, at, PAGE);
              break;
            case PATCH:
              codec.decode(data, dataAt, image.dataLength(p), basePages, slot(keys, unique, image, p) * PAGE, output, at);
              break;
            case COMPRESSED:
              codec.decompress(data, dataAt, image.dataLength(p), output, at);
              break;
            case RAW:
              System.arraycopy(data, dataAt, output, at, PAGE);
              break;
            default:
              throw new AssertionError(kind);
          }
        } catch (CorruptPatchException e) {
          throw new RestoreException(RestoreException.Reason.CORRUPT_PATCH, p, e.getMessage(), e);
        }
        PageHashes.hash(output, at, hash, 0);
        if (hash[0] != image.hashLow(p) || hash[1] != image.hashHigh(p)) {
          throw new RestoreException(RestoreException.Reason.HASH_MISMATCH, p,
              kind + " page does not match its recorded hash", null);
        }
      }
    }
    for (int p = from; p < to; p++) {
      if (image.kind(p) == PageKind.ZERO
          && (image.hashLow(p) != PageHashes.ZERO_PAGE[0] || image.hashHigh(p) != PageHashes.ZERO_PAGE[1])) {
        throw new RestoreException(RestoreException.Reason.HASH_MISMATCH, p, "zero page recorded with a non-zero hash",
            null);
      }
    }
    try {
      ByteBuffer buf = buffers.io((to - from) * PAGE);
      buf.put(output, 0, (to - from) * PAGE).flip();
      long pos = position;
      while (buf.hasRemaining()) pos += out.write(buf, pos);
    } catch (IOException e) {
      throw new RestoreException(RestoreException.Reason.IO, from, "writing rebuilt pages: " + e, e);
    }
  }

  private static int slot(long[] keys, int unique, DedupImage image, int p) {
    long key = ((long) image.baseIndex(p) << 32) | (image.basePage(p) & 0xffffffffL);
    return Arrays.binarySearch(keys, 0, unique, key);
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position, int page) throws RestoreException {
    long pos = position;
    try {
      while (buf.hasRemaining()) {
        int n = ch.read(buf, pos);
        if (n < 0) throw new RestoreException(RestoreException.Reason.BAD_IMAGE, page, "data section truncated", null);
        pos += n;
      }
    } catch (IOException e) {
      throw new RestoreException(RestoreException.Reason.IO, page, "reading the dedup image: " + e, e);
    }
  }

  /** Fills pages that copy an earlier page of the same checkpoint, verifying each. */
  private void copyPages(DedupImage image, List<FileChannel> outputs) throws RestoreException {
    int[] fileOf = new int[image.pageCount()];
    int[] localOf = new int[image.pageCount()];
    int p = 0;
    for (int f = 0; f < image.pagesFiles().size(); f++) {
      for (int i = 0; i < image.pagesFiles().get(f).pageCount(); i++, p++) {
        fileOf[p] = f;
        localOf[p] = i;
      }
    }
    byte[] page = new byte[PAGE];
    long[] hash = new long[2];
    for (p = 0; p < image.pageCount(); p++) {
      if (image.kind(p) != PageKind.COPY) continue;
      int src = image.copySource(p);
      try {
        ByteBuffer buf = ByteBuffer.wrap(page);
        long pos = (long) localOf[src] * PAGE;
        while (buf.hasRemaining()) {
          int n = outputs.get(fileOf[src]).read(buf, pos);
          if (n < 0) throw new IOException("rebuilt pages image shorter than expected");
          pos += n;
        }
        PageHashes.hash(page, 0, hash, 0);
        if (hash[0] != image.hashLow(p) || hash[1] != image.hashHigh(p)) {
          throw new RestoreException(RestoreException.Reason.HASH_MISMATCH, p,
              "copy of page " + src + " does not match its recorded hash", null);
        }
        buf = ByteBuffer.wrap(page);
        pos = (long) localOf[p] * PAGE;
        while (buf.hasRemaining()) pos += outputs.get(fileOf[p]).write(buf, pos);
      } catch (IOException e) {
        throw new RestoreException(RestoreException.Reason.IO, p, "copying page " + src + ": " + e, e);
      }
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // already failing; the partial file is deleted next
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort: a leftover .partial file is never mistaken for a pages image
    }
  }
}
