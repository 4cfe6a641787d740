package io.medes.loadbalancer.policy;

import io.medes.loadbalancer.state.ClusterState;
import io.medes.loadbalancer.state.FunctionStats;
import io.medes.loadbalancer.state.Sandbox;

/**
 * The hybrid histogram policy of "Serverless in the Wild" (Shahrad et al., USENIX ATC'20), computed
 * online per function.
 *
 * <h2>Implementation notes</h2>
 * <ol>
 *   <li><b>Idle times.</b> An idle time (IT) is the time from the end of the function's last execution to
 *       the next arrival, recorded only when no execution of the function is in flight at that arrival
 *       (the function was really idle). The first arrival records none.</li>
 *   <li><b>Histogram.</b> ITs fall into {@code range / bin} bins (4 h of 1-min bins by default); longer
 *       ITs are counted as out of bounds (OOB). Bin counts keep a running sum of squares, so the
 *       coefficient of variation (CV, sample std over mean of the bin counts) is O(1); the head and tail
 *       percentile bins are recomputed when an IT is recorded.</li>
 *   <li><b>Windows.</b> Three regimes, checked in this order:
 *     <ul>
 *       <li><i>Out of bounds</i> — more than {@code oob-threshold} of all ITs exceed the range: forecast
 *           the next IT with an AR(1) model fitted to the last {@code forecast-history} ITs (the paper
 *           used ARIMA), pre-warm at {@code (1 - m) * forecast}, keep alive for {@code 2 m * forecast}.</li>
 *       <li><i>Not representative</i> — fewer than {@code min-samples} in-range ITs, or CV below
 *           {@code cv-threshold}: no pre-warm, keep alive for the whole range.</li>
 *       <li><i>Histogram</i> — pre-warm at {@code head * (1 - margin)}, keep alive until
 *           {@code (tail + 1 bin) * (1 + margin)} after the execution ended.</li>
 *     </ul></li>
 *   <li><b>Timing.</b> With a pre-warm window the sandbox is purged as soon as it goes idle and a fresh one
 *       is started at the pre-warm point; it then lives until the end of the keep-alive window (measured
 *       from the end of the execution, i.e. the window is {@code tail - head}, as in several
 *       reimplementations; see docs/policies.md). Without a pre-warm window the sandbox just stays warm
 *       until the end of the keep-alive window.</li>
 *   <li><b>Memory pressure</b> (not part of the paper's policy): least recently used idle sandbox first.</li>
 * </ol>
 */
public final class HybridHistogramPolicy implements KeepAlivePolicy {
  /** Registry name. */
  public static final String NAME = "hybrid-histogram";

  /** Which regime a function's windows come from. */
  public enum Regime { OUT_OF_BOUNDS, NOT_REPRESENTATIVE, HISTOGRAM }

  private final PolicySettings.HybridHistogram settings;
  private final int bins;
  private final int[] counts;
  private final long[] inRange;
  private final long[] outOfBounds;
  private final long[] sumOfSquares;
  private final int[] headBin;
  private final int[] tailBin;
  private final long[] history;
  private final int[] historySize;
  private final int[] historyNext;

  public HybridHistogramPolicy(PolicySettings.HybridHistogram settings, int functions) {
    this.settings = settings;
    this.bins = settings.bins();
    this.counts = new int[functions * bins];
    this.inRange = new long[functions];
    this.outOfBounds = new long[functions];
    this.sumOfSquares = new long[functions];
    this.headBin = new int[functions];
    this.tailBin = new int[functions];
    this.history = new long[functions * settings.forecastHistory()];
    this.historySize = new int[functions];
    this.historyNext = new int[functions];
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void onArrival(ClusterState state, int function, long now) {
    FunctionStats fs = state.stats(function);
    if (fs.inFlight() == 0 && fs.lastFinishAt() != Long.MIN_VALUE && now >= fs.lastFinishAt()) {
      recordIdleTime(function, now - fs.lastFinishAt());
    }
  }

  /** Records one idle time of {@code function} (public for tests and offline replay). */
  public void recordIdleTime(int function, long idleMs) {
    int k = settings.forecastHistory();
    history[function * k + historyNext[function]] = idleMs;
    historyNext[function] = (historyNext[function] + 1) % k;
    historySize[function] = Math.min(historySize[function] + 1, k);
    if (idleMs >= settings.rangeMs()) {
      outOfBounds[function]++;
      return;
    }
    int bin = (int) (idleMs / settings.binMs());
    int c = counts[function * bins + bin];
    counts[function * bins + bin] = c + 1;
    sumOfSquares[function] += 2L * c + 1;
    inRange[function]++;
    recomputePercentiles(function);
  }

  private void recomputePercentiles(int function) {
    long total = inRange[function];
    int base = function * bins;
    long cumulative = 0;
    int head = -1;
    int tail = bins - 1;
    for (int b = 0; b < bins; b++) {
      cumulative += counts[base + b];
      if (head < 0 && cumulative * 100.0 >= settings.headPercentile() * total) {
        head = b;
      }
      if (cumulative * 100.0 >= settings.tailPercentile() * total) {
        tail = b;
        break;
      }
    }
    headBin[function] = Math.max(head, 0);
    tailBin[function] = tail;
  }

  /** The regime {@code function}'s windows currently come from. */
  public Regime regime(int function) {
    long total = inRange[function] + outOfBounds[function];
    if (total > 0 && outOfBounds[function] > settings.oobThreshold() * total) {
      return Regime.OUT_OF_BOUNDS;
    }
    if (inRange[function] < settings.minSamples() || coefficientOfVariation(function) < settings.cvThreshold()) {
      return Regime.NOT_REPRESENTATIVE;
    }
    return Regime.HISTOGRAM;
  }

  /** Sample standard deviation over mean of the bin counts. */
  public double coefficientOfVariation(int function) {
    double n = inRange[function];
    if (n == 0) {
      return 0;
    }
    double mean = n / bins;
    double variance = (sumOfSquares[function] - n * n / bins) / (bins - 1);
    return Math.sqrt(Math.max(variance, 0)) / mean;
  }

  /** How long after an execution ends a fresh sandbox should be pre-warmed (0: keep the sandbox). */
  public long prewarmMs(int function) {
    switch (regime(function)) {
      case OUT_OF_BOUNDS:
        return Math.round((1 - settings.forecastMargin()) * forecastMs(function));
      case HISTOGRAM:
        return Math.round(headBin[function] * settings.binMs() * (1 - settings.margin()));
      default:
        return 0;
    }
  }

  /** When, after an execution ends, the keep-alive window closes. */
  public long keepAliveEndMs(int function) {
    switch (regime(function)) {
      case OUT_OF_BOUNDS:
        return Math.round((1 + settings.forecastMargin()) * forecastMs(function));
      case HISTOGRAM:
        return Math.round((tailBin[function] + 1) * settings.binMs() * (1 + settings.margin()));
      default:
        return settings.rangeMs();
    }
  }

  /** AR(1) one-step forecast of the next idle time from the recent history, never negative. */
  public double forecastMs(int function) {
    int n = historySize[function];
    if (n == 0) {
      return settings.rangeMs();
    }
    int k = settings.forecastHistory();
    double[] x = new double[n];
    // oldest first
    int start = n < k ? 0 : historyNext[function];
    for (int i = 0; i < n; i++) {
      x[i] = history[function * k + (start + i) % k];
    }
    double mean = 0;
    for (double v : x) {
      mean += v;
    }
    mean /= n;
    double num = 0;
    double den = 0;
    for (int i = 0; i < n; i++) {
      double d = x[i] - mean;
      den += d * d;
      if (i + 1 < n) {
        num += d * (x[i + 1] - mean);
      }
    }
    double phi = den == 0 ? 0 : Math.max(-1, Math.min(1, num / den));
    return Math.max(0, mean + phi * (x[n - 1] - mean));
  }

  @Override
  public Decision decide(ClusterState state, Sandbox idle, long now) {
    int f = idle.function();
    long prewarm = prewarmMs(f);
    long end = keepAliveEndMs(f);
    long expiresAt;
    if (idle.requestsServed() == 0) {
      // A pre-warmed sandbox: it became idle at the pre-warm point and lives for the rest of the window.
      expiresAt = idle.idleSince() + Math.max(0, end - prewarm);
    } else {
      if (prewarm > 0) {
        return Decision.purgeThenPrewarm(idle.idleSince() + prewarm, "unload until the pre-warm window");
      }
      expiresAt = idle.idleSince() + end;
    }
    if (now >= expiresAt) {
      return Decision.purge("keep-alive window over (" + regime(f) + ")");
    }
    return Decision.keep(expiresAt, "within keep-alive window (" + regime(f) + ")");
  }

  @Override
  public EvictionPlan evict(ClusterState state, int node, long needKib, Sandbox keep, long now) {
    return Evictions.leastRecentlyUsedWarm(state, node, needKib, keep);
  }
}
