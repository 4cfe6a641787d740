package io.medes.dedup;

import java.util.Arrays;

/**
 * Open-addressing map from a 128-bit page hash to an int (first inserted value wins). Allocation-free
 * lookups over hundreds of thousands of pages.
 */
final class HashIndex {
  static final int ABSENT = -1;

  private final long[] low;
  private final long[] high;
  private final int[] values;
  private final int mask;
  private int size;

  HashIndex(int expected) {
    int cap = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
    low = new long[cap];
    high = new long[cap];
    values = new int[cap];
    Arrays.fill(values, ABSENT);
    mask = cap - 1;
  }

  private int slot(long lo) {
    long h = lo * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 40) & mask;
  }

  /** Inserts unless the hash is present; returns the value now stored for it. */
  int putIfAbsent(long lo, long hi, int value) {
    if (value == ABSENT) throw new IllegalArgumentException("reserved value");
    if (size * 2 >= values.length) throw new IllegalStateException("HashIndex full");
    for (int s = slot(lo); ; s = (s + 1) & mask) {
      if (values[s] == ABSENT) {
        low[s] = lo;
        high[s] = hi;
        values[s] = value;
        size++;
        return value;
      }
      if (low[s] == lo && high[s] == hi) return values[s];
    }
  }

  int get(long lo, long hi) {
    for (int s = slot(lo); ; s = (s + 1) & mask) {
      if (values[s] == ABSENT) return ABSENT;
      if (low[s] == lo && high[s] == hi) return values[s];
    }
  }
}
