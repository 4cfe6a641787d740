package io.medes.simulator;

/**
 * A binary min-heap of simulation events in primitive arrays: ordered by time, then by insertion order,
 * so equal-time events run first-in first-out and every run is deterministic.
 */
final class EventQueue {
  private long[] time = new long[1024];
  private long[] seq = new long[1024];
  private int[] type = new int[1024];
  private int[] a = new int[1024];
  private int[] b = new int[1024];
  private int size;
  private long nextSeq;

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  long peekTime() {
    return time[0];
  }

  int peekType() {
    return type[0];
  }

  int peekA() {
    return a[0];
  }

  int peekB() {
    return b[0];
  }

  void push(long t, int eventType, int x, int y) {
    if (size == time.length) {
      grow();
    }
    int i = size++;
    long s = nextSeq++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(t, s, time[parent], seq[parent])) {
        break;
      }
      set(i, time[parent], seq[parent], type[parent], a[parent], b[parent]);
      i = parent;
    }
    set(i, t, s, eventType, x, y);
  }

  /** Removes the earliest event (read it with the peek methods first). */
  void pop() {
    int last = --size;
    if (last == 0) {
      return;
    }
    long t = time[last];
    long s = seq[last];
    int ty = type[last];
    int x = a[last];
    int y = b[last];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= last) {
        break;
      }
      if (child + 1 < last && less(time[child + 1], seq[child + 1], time[child], seq[child])) {
        child++;
      }
      if (!less(time[child], seq[child], t, s)) {
        break;
      }
      set(i, time[child], seq[child], type[child], a[child], b[child]);
      i = child;
    }
    set(i, t, s, ty, x, y);
  }

  private static boolean less(long t1, long s1, long t2, long s2) {
    return t1 < t2 || (t1 == t2 && s1 < s2);
  }

  private void set(int i, long t, long s, int ty, int x, int y) {
    time[i] = t;
    seq[i] = s;
    type[i] = ty;
    a[i] = x;
    b[i] = y;
  }

  private void grow() {
    int n = time.length * 2;
    time = java.util.Arrays.copyOf(time, n);
    seq = java.util.Arrays.copyOf(seq, n);
    type = java.util.Arrays.copyOf(type, n);
    a = java.util.Arrays.copyOf(a, n);
    b = java.util.Arrays.copyOf(b, n);
  }
}
