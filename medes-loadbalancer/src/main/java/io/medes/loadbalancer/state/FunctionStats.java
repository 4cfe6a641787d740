package io.medes.loadbalancer.state;

/**
 * Per-function demand statistics the policies read: arrivals per minute over a sliding window (for the
 * peak and mean rate), requests in flight, when the function last finished, and a moving average of its
 * execution time. Updated by {@link ClusterState}; all times are injected.
 */
public final class FunctionStats {
  private static final long MINUTE_MS = 60_000L;
  /** Weight of the newest execution time in the moving average (the original used 0.1). */
  static final double EXEC_EWMA_ALPHA = 0.1;

  private final int[] minuteCounts;
  private final long[] minuteOf;
  long arrivals;
  int inFlight;
  long lastArrivalAt = Long.MIN_VALUE;
  long lastFinishAt = Long.MIN_VALUE;
  double execMsEwma = Double.NaN;

  FunctionStats(int windowMinutes) {
    if (windowMinutes <= 0) {
      throw new IllegalArgumentException("rate window must be at least one minute, got " + windowMinutes);
    }
    minuteCounts = new int[windowMinutes];
    minuteOf = new long[windowMinutes];
    java.util.Arrays.fill(minuteOf, Long.MIN_VALUE);
  }

  void recordArrival(long now) {
    long minute = Math.floorDiv(now, MINUTE_MS);
    int slot = (int) Math.floorMod(minute, (long) minuteCounts.length);
    if (minuteOf[slot] != minute) {
      minuteOf[slot] = minute;
      minuteCounts[slot] = 0;
    }
    minuteCounts[slot]++;
    arrivals++;
    lastArrivalAt = now;
  }

  void recordExecution(double execMs) {
    execMsEwma = Double.isNaN(execMsEwma) ? execMs : execMsEwma + EXEC_EWMA_ALPHA * (execMs - execMsEwma);
  }

  /** The window length in minutes. */
  public int windowMinutes() {
    return minuteCounts.length;
  }

  /** The highest per-minute arrival count within the window ending at {@code now}, per second. */
  public double peakRatePerSecond(long now) {
    long current = Math.floorDiv(now, MINUTE_MS);
    int max = 0;
    for (int i = 0; i < minuteCounts.length; i++) {
      if (minuteOf[i] > current - minuteCounts.length && minuteOf[i] <= current && minuteCounts[i] > max) {
        max = minuteCounts[i];
      }
    }
    return max / 60.0;
  }

  /** Arrivals within the window ending at {@code now}, divided by the window length, per second. */
  public double meanRatePerSecond(long now) {
    long current = Math.floorDiv(now, MINUTE_MS);
    long sum = 0;
    for (int i = 0; i < minuteCounts.length; i++) {
      if (minuteOf[i] > current - minuteCounts.length && minuteOf[i] <= current) {
        sum += minuteCounts[i];
      }
    }
    return sum / (minuteCounts.length * 60.0);
  }

  public long arrivals() {
    return arrivals;
  }

  /** Requests of this function being started or executed right now. */
  public int inFlight() {
    return inFlight;
  }

  public long lastArrivalAt() {
    return lastArrivalAt;
  }

  /** When an execution of this function last finished, or {@link Long#MIN_VALUE} if none has. */
  public long lastFinishAt() {
    return lastFinishAt;
  }

  /** Moving average of execution time in ms, or {@code fallback} before the first execution. */
  public double execMs(double fallback) {
    return Double.isNaN(execMsEwma) ? fallback : execMsEwma;
  }
}
