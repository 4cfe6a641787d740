package io.medes.dedup.analysis;

import io.medes.dedup.codec.PatchCodec;
import io.medes.dedup.codec.PatchCodecKind;
import io.medes.dedup.page.PageArray;
import io.medes.dedup.page.PageDigests;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The two alternatives an operator has without Medes, measured on the same checkpoint, so every dedup
 * saving is reported next to them:
 * <ul>
 *   <li><b>compress-only</b>: every page compressed on its own with the same compressor the dedup image
 *       uses for pages without a base (no bases, no index); a page that does not shrink counts 4096;
 *   <li><b>identical-only</b>: what KSM/UPM-style merging leaves: zero pages and pages byte-identical to
 *       a base page or to an earlier page of the same checkpoint (strong hash) are removed, every other
 *       page stays raw.
 * </ul>
 */
public final class Baselines {
  private static final int PAGE = PageArray.PAGE_SIZE;
  private static final int PAGES_PER_TASK = 1024;

  private final long compressOnlyBytes;
  private final long identicalOnlyBytes;
  private final int zeroPages;
  private final int identicalPages;

  private Baselines(long compressOnlyBytes, long identicalOnlyBytes, int zeroPages, int identicalPages) {
    this.compressOnlyBytes = compressOnlyBytes;
    this.identicalOnlyBytes = identicalOnlyBytes;
    this.zeroPages = zeroPages;
    this.identicalPages = identicalPages;
  }

  /**
   * Measures both baselines for {@code pages} (digested as {@code digests}); {@code basePageHashes}
   * holds the strong hashes of the base pages a KSM-like merger could share with.
   */
  public static Baselines measure(PageArray pages, PageDigests digests, Set<HashPair> basePageHashes,
      PatchCodecKind codec, int level, Executor executor) {
    int n = pages.pageCount();
    List<CompletableFuture<Long>> tasks = new ArrayList<>();
    for (int from = 0; from < n; from += PAGES_PER_TASK) {
      int start = from;
      int end = Math.min(n, from + PAGES_PER_TASK);
      tasks.add(CompletableFuture.supplyAsync(() -> compressRange(pages, codec, level, start, end), executor));
    }
    long compressed = 0;
    for (CompletableFuture<Long> t : tasks) compressed += t.join();

    int zero = 0;
    int identical = 0;
    Set<HashPair> own = new HashSet<>();
    for (int p = 0; p < n; p++) {
      if (digests.isZero(p)) {
        zero++;
        continue;
      }
      HashPair h = new HashPair(digests.hashLow(p), digests.hashHigh(p));
      if (basePageHashes.contains(h) || !own.add(h)) identical++;
    }
    long identicalOnly = (long) (n - zero - identical) * PAGE;
    return new Baselines(compressed, identicalOnly, zero, identical);
  }

  private static long compressRange(PageArray pages, PatchCodecKind codec, int level, int from, int to) {
    byte[] page = new byte[PAGE];
    byte[] out = new byte[2 * PAGE];
    long total = 0;
    try (PatchCodec c = codec.newCodec(level)) {
      for (int p = from; p < to; p++) {
        pages.copyPage(p, page, 0);
        int len = c.compress(page, 0, out, 0, PAGE - 1);
        total += len > 0 ? len : PAGE;
      }
    }
    return total;
  }

  /** Bytes of the checkpoint with every page compressed alone. */
  public long compressOnlyBytes() { return compressOnlyBytes; }

  /** Bytes left after removing zero and identical pages, the rest raw. */
  public long identicalOnlyBytes() { return identicalOnlyBytes; }

  public int zeroPages() { return zeroPages; }
  public int identicalPages() { return identicalPages; }

  /** A 128-bit page hash as a set element. */
  public static final class HashPair {
    private final long low;
    private final long high;

    public HashPair(long low, long high) {
      this.low = low;
      this.high = high;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof HashPair && ((HashPair) o).low == low && ((HashPair) o).high == high;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(low * 31 + high);
    }
  }
}
