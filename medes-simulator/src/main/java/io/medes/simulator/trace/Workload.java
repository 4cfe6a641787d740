package io.medes.simulator.trace;

import java.util.SplittableRandom;

/**
 * The requests a simulation replays, in arrival order, as primitive arrays: arrival time (ms from the
 * start), function, and execution time (ms).
 *
 * <p>From a trace's per-minute counts: each of the c invocations of function f in minute m arrives at a
 * uniformly random time within that minute, and runs for a time drawn from f's execution-time percentiles
 * (piecewise-linear inverse CDF). Each function draws from its own generator seeded from
 * {@code (seed, f)}, so a function's requests do not depend on which other functions are in the trace.
 * Ties in arrival time are broken by function, then by draw order. Same trace, minutes and seed → the
 * same workload, bit for bit.
 */
public final class Workload {
  private final String name;
  private final int functions;
  private final long durationMs;
  private final long[] arrivalMs;
  private final int[] function;
  private final int[] executionMs;

  private Workload(String name, int functions, long durationMs, long[] arrivalMs, int[] function, int[] executionMs) {
    this.name = name;
    this.functions = functions;
    this.durationMs = durationMs;
    this.arrivalMs = arrivalMs;
    this.function = function;
    this.executionMs = executionMs;
  }

  /** The first {@code minutes} minutes of {@code trace}, spread into arrivals with {@code seed}. */
  public static Workload fromTrace(AzureTrace trace, int minutes, long seed) {
    if (minutes < 1 || minutes > trace.minutes()) {
      throw new IllegalArgumentException("minutes must be within [1, " + trace.minutes() + "], got " + minutes);
    }
    long total = trace.totalInvocations(minutes);
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many requests: " + total);
    }
    int n = (int) total;
    long[] time = new long[n];
    int[] fn = new int[n];
    int[] exec = new int[n];
    int k = 0;
    for (int f = 0; f < trace.functions(); f++) {
      SplittableRandom random = new SplittableRandom(mix(seed, f));
      for (int m = 0; m < minutes; m++) {
        int c = trace.invocations(f, m);
        for (int j = 0; j < c; j++) {
          time[k] = m * 60_000L + random.nextInt(60_000);
          fn[k] = f;
          exec[k] = (int) Math.round(trace.durationAt(f, random.nextDouble()));
          k++;
        }
      }
    }
    return sorted(trace.name(), trace.functions(), minutes * 60_000L, time, fn, exec);
  }

  /** A workload from explicit requests (for tests): arrival ms, function, execution ms. */
  public static Workload of(String name, int functions, long durationMs, long[] arrivalMs, int[] function, int[] executionMs) {
    if (arrivalMs.length != function.length || function.length != executionMs.length) {
      throw new IllegalArgumentException("arrays of requests differ in length");
    }
    for (int i = 0; i < function.length; i++) {
      if (function[i] < 0 || function[i] >= functions) {
        throw new IllegalArgumentException("request " + i + ": function " + function[i] + " not in [0, " + functions + ")");
      }
      if (arrivalMs[i] < 0 || executionMs[i] < 0) {
        throw new IllegalArgumentException("request " + i + ": negative time");
      }
    }
    return sorted(name, functions, durationMs, arrivalMs.clone(), function.clone(), executionMs.clone());
  }

  private static Workload sorted(String name, int functions, long durationMs, long[] time, int[] fn, int[] exec) {
    int n = time.length;
    // Order by (time, function); a stable sort keeps the draw order among equal keys.
    long[] key = new long[n];
    for (int i = 0; i < n; i++) {
      key[i] = (time[i] << 24) | (fn[i] & 0xFFFFFFL);
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    mergeSort(order, new int[n], 0, n, key);
    long[] t2 = new long[n];
    int[] f2 = new int[n];
    int[] e2 = new int[n];
    for (int i = 0; i < n; i++) {
      int j = order[i];
      t2[i] = time[j];
      f2[i] = fn[j];
      e2[i] = exec[j];
    }
    return new Workload(name, functions, durationMs, t2, f2, e2);
  }

  private static void mergeSort(int[] a, int[] tmp, int lo, int hi, long[] key) {
    if (hi - lo < 32) {
      for (int i = lo + 1; i < hi; i++) {
        int v = a[i];
        int j = i - 1;
        while (j >= lo && key[a[j]] > key[v]) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      return;
    }
    int mid = (lo + hi) >>> 1;
    mergeSort(a, tmp, lo, mid, key);
    mergeSort(a, tmp, mid, hi, key);
    if (key[a[mid - 1]] <= key[a[mid]]) {
      return;
    }
    System.arraycopy(a, lo, tmp, lo, hi - lo);
    int i = lo;
    int j = mid;
    for (int k = lo; k < hi; k++) {
      if (j >= hi || (i < mid && key[tmp[i]] <= key[tmp[j]])) {
        a[k] = tmp[i++];
      } else {
        a[k] = tmp[j++];
      }
    }
  }

  private static long mix(long seed, long f) {
    long z = seed * 0x9E3779B97F4A7C15L + f * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  public String name() {
    return name;
  }

  public int functions() {
    return functions;
  }

  /** Length of the replayed period, ms (memory averages are taken over it). */
  public long durationMs() {
    return durationMs;
  }

  public int size() {
    return arrivalMs.length;
  }

  public long arrivalMs(int request) {
    return arrivalMs[request];
  }

  public int function(int request) {
    return function[request];
  }

  public int executionMs(int request) {
    return executionMs[request];
  }

  /**
   * The same arrivals with every request of function f running for {@code perFunctionMs[f]} instead
   * (the paper's method: each trace function runs its mapped action's nominal execution time).
   */
  public Workload withExecutionTimes(int[] perFunctionMs, String suffix) {
    if (perFunctionMs.length != functions) {
      throw new IllegalArgumentException("need " + functions + " execution times, got " + perFunctionMs.length);
    }
    int[] exec = new int[size()];
    for (int i = 0; i < exec.length; i++) {
      exec[i] = perFunctionMs[function[i]];
    }
    return new Workload(name + suffix, functions, durationMs, arrivalMs, function, exec);
  }

  /** The same requests under another name (the trace column of reports). */
  public Workload named(String newName) {
    return new Workload(newName, functions, durationMs, arrivalMs, function, executionMs);
  }

  /** Requests per function (for mapping and reports). */
  public long[] requestsPerFunction() {
    long[] out = new long[functions];
    for (int f : function) {
      out[f]++;
    }
    return out;
  }

  @Override
  public String toString() {
    return "Workload{" + name + ", " + functions + " functions, " + size() + " requests, " + durationMs / 60_000 + " min}";
  }
}
