package io.medes.dedup.registry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The compact form of a fingerprint bucket that both registry implementations store: a {@code long[]}
 * of page references, oldest first, each packed as {@code (baseHandle << 32) | pageIndex}.
 *
 * <p>A base handle is a number the registry gives each registration of a base; it is never reused, so a
 * stale handle can only ever point to a retired base, never to a different one. Packing a reference into
 * one {@code long} keeps buckets small in memory and lets a distributed registry move them with the
 * built-in {@code long[]} serializer instead of per-object serialization.
 *
 * <p>Buckets are immutable values: every operation returns a new array (or the same one when nothing
 * changed), so readers need no lock.
 */
public final class PackedPageRefs {
  /** The largest per-fingerprint cap a registry accepts; keeps bucket edits cheap. */
  public static final int MAX_CAP = 4096;

  private static final long[] EMPTY = new long[0];

  private PackedPageRefs() {}

  /** Packs a base handle and a page index into one reference. */
  public static long pack(int baseHandle, int pageIndex) {
    if (pageIndex < 0) {
      throw new IllegalArgumentException("pageIndex < 0: " + pageIndex);
    }
    return ((long) baseHandle << 32) | (pageIndex & 0xFFFF_FFFFL);
  }

  /** The base handle of a packed reference. */
  public static int handle(long ref) {
    return (int) (ref >>> 32);
  }

  /** The page index of a packed reference. */
  public static int pageIndex(long ref) {
    return (int) ref;
  }

  /**
   * The bucket with {@code ref} added, keeping at most {@code cap} references.
   *
   * <p>A reference already present is not added twice. When the bucket is full the base with the most
   * references in it gives one up — its oldest — so that one base with many similar pages cannot crowd out
   * every other base; if the new reference's own base is already among the most represented, the new
   * reference is dropped instead. With all bases holding one reference each this is first-in-first-out:
   * newer bases replace older ones, which are the likelier to be retired soon.
   *
   * @param bucket the current bucket, or null for none
   * @return the new bucket; {@code bucket} itself if nothing changed
   */
  public static long[] append(long[] bucket, long ref, int cap) {
    checkCap(cap);
    if (bucket == null || bucket.length == 0) {
      return new long[] {ref};
    }
    for (long existing : bucket) {
      if (existing == ref) {
        return bucket;
      }
    }
    if (bucket.length < cap) {
      long[] grown = Arrays.copyOf(bucket, bucket.length + 1);
      grown[bucket.length] = ref;
      return grown;
    }
    // Full (or over a cap that was lowered since): make room for one by evicting from the busiest base.
    long[] trimmed = bucket.length > cap ? Arrays.copyOfRange(bucket, bucket.length - cap, bucket.length) : bucket;
    int[] handles = new int[trimmed.length];
    for (int i = 0; i < trimmed.length; i++) {
      handles[i] = handle(trimmed[i]);
    }
    int[] sorted = handles.clone();
    Arrays.sort(sorted);
    int most = 0;
    for (int i = 0; i < sorted.length; ) {
      int j = i;
      while (j < sorted.length && sorted[j] == sorted[i]) {
        j++;
      }
      most = Math.max(most, j - i);
      i = j;
    }
    int newHandle = handle(ref);
    if (countIn(sorted, newHandle) >= most) {
      return trimmed;
    }
    int victim = -1;
    for (int i = 0; i < handles.length; i++) {
      if (countIn(sorted, handles[i]) == most) {
        victim = i;
        break;
      }
    }
    long[] result = new long[trimmed.length];
    System.arraycopy(trimmed, 0, result, 0, victim);
    System.arraycopy(trimmed, victim + 1, result, victim, trimmed.length - victim - 1);
    result[result.length - 1] = ref;
    return result;
  }

  /**
   * The page references of a bucket, oldest first, whose base is still known to {@code basesByHandle}
   * (a null answer means retired) and admitted by {@code scope} for {@code requester}.
   */
  public static List<BasePageRef> decode(long[] bucket, IntFunction<BaseInfo> basesByHandle, BaseInfo requester,
      SharingScope scope) {
    if (bucket == null || bucket.length == 0) {
      return Collections.emptyList();
    }
    List<BasePageRef> refs = new ArrayList<>(bucket.length);
    for (long ref : bucket) {
      BaseInfo base = basesByHandle.apply(handle(ref));
      if (base != null && scope.admits(requester, base)) {
        refs.add(new BasePageRef(base.baseId(), pageIndex(ref)));
      }
    }
    return refs.isEmpty() ? Collections.emptyList() : Collections.unmodifiableList(refs);
  }

  /** The bucket without any reference of {@code baseHandle}; null when nothing is left. */
  public static long[] strip(long[] bucket, int baseHandle) {
    if (bucket == null) {
      return null;
    }
    int kept = 0;
    for (long ref : bucket) {
      if (handle(ref) != baseHandle) {
        kept++;
      }
    }
    if (kept == bucket.length) {
      return bucket;
    }
    if (kept == 0) {
      return null;
    }
    long[] result = new long[kept];
    int k = 0;
    for (long ref : bucket) {
      if (handle(ref) != baseHandle) {
        result[k++] = ref;
      }
    }
    return result;
  }

  /**
   * The references a base registers, grouped by fingerprint: {@code fingerprints()} are the distinct
   * fingerprints of all pages in ascending order and {@code refsOf(i)} the base's page references under
   * fingerprint {@code i}, in page order.
   *
   * @throws IllegalArgumentException naming the page when {@code fingerprintsPerPage} holds a null row
   */
  public static Grouped group(int baseHandle, long[][] fingerprintsPerPage) {
    if (fingerprintsPerPage == null) {
      throw new NullPointerException("fingerprintsPerPage");
    }
    int total = 0;
    for (int page = 0; page < fingerprintsPerPage.length; page++) {
      if (fingerprintsPerPage[page] == null) {
        throw new IllegalArgumentException("fingerprintsPerPage[" + page + "] is null (use an empty array for a page without fingerprints)");
      }
      total += fingerprintsPerPage[page].length;
    }
    // Distinct fingerprints, ascending; then a counting pass places every (page, fingerprint) in its
    // group in page order, without boxing.
    long[] distinct = new long[total];
    int n = 0;
    for (long[] pageFps : fingerprintsPerPage) {
      for (long fp : pageFps) {
        distinct[n++] = fp;
      }
    }
    Arrays.sort(distinct);
    int groups = 0;
    for (int i = 0; i < total; i++) {
      if (groups == 0 || distinct[groups - 1] != distinct[i]) {
        distinct[groups++] = distinct[i];
      }
    }
    distinct = Arrays.copyOf(distinct, groups);
    int[] lastPage = new int[groups];
    Arrays.fill(lastPage, -1);
    int[] counts = new int[groups];
    for (int page = 0; page < fingerprintsPerPage.length; page++) {
      for (long fp : fingerprintsPerPage[page]) {
        int group = Arrays.binarySearch(distinct, fp);
        if (lastPage[group] != page) { // the same page sampling one fingerprint twice counts once
          lastPage[group] = page;
          counts[group]++;
        }
      }
    }
    int[] starts = new int[groups + 1];
    for (int i = 0; i < groups; i++) {
      starts[i + 1] = starts[i] + counts[i];
    }
    long[] refs = new long[starts[groups]];
    int[] fill = Arrays.copyOf(starts, groups);
    Arrays.fill(lastPage, -1);
    for (int page = 0; page < fingerprintsPerPage.length; page++) {
      for (long fp : fingerprintsPerPage[page]) {
        int group = Arrays.binarySearch(distinct, fp);
        if (lastPage[group] != page) {
          lastPage[group] = page;
          refs[fill[group]++] = pack(baseHandle, page);
        }
      }
    }
    return new Grouped(distinct, starts, refs);
  }

  private static int countIn(int[] sorted, int handle) {
    int at = Arrays.binarySearch(sorted, handle);
    if (at < 0) {
      return 0;
    }
    int lo = at;
    while (lo > 0 && sorted[lo - 1] == handle) {
      lo--;
    }
    int hi = at;
    while (hi + 1 < sorted.length && sorted[hi + 1] == handle) {
      hi++;
    }
    return hi - lo + 1;
  }

  /** Validates a per-fingerprint cap. */
  public static int checkCap(int cap) {
    if (cap < 1 || cap > MAX_CAP) {
      throw new IllegalArgumentException("max pages per fingerprint must be in [1, " + MAX_CAP + "], was " + cap);
    }
    return cap;
  }

  /** A base's page references grouped by fingerprint; see {@link #group}. */
  public static final class Grouped {
    private final long[] fingerprints;
    private final int[] starts;
    private final long[] refs;

    Grouped(long[] fingerprints, int[] starts, long[] refs) {
      this.fingerprints = fingerprints;
      this.starts = starts;
      this.refs = refs;
    }

    /** The distinct fingerprints, ascending. Do not modify. */
    public long[] fingerprints() {
      return fingerprints;
    }

    /** The number of distinct fingerprints. */
    public int size() {
      return fingerprints.length;
    }

    /** The page references under the {@code i}-th distinct fingerprint, in page order. */
    public long[] refsOf(int i) {
      return i < 0 || i >= fingerprints.length ? EMPTY : Arrays.copyOfRange(refs, starts[i], starts[i + 1]);
    }
  }
}
