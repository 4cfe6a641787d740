package io.medes.loadbalancer.policy;

import io.medes.loadbalancer.state.ClusterState;
import io.medes.loadbalancer.state.FunctionStats;
import io.medes.loadbalancer.state.Node;
import io.medes.loadbalancer.state.Sandbox;
import io.medes.loadbalancer.state.SandboxState;

/**
 * The Medes policy (Saxena et al., EuroSys'22): idle sandboxes move down a ladder warm → dedup → purged,
 * with about one base sandbox per {@code dedup-per-base} dedup sandboxes of an environment, under either
 * a memory constraint or a latency constraint.
 *
 * <h2>Implementation notes</h2>
 * Re-derived from the paper and the public prototype's {@code DedupBoundaryHeuristic}, fixing its bugs
 * (reference-medes.md §5.3):
 * <ol>
 *   <li><b>Counting.</b> For function f: N = its live sandboxes, each counted once (the original counted
 *       bases twice, as warm and as base); D = its DEDUP sandboxes; bases are counted per environment.</li>
 *   <li><b>Rates.</b> λmax = the highest per-minute arrival count in the rate window, per second. A zero
 *       rate is a valid input everywhere (the original divided by it).</li>
 *   <li><b>Memory constraint.</b> The budget is {@code memory-budget-fraction} of the <i>sum</i> of node
 *       caps (the original multiplied node 0's cap by the node count). Function f's share is
 *       {@code budget * λmax_f / Σ λmax}; the fewest dedup sandboxes that fit it is
 *       {@code d_memory = (N * warm - share) / (warm - dedup)}, and a warm sandbox is deduplicated while
 *       D < d_memory. Unlike the original, shares only bind while the sandbox's node or the cluster is
 *       above the budget fraction: with memory to spare, deduplicating would only slow starts down.</li>
 *   <li><b>Latency constraint.</b> Capacity: (N - D)/Tw + D/Td must cover λmax, so
 *       {@code D <= d_lambda = (N - λmax*Tw) / (1 - Tw/Td)} (T = start + execution + reuse period, s).
 *       Latency: the mean end-to-end time ((N-D)*Tw + D*Td)/N may be at most {@code latency-bound-factor}
 *       * Tw, so {@code D <= d_latency = N (factor - 1) Tw / (Td - Tw)}. Deduplicate while
 *       D < min(d_lambda, d_latency). When Td <= Tw both bounds are infinite (no division by zero).</li>
 *   <li><b>Ladder.</b> A warm sandbox idle for {@code warm-keep-alive} is deduplicated rather than purged
 *       (the original purged it); a dedup sandbox idle for {@code dedup-keep-alive} is purged. States are
 *       not sticky: a sandbox restored from dedup is warm again and judged like any other (the original
 *       kept answering DEDUP for it forever).</li>
 *   <li><b>Bases.</b> The first sandbox of an environment to reach a decision becomes a base, as in the
 *       original, so that dedup is possible when pressure comes; a sandbox about to be deduplicated
 *       becomes a base instead when the environment has D + 1 > B * dedup-per-base. A base with
 *       dependents is never retired; an unreferenced base is retired when its environment has more bases
 *       than ceil(D / dedup-per-base) (at least one), or after {@code base-keep-alive} idle (the original
 *       never retired bases).</li>
 *   <li><b>Eviction</b> (node out of memory): least recently used first among idle warm, dedup and
 *       unreferenced base sandboxes of the node (the original picked least-recently-changed warm or dedup
 *       sandboxes of the environment with the most warm sandboxes per request).</li>
 * </ol>
 */
public final class MedesPolicy implements KeepAlivePolicy {
  /** Registry name. */
  public static final String NAME = "medes";

  private final PolicySettings.Medes settings;

  public MedesPolicy(PolicySettings.Medes settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean usesDedup() {
    return true;
  }

  @Override
  public Decision decide(ClusterState state, Sandbox idle, long now) {
    switch (idle.state()) {
      case BASE:
        return decideBase(state, idle, now);
      case DEDUP:
        return decideDedup(idle, now);
      case WARM:
        return decideWarm(state, idle, now);
      default:
        throw new IllegalArgumentException("decide() needs an idle sandbox, got " + idle);
    }
  }

  private Decision decideDedup(Sandbox s, long now) {
    long expiresAt = s.idleSince() + settings.dedupKeepAliveMs();
    if (now >= expiresAt) {
      return Decision.purge("dedup keep-alive over");
    }
    return Decision.keep(expiresAt, "within dedup keep-alive");
  }

  private Decision decideWarm(ClusterState state, Sandbox s, long now) {
    long idle = now - s.idleSince();
    if (idle < settings.idleBeforeDecisionMs()) {
      return Decision.keep(s.idleSince() + settings.idleBeforeDecisionMs(), "not idle long enough to decide");
    }
    long nextCheck = Math.min(now + settings.decisionIntervalMs(), s.idleSince() + settings.warmKeepAliveMs());
    int environment = s.environment();
    int bases = state.bases(environment).size();
    if (bases == 0) {
      return Decision.makeBase(now + settings.decisionIntervalMs(), "environment has no base yet");
    }
    boolean expired = idle >= settings.warmKeepAliveMs();
    if (!expired && !wantsDedup(state, s, now)) {
      return Decision.keep(nextCheck, "warm within constraint");
    }
    if (state.dedupCount(environment) + 1 > (long) bases * settings.dedupPerBase()) {
      return Decision.makeBase(now + settings.decisionIntervalMs(), "one base per " + settings.dedupPerBase() + " dedups");
    }
    int f = s.function();
    if (state.costs().dedupKib(f) >= state.costs().warmKib(f)) {
      return expired ? Decision.purge("warm keep-alive over, dedup saves nothing") : Decision.keep(nextCheck, "dedup saves nothing");
    }
    return Decision.dedup(s.idleSince() + settings.dedupKeepAliveMs(), expired ? "warm keep-alive over" : "over constraint");
  }

  private Decision decideBase(ClusterState state, Sandbox s, long now) {
    long next = now + settings.decisionIntervalMs();
    if (s.dependents() > 0) {
      return Decision.keep(next, "base in use by " + s.dependents() + " dedup sandboxes");
    }
    int environment = s.environment();
    long needed = Math.max(1, ceilDiv(state.dedupCount(environment), settings.dedupPerBase()));
    if (state.bases(environment).size() > needed) {
      return Decision.retireBase("surplus unreferenced base");
    }
    long expiresAt = s.idleSince() + settings.baseKeepAliveMs();
    if (now >= expiresAt) {
      return Decision.retireBase("unreferenced base idle for base-keep-alive");
    }
    return Decision.keep(Math.min(next, expiresAt), "base kept");
  }

  /** Whether the constraint asks for one more dedup sandbox of {@code s}'s function. */
  boolean wantsDedup(ClusterState state, Sandbox s, long now) {
    return settings.constraint() == PolicySettings.Constraint.MEMORY
        ? wantsDedupForMemory(state, s, now)
        : wantsDedupForLatency(state, s, now);
  }

  private boolean wantsDedupForMemory(ClusterState state, Sandbox s, long now) {
    double fraction = settings.memoryBudgetFraction();
    Node node = state.node(s.node());
    boolean pressure = node.usedKib() > fraction * node.capKib() || state.usedKib() > fraction * state.capKib();
    if (!pressure) {
      return false;
    }
    int f = s.function();
    double lambda = state.stats(f).peakRatePerSecond(now);
    double sum = state.peakRateSum(now);
    double share = sum > 0 ? Math.min(1.0, lambda / sum) : 0.0;
    double budgetKib = fraction * state.capKib() * share;
    long warm = state.costs().warmKib(f);
    long saving = warm - state.costs().dedupKib(f);
    if (saving <= 0) {
      return false;
    }
    double dMemory = (state.liveCount(f) * (double) warm - budgetKib) / saving;
    return state.sandboxes(f, SandboxState.DEDUP).size() < dMemory;
  }

  private boolean wantsDedupForLatency(ClusterState state, Sandbox s, long now) {
    int f = s.function();
    FunctionStats fs = state.stats(f);
    double exec = fs.execMs(0) + settings.reusePeriodMs();
    double tw = (state.costs().warmMs(f) + exec) / 1000.0;
    double td = (state.costs().dedupMs(f, true) + exec) / 1000.0;
    double n = state.liveCount(f);
    double lambda = fs.peakRatePerSecond(now);
    double dLambda = td > tw ? (n - lambda * tw) / (1 - tw / td) : Double.POSITIVE_INFINITY;
    double dLatency = td > tw ? n * (settings.latencyBoundFactor() - 1) * tw / (td - tw) : Double.POSITIVE_INFINITY;
    return state.sandboxes(f, SandboxState.DEDUP).size() < Math.min(dLambda, dLatency);
  }

  @Override
  public EvictionPlan evict(ClusterState state, int node, long needKib, Sandbox keep, long now) {
    return Evictions.lowestScoreFirst(state, node, needKib, keep, Sandbox::idleSince,
        SandboxState.WARM, SandboxState.DEDUP, SandboxState.BASE);
  }

  /**
   * What keeping {@code s} is worth per MB it holds: the function's recent arrival rate times the start
   * latency it saves over a cold start, per MB. Sandboxes of functions not seen within the rate window are
   * worth 0 and go first (least recently used among them).
   */
  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
