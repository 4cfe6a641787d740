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
  /** All ones when pointer masking is on, else zero. */
  private final long maskEnabled;

  public PageFingerprinter(int chunksPerPage) {
    this(chunksPerPage, true);
  }

  public PageFingerprinter(int chunksPerPage, boolean maskPointers) {
    this.maskPointers = maskPointers;
    this.maskEnabled = maskPointers ? -1L : 0L;
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
    int n = sample(page, off);
    int base = slot * chunksPerPage;
    for (int j = 0; j < n; j++) {
      int start = bestEnd[j] - (CHUNK_SIZE - 1);
      if (maskPointers) {
        // The window as sampling saw it: aligned words around it, pointer-masked.
        int first = start & ~7;
        for (int w = 0; w < WINDOW_WORDS; w++) {
          int at = first + 8 * w;
          LONGS.set(window, 8 * w, at < PAGE ? masked((long) LONGS.get(page, off + at)) : 0L);
        }
        fingerprints[base + j] = CHUNK_HASH.hashBytes(window, start - first, CHUNK_SIZE);
      } else {
        fingerprints[base + j] = CHUNK_HASH.hashBytes(page, off + start, CHUNK_SIZE);
      }
    }
    return n;
  }

  private static final int WINDOW_WORDS = CHUNK_SIZE / 8 + 1;
  private final byte[] window = new byte[8 * WINDOW_WORDS];

  /**
   * The value of an aligned 64-bit word as sampling sees it: a word that looks like a user-space
   * pointer keeps only the bits ASLR leaves alone (the region prefix from bit 44 up and the offset in
   * the page below bit 12). Two sandboxes of one function then share the windows in which only pointer
   * values differ.
   */
  private long masked(long w) {
    // Branch-free: pointer and non-pointer words alternate unpredictably in real pages.
    long userSpace = ((w >>> 47) - 1) >> 63; // all ones iff bits 47..63 are zero
    long aboveFourGiB = -(w >>> 32) >> 63; // all ones iff some bit 32..46 is set
    return w & (POINTER_KEEP | ~(userSpace & aboveFourGiB & maskEnabled));
  }

  private static final long POINTER_KEEP = 0xFFFF_F000_0000_0FFFL;

  private int filled;
  private long threshold;

  /**
   * Bottom-k window selection over the (masked) page; leaves the k best in bestGear/bestEnd ascending
   * and returns how many. Two independent Gear chains (first and second half of the page, the second
   * primed with the 63 bytes before it) run interleaved so the CPU overlaps their dependency chains;
   * the result equals one chain over the whole page. Words are loaded 8 bytes at a time and masked once.
   */
  private int sample(byte[] page, int off) {
    final long[] gear = GEAR_FLIPPED;
    final int half = PAGE / 2;
    filled = 0;
    threshold = Long.MAX_VALUE; // unsigned comparison via sign flip; accepts everything until k are kept
    // Chains hold sign-flipped Gear values: ((g ^ MIN) << 1) == (g << 1), and adding G ^ MIN flips the
    // top bit back, so a signed compare with the flipped threshold is the unsigned compare of g, and
    // g == 0 (an all-zero window) is MIN_VALUE.
    long ga = Long.MIN_VALUE;
    long gb = Long.MIN_VALUE;
    // Prime both chains with the first 56 bytes of their halves.
    for (int i = 0; i < CHUNK_SIZE - 8; i += 8) {
      long wa = masked((long) LONGS.get(page, off + i));
      long wb = masked((long) LONGS.get(page, off + half + i));
      for (int t = 0; t < 64; t += 8) {
        ga = (ga << 1) + gear[(int) (wa >>> t) & 0xff];
        gb = (gb << 1) + gear[(int) (wb >>> t) & 0xff];
      }
    }
    // Bytes 56..62 of each half complete no window yet; byte 63 completes the first one.
    long wa0 = masked((long) LONGS.get(page, off + CHUNK_SIZE - 8));
    long wb0 = masked((long) LONGS.get(page, off + half + CHUNK_SIZE - 8));
    for (int t = 0; t < 56; t += 8) {
      ga = (ga << 1) + gear[(int) (wa0 >>> t) & 0xff];
      gb = (gb << 1) + gear[(int) (wb0 >>> t) & 0xff];
    }
    ga = (ga << 1) + gear[(int) (wa0 >>> 56) & 0xff];
    gb = (gb << 1) + gear[(int) (wb0 >>> 56) & 0xff];
    long thr = threshold;
    if (ga < thr && ga != Long.MIN_VALUE) thr = keep(ga ^ Long.MIN_VALUE, CHUNK_SIZE - 1);
    if (gb < thr && gb != Long.MIN_VALUE) thr = keep(gb ^ Long.MIN_VALUE, half + CHUNK_SIZE - 1);
    // Steady state, unrolled by word: chain B's windows ending before half+63 would straddle the
    // halves; chain A covers those below.
    for (int i = CHUNK_SIZE; i < half; i += 8) {
      long wa = masked((long) LONGS.get(page, off + i));
      long wb = masked((long) LONGS.get(page, off + half + i));
      ga = (ga << 1) + gear[(int) wa & 0xff];
      gb = (gb << 1) + gear[(int) wb & 0xff];
      if (ga < thr && ga != Long.MIN_VALUE) thr = keep(ga ^ Long.MIN_VALUE, i + 0);
      if (gb < thr && gb != Long.MIN_VALUE) thr = keep(gb ^ Long.MIN_VALUE, half + i + 0);
      ga = (ga << 1) + gear[(int) (wa >>> 8) & 0xff];
      gb = (gb << 1) + gear[(int) (wb >>> 8) & 0xff];
      if (ga < thr && ga != Long.MIN_VALUE) thr = keep(ga ^ Long.MIN_VALUE, i + 1);
      if (gb < thr && gb != Long.MIN_VALUE) thr = keep(gb ^ Long.MIN_VALUE, half + i + 1);
      ga = (ga << 1) + gear[(int) (wa >>> 16) & 0xff];
      gb = (gb << 1) + gear[(int) (wb >>> 16) & 0xff];
      if (ga < thr && ga != Long.MIN_VALUE) thr = keep(ga ^ Long.MIN_VALUE, i + 2);
      if (gb < thr && gb != Long.MIN_VALUE) thr = keep(gb ^ Long.MIN_VALUE, half + i + 2);
      ga = (ga << 1) + gear[(int) (wa >>> 24) & 0xff];
      gb = (gb << 1) + gear[(int) (wb >>> 24) & 0xff];
      if (ga < thr && ga != Long.MIN_VALUE) thr = keep(ga ^ Long.MIN_VALUE, i + 3);
      if (gb < thr && gb != Long.MIN_VALUE) thr = keep(gb ^ Long.MIN_VALUE, half + i + 3);
      ga = (ga << 1) + gear[(int) (wa >>> 32) & 0xff];
      gb = (gb << 1) + gear[(int) (wb >>> 32) & 0xff];
      if (ga < thr && ga != Long.MIN_VALUE) thr = keep(ga ^ Long.MIN_VALUE, i + 4);
      if (gb < thr && gb != Long.MIN_VALUE) thr = keep(gb ^ Long.MIN_VALUE, half + i + 4);
      ga = (ga << 1) + gear[(int) (wa >>> 40) & 0xff];
      gb = (gb << 1) + gear[(int) (wb >>> 40) & 0xff];
      if (ga < thr && ga != Long.MIN_VALUE) thr = keep(ga ^ Long.MIN_VALUE, i + 5);
      if (gb < thr && gb != Long.MIN_VALUE) thr = keep(gb ^ Long.MIN_VALUE, half + i + 5);
      ga = (ga << 1) + gear[(int) (wa >>> 48) & 0xff];
      gb = (gb << 1) + gear[(int) (wb >>> 48) & 0xff];
      if (ga < thr && ga != Long.MIN_VALUE) thr = keep(ga ^ Long.MIN_VALUE, i + 6);
      if (gb < thr && gb != Long.MIN_VALUE) thr = keep(gb ^ Long.MIN_VALUE, half + i + 6);
      ga = (ga << 1) + gear[(int) (wa >>> 56) & 0xff];
      gb = (gb << 1) + gear[(int) (wb >>> 56) & 0xff];
      if (ga < thr && ga != Long.MIN_VALUE) thr = keep(ga ^ Long.MIN_VALUE, i + 7);
      if (gb < thr && gb != Long.MIN_VALUE) thr = keep(gb ^ Long.MIN_VALUE, half + i + 7);
    }
    // Chain A goes on over the first 63 bytes of the second half (windows ending at half .. half+62).
    for (int i = half; i < half + CHUNK_SIZE; i += 8) {
      long wa = masked((long) LONGS.get(page, off + i));
      for (int t = 0; t < 8 && i + t < half + CHUNK_SIZE - 1; t++) {
        ga = (ga << 1) + gear[(int) (wa >>> (t << 3)) & 0xff];
        if (ga < thr && ga != Long.MIN_VALUE) thr = keep(ga ^ Long.MIN_VALUE, i + t);
      }
    }
    return filled;
  }

  /** Gear table with the top bit of every entry flipped: chains then run on sign-flipped values. */
  private static final long[] GEAR_FLIPPED = flipped();

  private static long[] flipped() {
    long[] f = new long[256];
    for (int i = 0; i < 256; i++) f[i] = GEAR[i] ^ Long.MIN_VALUE;
    return f;
  }

  /** Inserts a distinct Gear value into the k smallest; returns the new (flipped) threshold. */
  private long keep(long g, int end) {
    final int k = chunksPerPage;
    long flipped = g ^ Long.MIN_VALUE;
    int pos = filled;
    while (pos > 0 && (bestGear[pos - 1] ^ Long.MIN_VALUE) >= flipped) {
      if (bestGear[pos - 1] == g) return threshold; // a repeated window adds no information
      pos--;
    }
    if (pos < k) {
      int last = Math.min(filled, k - 1);
      for (int j = last; j > pos; j--) {
        bestGear[j] = bestGear[j - 1];
        bestEnd[j] = bestEnd[j - 1];
      }
      bestGear[pos] = g;
      bestEnd[pos] = end;
      if (filled < k) filled++;
      if (filled == k) threshold = bestGear[k - 1] ^ Long.MIN_VALUE;
    }
    return threshold;
  }

}
