package io.medes.dedup.page;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Digests of every page of a {@link PageArray}, as flat arrays: per page its strong hash, whether it
 * is all zero, and its sampled fingerprints.
 */
public final class PageDigests {
  /** Pages per parallel task: big enough to amortise scheduling, small enough to balance 2-16 cores. */
  static final int PAGES_PER_TASK = 1024;

  private final int pageCount;
  private final int chunksPerPage;
  private final long[] hashes;
  private final long[] fingerprints;
  /** -1 for a zero page, else the number of fingerprints. */
  private final byte[] fingerprintCount;

  private PageDigests(int pageCount, int chunksPerPage) {
    this.pageCount = pageCount;
    this.chunksPerPage = chunksPerPage;
    this.hashes = new long[2 * pageCount];
    this.fingerprints = new long[pageCount * chunksPerPage];
    this.fingerprintCount = new byte[pageCount];
  }

  /** Digests every page of {@code pages}, split into tasks run on {@code executor}. */
  public static PageDigests compute(PageArray pages, int chunksPerPage, Executor executor) {
    PageDigests d = new PageDigests(pages.pageCount(), chunksPerPage);
    List<CompletableFuture<Void>> tasks = new ArrayList<>();
    for (int first = 0; first < d.pageCount; first += PAGES_PER_TASK) {
      int from = first;
      int to = Math.min(d.pageCount, first + PAGES_PER_TASK);
      tasks.add(CompletableFuture.runAsync(() -> d.digestRange(pages, from, to), executor));
    }
    CompletableFuture.allOf(tasks.toArray(new CompletableFuture<?>[0])).join();
    return d;
  }

  /** Digests every page on the calling thread. */
  public static PageDigests compute(PageArray pages, int chunksPerPage) {
    return compute(pages, chunksPerPage, true);
  }

  public static PageDigests compute(PageArray pages, int chunksPerPage, boolean maskPointers) {
    PageDigests d = new PageDigests(pages.pageCount(), chunksPerPage);
    d.maskPointers = maskPointers;
    d.digestRange(pages, 0, d.pageCount);
    return d;
  }
  private boolean maskPointers = true;

  private void digestRange(PageArray pages, int from, int to) {
    PageFingerprinter fp = new PageFingerprinter(chunksPerPage, maskPointers);
    byte[] page = new byte[PageArray.PAGE_SIZE];
    for (int i = from; i < to; i++) {
      pages.copyPage(i, page, 0);
      fingerprintCount[i] = (byte) fp.digest(page, 0, i, hashes, fingerprints);
    }
  }

  public int pageCount() { return pageCount; }
  public int chunksPerPage() { return chunksPerPage; }

  public boolean isZero(int page) { return fingerprintCount[page] < 0; }

  /** Number of sampled fingerprints of {@code page} (0 for a zero page). */
  public int fingerprintCount(int page) { return Math.max(0, fingerprintCount[page]); }

  public long fingerprint(int page, int j) { return fingerprints[page * chunksPerPage + j]; }

  public long hashLow(int page) { return hashes[2 * page]; }
  public long hashHigh(int page) { return hashes[2 * page + 1]; }

  /** The fingerprints of {@code page} as a new array (zero pages have none). */
  public long[] fingerprintsOf(int page) {
    long[] out = new long[fingerprintCount(page)];
    System.arraycopy(fingerprints, page * chunksPerPage, out, 0, out.length);
    return out;
  }

  /** Fingerprints per page in the shape {@code FingerprintRegistry.registerBase} takes. */
  public long[][] fingerprintsPerPage() {
    long[][] out = new long[pageCount][];
    for (int i = 0; i < pageCount; i++) out[i] = fingerprintsOf(i);
    return out;
  }
}
