package io.medes.dedup.page;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import net.openhft.hashing.LongHashFunction;

/**
 * Computes a page's digest: whether it is all zero, its strong 128-bit hash, and up to
 * {@code chunksPerPage} value-sampled, content-defined fingerprints of 64-byte chunks.
 *
 * <p>Sampling: a Gear rolling hash ({@code g = (g << 1) + GEAR[byte]}) runs over every byte of the
 * page. After byte {@code i} its value depends exactly on bytes {@code i-63 .. i} (older bytes are
 * shifted out), so it is a hash of the 64-byte window ending at {@code i}; only windows lying fully
 * inside the page are considered, and nothing outside the page is read. The page keeps the windows
 * with the {@code chunksPerPage} smallest distinct non-zero Gear values (a bottom-k sketch: the
 * sampling threshold adapts so that about k windows pass, chosen by value across the whole page, not
 * by position). All-zero windows have Gear value 0 and are never sampled. Two pages share a sampled
 * chunk with probability that grows with the fraction of 64-byte windows they share, at any byte
 * offset, so pointers shifted by ASLR or data moved within a page still match. A chunk's fingerprint
 * is the 64-bit XXH3 of its 64 bytes.
 *
 * <p>Not thread-safe: use one instance per thread (it owns scratch arrays).
 */
public final class PageFingerprinter {
  public static final int CHUNK_SIZE = 64;
  /** Upper bound for {@code chunksPerPage}: keeps per-page bookkeeping small. */
  public static final int MAX_CHUNKS_PER_PAGE = 32;

  private static final int PAGE = PageArray.PAGE_SIZE;
  private static final long[] GEAR = GearTable.GEAR;
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final LongHashFunction CHUNK_HASH = LongHashFunction.xx3(0x6d65646573L);

  private final int chunksPerPage;
  private final long[] bestGear;
  private final int[] bestEnd;
  private final long[] hashScratch = new long[2];
  private final boolean maskPointers;
  private final byte[] masked = new byte[PAGE];

  public PageFingerprinter(int chunksPerPage) {
    this(chunksPerPage, true);
  }

  public PageFingerprinter(int chunksPerPage, boolean maskPointers) {
    this.maskPointers = maskPointers;
    if (chunksPerPage < 1 || chunksPerPage > MAX_CHUNKS_PER_PAGE) {
      throw new IllegalArgumentException(
          "chunks-per-page must be in [1, " + MAX_CHUNKS_PER_PAGE + "], got " + chunksPerPage);
    }
    this.chunksPerPage = chunksPerPage;
    this.bestGear = new long[chunksPerPage];
    this.bestEnd = new int[chunksPerPage];
  }

  public int chunksPerPage() {
    return chunksPerPage;
  }

  /** Whether {@code page[off .. off+4096)} is all zero. */
  public static boolean isZero(byte[] page, int off) {
    long acc = 0;
    for (int i = 0; i < PAGE; i += 32) {
      acc |= (long) LONGS.get(page, off + i) | (long) LONGS.get(page, off + i + 8)
          | (long) LONGS.get(page, off + i + 16) | (long) LONGS.get(page, off + i + 24);
      if (acc != 0) return false;
    }
    return true;
  }

  /**
   * Digests one page. Writes its strong hash to {@code hashes[2*slot]}, {@code hashes[2*slot+1]} and
   * its fingerprints to {@code fingerprints[slot*chunksPerPage ..]}.
   *
   * @return the number of fingerprints written (0 .. chunksPerPage), or -1 if the page is all zero (then
   *     no fingerprint is written and the hash is {@link PageHashes#ZERO_PAGE})
   */
  public int digest(byte[] page, int off, int slot, long[] hashes, long[] fingerprints) {
    if (isZero(page, off)) {
      hashes[2 * slot] = PageHashes.ZERO_PAGE[0];
      hashes[2 * slot + 1] = PageHashes.ZERO_PAGE[1];
      return -1;
    }
    PageHashes.hash(page, off, hashes, 2 * slot, hashScratch);
    if (maskPointers) {
      maskPointers(page, off, masked);
      page = masked;
      off = 0;
    }
    int n = sample(page, off);
    int base = slot * chunksPerPage;
    for (int j = 0; j < n; j++) {
      fingerprints[base + j] = CHUNK_HASH.hashBytes(page, off + bestEnd[j] - (CHUNK_SIZE - 1), CHUNK_SIZE);
    }
    return n;
  }

  /**
   * Copies the page with every aligned 64-bit word that looks like a user-space pointer reduced to the
   * bits ASLR leaves alone (the region prefix from bit 44 up and the offset in the page below bit 12).
   * Two sandboxes of one function then share the windows in which only pointer values differ.
   */
  static void maskPointers(byte[] page, int off, byte[] out) {
    for (int i = 0; i < PAGE; i += 8) {
      long w = (long) LONGS.get(page, off + i);
      if ((w >>> 47) == 0 && (w >>> 32) != 0) {
        w &= POINTER_KEEP;
      }
      LONGS.set(out, i, w);
    }
  }

  private static final long POINTER_KEEP = 0xFFFF_F000_0000_0FFFL;

  /** Bottom-k window selection; leaves the k best in bestGear/bestEnd ascending; returns how many. */
  private int sample(byte[] page, int off) {
    final int k = chunksPerPage;
    final long[] gear = GEAR;
    int filled = 0;
    // Unsigned comparison via sign flip; until k windows are kept every non-zero value qualifies.
    long threshold = Long.MAX_VALUE;
    long g = 0;
    for (int i = 0; i < CHUNK_SIZE - 1; i++) {
      g = (g << 1) + gear[page[off + i] & 0xff];
    }
    for (int i = CHUNK_SIZE - 1; i < PAGE; i++) {
      g = (g << 1) + gear[page[off + i] & 0xff];
      if ((g ^ Long.MIN_VALUE) < threshold && g != 0) {
        filled = keep(g, i, filled, k);
        threshold = filled == k ? bestGear[k - 1] ^ Long.MIN_VALUE : Long.MAX_VALUE;
      }
    }
    return filled;
  }

  private int keep(long g, int end, int filled, int k) {
    long flipped = g ^ Long.MIN_VALUE;
    int pos = filled;
    while (pos > 0 && (bestGear[pos - 1] ^ Long.MIN_VALUE) >= flipped) {
      if (bestGear[pos - 1] == g) {
        return filled; // a repeated window (same content, same value) adds no information
      }
      pos--;
    }
    if (pos >= k) return filled;
    int last = Math.min(filled, k - 1);
    for (int j = last; j > pos; j--) {
      bestGear[j] = bestGear[j - 1];
      bestEnd[j] = bestEnd[j - 1];
    }
    bestGear[pos] = g;
    bestEnd[pos] = end;
    return filled < k ? filled + 1 : k;
  }
}
