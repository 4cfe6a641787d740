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
  private final boolean maskPointers;
  private final long[] hashes;
  private final long[] fingerprints;
  /** -1 for a zero page, else the number of fingerprints. */
  private final byte[] fingerprintCount;

  private PageDigests(int pageCount, int chunksPerPage, boolean maskPointers) {
    this(pageCount, chunksPerPage, maskPointers, new long[2 * pageCount], new long[pageCount * chunksPerPage],
        new byte[pageCount]);
  }

  private PageDigests(int pageCount, int chunksPerPage, boolean maskPointers, long[] hashes, long[] fingerprints,
      byte[] fingerprintCount) {
    this.pageCount = pageCount;
    this.chunksPerPage = chunksPerPage;
    this.maskPointers = maskPointers;
    this.hashes = hashes;
    this.fingerprints = fingerprints;
    this.fingerprintCount = fingerprintCount;
  }

  /**
   * Digests rebuilt from their flat arrays (for manifests read from disk): {@code hashes} two longs per
   * page, {@code fingerprints} {@code chunksPerPage} per page, {@code fingerprintCount} -1 for zero pages.
   */
  public static PageDigests of(int chunksPerPage, boolean maskPointers, long[] hashes, long[] fingerprints,
      byte[] fingerprintCount) {
    int n = fingerprintCount.length;
    if (hashes.length != 2 * n || fingerprints.length != (long) n * chunksPerPage) {
      throw new IllegalArgumentException("digest arrays disagree on the page count " + n);
    }
    for (byte c : fingerprintCount) {
      if (c < -1 || c > chunksPerPage) throw new IllegalArgumentException("fingerprint count " + c + " out of range");
    }
    return new PageDigests(n, chunksPerPage, maskPointers, hashes, fingerprints, fingerprintCount);
  }

  /** Digests every page of {@code pages}, split into tasks run on {@code executor}. */
  public static PageDigests compute(PageArray pages, FingerprintScheme scheme, Executor executor) {
    PageDigests d = new PageDigests(pages.pageCount(), scheme.chunksPerPage(), scheme.maskPointers());
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
  public static PageDigests compute(PageArray pages, FingerprintScheme scheme) {
    PageDigests d = new PageDigests(pages.pageCount(), scheme.chunksPerPage(), scheme.maskPointers());
    d.digestRange(pages, 0, d.pageCount);
    return d;
  }

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

  /** The fingerprint parameters these digests were computed with. */
  public FingerprintScheme scheme() { return new FingerprintScheme(chunksPerPage, maskPointers); }

  /** Raw count of {@code page}: -1 for a zero page, else its number of fingerprints. */
  public int rawCount(int page) { return fingerprintCount[page]; }

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
