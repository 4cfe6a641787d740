package io.medes.dedup.select;

import java.util.Arrays;

/**
 * Chooses the base page a page is encoded against, from the base pages that share its fingerprints.
 * A pure function of its inputs.
 *
 * <p>Candidates are keys {@code (baseIndex << 32) | basePage}, one per (fingerprint, registered page)
 * hit, so a key's multiplicity is the number of fingerprints the two pages share. Ranking, best first:
 * <ol>
 *   <li>more matching fingerprints;
 *   <li>a base on the requester's node;
 *   <li>lower fetch cost of the base;
 *   <li>the preferred candidate (the same-index page of a same-function base);
 *   <li>lower base index, then lower page index (determinism).
 * </ol>
 * The original Medes instead scored whole bases by reference count and locality and took the first
 * page met; it never counted matches per page.
 */
public final class BasePageSelector {
  public static final long NONE = -1L;

  private final boolean[] sameNode;
  private final double[] fetchCost;

  /** Per base index: whether it lives on the requester's node, and its relative fetch cost. */
  public BasePageSelector(boolean[] sameNode, double[] fetchCost) {
    if (sameNode.length != fetchCost.length) throw new IllegalArgumentException("per-base arrays differ in length");
    this.sameNode = sameNode.clone();
    this.fetchCost = fetchCost.clone();
  }

  public static long key(int baseIndex, int basePage) {
    return ((long) baseIndex << 32) | (basePage & 0xffffffffL);
  }

  public static int baseIndex(long key) {
    return (int) (key >>> 32);
  }

  public static int basePage(long key) {
    return (int) key;
  }

  /**
   * The best candidate among {@code keys[0 .. n)} (reordered in place), or {@link #NONE}.
   *
   * @param preferred a key to prefer among equals, with at least {@code preferredCount} matching
   *     fingerprints (it competes even if absent from {@code keys}); {@link #NONE} for none
   */
  public long choose(long[] keys, int n, long preferred, int preferredCount) {
    Arrays.sort(keys, 0, n);
    long best = NONE;
    int bestCount = 0;
    if (preferred != NONE) {
      best = preferred;
      bestCount = Math.max(preferredCount, count(keys, n, preferred));
    }
    for (int i = 0; i < n; ) {
      long k = keys[i];
      int j = i;
      while (j < n && keys[j] == k) j++;
      int c = j - i;
      if (k != preferred && better(k, c, best, bestCount, preferred)) {
        best = k;
        bestCount = c;
      }
      i = j;
    }
    return best;
  }

  private static int count(long[] sorted, int n, long key) {
    int lo = Arrays.binarySearch(sorted, 0, n, key);
    if (lo < 0) return 0;
    int first = lo;
    while (first > 0 && sorted[first - 1] == key) first--;
    int last = lo;
    while (last + 1 < n && sorted[last + 1] == key) last++;
    return last - first + 1;
  }

  /** Whether candidate {@code a} with {@code ca} matches outranks {@code b} with {@code cb}. */
  boolean better(long a, int ca, long b, int cb, long preferred) {
    if (b == NONE) return true;
    if (ca != cb) return ca > cb;
    int ba = baseIndex(a);
    int bb = baseIndex(b);
    if (sameNode[ba] != sameNode[bb]) return sameNode[ba];
    if (fetchCost[ba] != fetchCost[bb]) return fetchCost[ba] < fetchCost[bb];
    if ((a == preferred) != (b == preferred)) return a == preferred;
    return a < b;
  }
}
