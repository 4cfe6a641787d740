package io.medes.simulator;

import java.util.Arrays;
import java.util.Locale;

/**
 * What one simulation run measured. Everything except {@link #wallMs()} is a deterministic function of
 * the workload, costs, cluster, settings and policy: {@link #summary()} (used by the determinism test)
 * covers exactly those numbers.
 */
public final class SimulationResult {
  /** Start kinds recorded per request. */
  public static final byte WARM = 1;
  public static final byte DEDUP = 2;
  public static final byte COLD = 3;

  private final String trace;
  private final String policy;
  private final int nodes;
  private final double memCapMb;
  private final int requests;
  private final long coldStarts;
  private final long warmStarts;
  private final long dedupStartsLocal;
  private final long dedupStartsRemote;
  private final long waited;
  private final long evictions;
  private final long policyPurges;
  private final long dedupTransitions;
  private final long basesMade;
  private final long prewarms;
  private final long evictionDedups;
  private final long checkpointWaits;
  private final long abandonedCheckpoints;
  private final long extendedCheckpointWaits;
  private final long restoreLimitedColdStarts;
  private final int maxActiveRestores;
  private final double p50Ms;
  private final double p99Ms;
  private final double p999Ms;
  private final double meanLatencyMs;
  private final double meanMemoryMb;
  private final double maxMemoryMb;
  private final double meanDedup;
  private final int maxDedup;
  private final double meanBases;
  private final int maxBases;
  private final double[] memorySeriesMb;
  private final int[] dedupSeries;
  private final int[] baseSeries;
  private final byte[] startKinds;
  private final byte[] servedCounts;
  private final int[] latencies;
  private final long wallMs;

  SimulationResult(Simulation sim, long wallMs) {
    this.trace = sim.workload().name();
    this.policy = sim.policy().name();
    this.nodes = sim.state().nodeCount();
    this.memCapMb = sim.state().capKib() / 1024.0 / nodes;
    this.requests = sim.workload().size();
    this.coldStarts = sim.coldStarts();
    this.warmStarts = sim.warmStarts();
    this.dedupStartsLocal = sim.dedupStartsLocal();
    this.dedupStartsRemote = sim.dedupStartsRemote();
    this.waited = sim.waited();
    this.evictions = sim.evictions();
    this.policyPurges = sim.policyPurges();
    this.dedupTransitions = sim.dedupTransitions();
    this.basesMade = sim.basesMade();
    this.prewarms = sim.prewarms();
    this.evictionDedups = sim.evictionDedups();
    this.checkpointWaits = sim.checkpointWaits();
    this.abandonedCheckpoints = sim.abandonedCheckpoints();
    this.extendedCheckpointWaits = sim.extendedCheckpointWaits();
    this.restoreLimitedColdStarts = sim.restoreLimitedColdStarts();
    this.maxActiveRestores = sim.maxActiveRestores();
    this.latencies = sim.latencies();
    int[] sorted = latencies.clone();
    Arrays.sort(sorted);
    this.p50Ms = percentile(sorted, 50);
    this.p99Ms = percentile(sorted, 99);
    this.p999Ms = percentile(sorted, 99.9);
    double sum = 0;
    for (int l : sorted) {
      sum += l;
    }
    this.meanLatencyMs = sorted.length == 0 ? 0 : sum / sorted.length;
    this.meanMemoryMb = sim.meanMemoryMb();
    this.maxMemoryMb = sim.maxMemoryMb();
    this.meanDedup = sim.meanDedup();
    this.maxDedup = sim.maxDedup();
    this.meanBases = sim.meanBases();
    this.maxBases = sim.maxBases();
    this.memorySeriesMb = sim.memorySeriesMb();
    this.dedupSeries = sim.dedupSeries();
    this.baseSeries = sim.baseSeries();
    this.startKinds = sim.startKinds();
    this.servedCounts = sim.servedCounts();
    this.wallMs = wallMs;
  }

  /** Nearest-rank percentile of sorted values (0 if none). */
  static double percentile(int[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  public String trace() {
    return trace;
  }

  public String policy() {
    return policy;
  }

  public int nodes() {
    return nodes;
  }

  /** Mean per-node memory cap, MB (all nodes equal in the CLI's runs). */
  public double memCapMb() {
    return memCapMb;
  }

  public int requests() {
    return requests;
  }

  public long coldStarts() {
    return coldStarts;
  }

  public long warmStarts() {
    return warmStarts;
  }

  public long dedupStarts() {
    return dedupStartsLocal + dedupStartsRemote;
  }

  public long dedupStartsLocal() {
    return dedupStartsLocal;
  }

  public long dedupStartsRemote() {
    return dedupStartsRemote;
  }

  /** Requests that had to wait for memory before starting. */
  public long waited() {
    return waited;
  }

  /** Sandboxes purged to make room for a start. */
  public long evictions() {
    return evictions;
  }

  /** Sandboxes purged (or bases retired) by a policy decision. */
  public long policyPurges() {
    return policyPurges;
  }

  /** Warm → dedup transitions. */
  public long dedupTransitions() {
    return dedupTransitions;
  }

  public long basesMade() {
    return basesMade;
  }

  public long prewarms() {
    return prewarms;
  }

  /** Warm sandboxes deduplicated (rather than purged) to make room for a start. */
  public long evictionDedups() {
    return evictionDedups;
  }

  /** Requests whose start waited for checkpoints freeing memory on their node. */
  public long checkpointWaits() {
    return checkpointWaits;
  }

  /**
   * Starts whose own checkpoints were done but whose memory was still held by other starts'
   * reservations on the node, so they waited for further checkpoints there.
   */
  public long extendedCheckpointWaits() {
    return extendedCheckpointWaits;
  }

  /** Background checkpoints abandoned because a request wanted their sandbox (it started warm). */
  public long abandonedCheckpoints() {
    return abandonedCheckpoints;
  }

  /**
   * Cold starts of a function that had idle DEDUP sandboxes, all on nodes with every restore slot taken:
   * the cold starts the per-node restore limit caused.
   */
  public long restoreLimitedColdStarts() {
    return restoreLimitedColdStarts;
  }

  /** The most restores (including held slots) running at once on one node. */
  public int maxActiveRestores() {
    return maxActiveRestores;
  }

  public double p50Ms() {
    return p50Ms;
  }

  public double p99Ms() {
    return p99Ms;
  }

  public double p999Ms() {
    return p999Ms;
  }

  public double meanLatencyMs() {
    return meanLatencyMs;
  }

  /** Cluster memory in use, time-weighted mean over the replayed period, MB. */
  public double meanMemoryMb() {
    return meanMemoryMb;
  }

  public double maxMemoryMb() {
    return maxMemoryMb;
  }

  public double meanDedup() {
    return meanDedup;
  }

  public int maxDedup() {
    return maxDedup;
  }

  public double meanBases() {
    return meanBases;
  }

  public int maxBases() {
    return maxBases;
  }

  /** Cluster memory in use at the end of each minute, MB. */
  public double[] memorySeriesMb() {
    return memorySeriesMb.clone();
  }

  /** DEDUP sandboxes at the end of each minute. */
  public int[] dedupSeries() {
    return dedupSeries.clone();
  }

  /** Bases at the end of each minute. */
  public int[] baseSeries() {
    return baseSeries.clone();
  }

  /** How each request started ({@link #WARM}, {@link #DEDUP}, {@link #COLD}), by request index. */
  public byte[] startKinds() {
    return startKinds.clone();
  }

  /** How many times each request was served (1 in a correct run), by request index. */
  public byte[] servedCounts() {
    return servedCounts.clone();
  }

  /** End-to-end latency per request (wait + start + execution), ms. */
  public int[] latencies() {
    return latencies.clone();
  }

  /** Wall-clock time of the run, ms (not deterministic; excluded from {@link #summary()}). */
  public long wallMs() {
    return wallMs;
  }

  /** Every deterministic number of this result, as one line. */
  public String summary() {
    return String.format(Locale.ROOT,
        "%s %s nodes=%d cap=%.1f req=%d cold=%d warm=%d dedup=%d/%d waited=%d evict=%d purge=%d dedupT=%d bases=%d "
            + "prewarm=%d evictDedup=%d ckptWait=%d/%d abandoned=%d restoreLimited=%d maxRestores=%d p50=%.0f p99=%.0f p999=%.0f mean=%.3f mem=%.3f/%.3f dedupN=%.3f/%d "
            + "baseN=%.3f/%d lat=%d",
        trace, policy, nodes, memCapMb, requests, coldStarts, warmStarts, dedupStartsLocal, dedupStartsRemote, waited,
        evictions, policyPurges, dedupTransitions, basesMade, prewarms, evictionDedups, checkpointWaits, extendedCheckpointWaits, abandonedCheckpoints,
        restoreLimitedColdStarts, maxActiveRestores, p50Ms, p99Ms,
        p999Ms, meanLatencyMs, meanMemoryMb, maxMemoryMb, meanDedup, maxDedup, meanBases, maxBases,
        Arrays.hashCode(latencies));
  }

  @Override
  public String toString() {
    return summary() + " wall=" + wallMs + "ms";
  }
}
