package io.medes.invoker.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the start benchmark measured for one action on one backend. Latencies in milliseconds, from the
 * request to the first successful {@code /run} response; memory in bytes.
 */
public final class StartMeasurements {
  public final String action;
  public final String backend;
  public final String store;
  public final List<Double> cold = new ArrayList<>();
  public final List<Double> warm = new ArrayList<>();
  public final List<Double> dedup = new ArrayList<>();
  public final List<Double> criu = new ArrayList<>();
  /** The start alone, without the /run: create + /init, resume, rebuild + restore, plain restore. */
  public final List<Double> coldSetup = new ArrayList<>();
  public final List<Double> warmSetup = new ArrayList<>();
  public final List<Double> dedupSetup = new ArrayList<>();
  public final List<Double> criuSetup = new ArrayList<>();
  /** Checkpoint of a warm sandbox plus the snapshot store's work (dedup): what freeing its memory costs. */
  public final List<Double> checkpoint = new ArrayList<>();
  /** One /run on a running sandbox: the action's own execution plus the HTTP round trip. */
  public final List<Double> exec = new ArrayList<>();
  /** Warm state: PSS of the paused processes plus their tmpfs writable layer. */
  public final List<Long> warmMemory = new ArrayList<>();
  public final List<Long> warmRss = new ArrayList<>();
  /** Dedup state: what the snapshot store keeps plus the tmpfs writable layer; no processes. */
  public final List<Long> dedupMemory = new ArrayList<>();
  /** Plain CRIU image size (for comparison with the dedup state). */
  public final List<Long> criuImage = new ArrayList<>();
  public final List<String> failures = new ArrayList<>();

  public StartMeasurements(String action, String backend, String store) {
    this.action = action;
    this.backend = backend;
    this.store = store;
  }

  /** Nearest-rank percentile ({@code p} in 0..100); NaN for no samples. */
  public static double percentile(List<? extends Number> samples, double p) {
    if (samples.isEmpty()) return Double.NaN;
    List<Double> sorted = new ArrayList<>();
    for (Number n : samples) sorted.add(n.doubleValue());
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
