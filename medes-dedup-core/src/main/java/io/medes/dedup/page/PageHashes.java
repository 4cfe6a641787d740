package io.medes.dedup.page;

import net.openhft.hashing.LongTupleHashFunction;

/** The strong (128-bit XXH3) page hash used to detect identical pages and to verify restored pages. */
public final class PageHashes {
  private PageHashes() {}

  private static final LongTupleHashFunction XX128 = LongTupleHashFunction.xx128();

  /** Hash of a page of 4096 zero bytes: {@code [low, high]}. */
  public static final long[] ZERO_PAGE;

  static {
    ZERO_PAGE = new long[2];
    hash(new byte[PageArray.PAGE_SIZE], 0, ZERO_PAGE, 0);
  }

  /** Writes the 128-bit hash of {@code page[off .. off+4096)} to {@code out[outOff]}, {@code out[outOff+1]}. */
  public static void hash(byte[] page, int off, long[] out, int outOff) {
    long[] r = new long[2];
    XX128.hashBytes(page, off, PageArray.PAGE_SIZE, r);
    out[outOff] = r[0];
    out[outOff + 1] = r[1];
  }

  /** Like {@link #hash(byte[], int, long[], int)} with a caller-owned two-element scratch array. */
  static void hash(byte[] page, int off, long[] out, int outOff, long[] scratch) {
    XX128.hashBytes(page, off, PageArray.PAGE_SIZE, scratch);
    out[outOff] = scratch[0];
    out[outOff + 1] = scratch[1];
  }
}
