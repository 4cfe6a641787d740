package io.medes.dedup.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medes.dedup.SyntheticDumps;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PageFingerprinterTest {
  private static final int PAGE = 4096;

  private static long[] fingerprints(PageFingerprinter f, byte[] buf, int off) {
    long[] hashes = new long[2];
    long[] fps = new long[f.chunksPerPage()];
    int n = f.digest(buf, off, 0, hashes, fps);
    return n < 0 ? null : Arrays.copyOf(fps, n);
  }

  private static Set<Long> set(long[] a) {
    Set<Long> s = new HashSet<>();
    for (long v : a) s.add(v);
    return s;
  }

  @Test
  void zeroPageIsRecognisedWithoutFingerprints() {
    PageFingerprinter f = new PageFingerprinter(5);
    long[] hashes = new long[2];
    long[] fps = new long[5];
    assertThat(f.digest(new byte[PAGE], 0, 0, hashes, fps)).isEqualTo(-1);
    assertThat(hashes).containsExactly(PageHashes.ZERO_PAGE);
  }

  @Test
  void atMostChunksPerPageDistinctFingerprintsAndConfigurable() {
    byte[] page = SyntheticDumps.randomPages(1, 7);
    for (int k : new int[] {1, 5, 12}) {
      long[] fps = fingerprints(new PageFingerprinter(k), page, 0);
      assertThat(fps).hasSize(k);
      assertThat(set(fps)).hasSize(k);
    }
    assertThatThrownBy(() -> new PageFingerprinter(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PageFingerprinter(33)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deterministicAcrossInstances() {
    byte[] page = SyntheticDumps.randomPages(1, 8);
    assertThat(fingerprints(new PageFingerprinter(5), page, 0)).containsExactly(fingerprints(new PageFingerprinter(5), page, 0));
  }

  @Test
  void contentShiftedByAnyOffsetKeepsMostFingerprints() {
    byte[] original = SyntheticDumps.randomPages(1, 9);
    Random r = new Random(10);
    int kept = 0;
    int total = 0;
    for (int shift : new int[] {1, 3, 8, 24, 100, 517}) {
      byte[] shifted = new byte[PAGE];
      System.arraycopy(original, 0, shifted, shift, PAGE - shift);
      for (int i = 0; i < shift; i++) shifted[i] = (byte) r.nextInt();
      Set<Long> a = set(fingerprints(new PageFingerprinter(5), original, 0));
      Set<Long> b = set(fingerprints(new PageFingerprinter(5), shifted, 0));
      b.retainAll(a);
      kept += b.size();
      total += 5;
    }
    // Windows near the end fall off the page; the rest are found again wherever they moved.
    assertThat(kept).isGreaterThanOrEqualTo(total * 3 / 4);
  }

  @Test
  void samplesAcrossTheWholePageNotTheFirstWindows() {
    byte[] page = new byte[PAGE];
    byte[] random = SyntheticDumps.randomPages(1, 11);
    System.arraycopy(random, 3072, page, 3072, 1024); // only the last quarter has content
    long[] fps = fingerprints(new PageFingerprinter(5), page, 0);
    assertThat(fps).hasSize(5);

    // Changing the first half of a fully random page leaves fingerprints sampled in the second half.
    byte[] full = SyntheticDumps.randomPages(1, 12);
    byte[] changed = full.clone();
    new Random(13).nextBytes(changed);
    System.arraycopy(full, 2048, changed, 2048, 2048);
    Set<Long> a = set(fingerprints(new PageFingerprinter(16), full, 0));
    Set<Long> b = set(fingerprints(new PageFingerprinter(16), changed, 0));
    b.retainAll(a);
    assertThat(b).isNotEmpty();
  }

  @Test
  void neverReadsPastThePage() {
    byte[] page = SyntheticDumps.randomPages(1, 14);
    byte[] embedded = new byte[3 * PAGE];
    System.arraycopy(page, 0, embedded, PAGE, PAGE);
    long[] alone = fingerprints(new PageFingerprinter(5), page, 0);
    new Random(15).nextBytes(embedded);
    System.arraycopy(page, 0, embedded, PAGE, PAGE);
    assertThat(fingerprints(new PageFingerprinter(5), embedded, PAGE)).containsExactly(alone);
    // A page that ends its array: reading beyond would throw.
    assertThat(fingerprints(new PageFingerprinter(5), page, 0)).hasSize(5);
  }

  @Test
  void pointerMaskingMatchesPagesThatDifferOnlyInPointers() {
    byte[] a = new byte[PAGE];
    byte[] b = new byte[PAGE];
    SyntheticDumps.heapPage(a, 0, 0x55d3_4a21_0000L, 99);
    SyntheticDumps.heapPage(b, 0, 0x5617_9be0_0000L, 99); // same objects, another ASLR offset

    Set<Long> masked = set(fingerprints(new PageFingerprinter(5, true), a, 0));
    masked.retainAll(set(fingerprints(new PageFingerprinter(5, true), b, 0)));
    Set<Long> plain = set(fingerprints(new PageFingerprinter(5, false), a, 0));
    plain.retainAll(set(fingerprints(new PageFingerprinter(5, false), b, 0)));

    assertThat(masked).hasSize(5);
    assertThat(plain).isEmpty();
  }

  /** The definition: one Gear chain over the masked page, byte by byte, bottom-k distinct values. */
  private static long[] reference(byte[] page, int k, boolean mask) {
    byte[] m = page.clone();
    for (int i = 0; i < PAGE; i += 8) {
      long w = 0;
      for (int b = 7; b >= 0; b--) w = (w << 8) | (m[i + b] & 0xff);
      if (mask && (w >>> 47) == 0 && (w >>> 32) != 0) w &= 0xFFFF_F000_0000_0FFFL;
      SyntheticDumps.putLong(m, i, w);
    }
    java.util.TreeMap<Long, Integer> smallest = new java.util.TreeMap<>(Long::compareUnsigned);
    long g = 0;
    for (int i = 0; i < PAGE; i++) {
      g = (g << 1) + GearTable.GEAR[m[i] & 0xff];
      if (i >= 63 && g != 0) smallest.putIfAbsent(g, i);
      if (smallest.size() > k) smallest.pollLastEntry();
    }
    net.openhft.hashing.LongHashFunction chunk = net.openhft.hashing.LongHashFunction.xx3(0x6d65646573L);
    return smallest.values().stream().mapToLong(end -> chunk.hashBytes(m, end - 63, 64)).toArray();
  }

  @Test
  void optimisedSamplingEqualsTheReferenceDefinition() {
    Random r = new Random(21);
    for (int trial = 0; trial < 200; trial++) {
      byte[] page = new byte[PAGE];
      switch (trial % 4) {
        case 0: r.nextBytes(page); break;
        case 1: SyntheticDumps.heapPage(page, 0, 0x55d3_4a21_0000L + 4096L * trial, trial); break;
        case 2: // sparse: a few non-zero bytes
          for (int i = 0; i < 20; i++) page[r.nextInt(PAGE)] = (byte) (1 + r.nextInt(255));
          break;
        default: // periodic with fewer distinct windows than k
          for (int i = 0; i < PAGE; i++) page[i] = (byte) (i % 4 == 0 ? 7 : 0);
      }
      for (boolean mask : new boolean[] {false, true}) {
        int k = 1 + trial % 9;
        long[] expected = reference(page, k, mask);
        assertThat(fingerprints(new PageFingerprinter(k, mask), page, 0)).as("trial %d mask %b", trial, mask)
            .containsExactly(expected);
      }
    }
  }

  @Test
  void strongHashSeparatesPagesThatDifferInOneBit() {
    byte[] a = SyntheticDumps.randomPages(1, 16);
    byte[] b = a.clone();
    b[4095] ^= 1;
    long[] ha = new long[2];
    long[] hb = new long[2];
    PageHashes.hash(a, 0, ha, 0);
    PageHashes.hash(b, 0, hb, 0);
    assertThat(ha).isNotEqualTo(hb);
  }

  @Test
  void digestsOfAPageArrayInParallelEqualSequential() {
    byte[] pages = SyntheticDumps.randomPages(3000, 17);
    Arrays.fill(pages, 5 * PAGE, 6 * PAGE, (byte) 0);
    FingerprintScheme scheme = new FingerprintScheme(5, true);
    PageDigests seq = PageDigests.compute(new HeapPages(pages), scheme);
    PageDigests par = PageDigests.compute(new HeapPages(pages), scheme, java.util.concurrent.ForkJoinPool.commonPool());
    assertThat(par.isZero(5)).isTrue();
    for (int p = 0; p < 3000; p++) {
      assertThat(par.fingerprintsOf(p)).containsExactly(seq.fingerprintsOf(p));
      assertThat(par.hashLow(p)).isEqualTo(seq.hashLow(p));
    }
  }
}
