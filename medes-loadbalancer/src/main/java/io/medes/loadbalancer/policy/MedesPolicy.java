package io.medes.loadbalancer.policy;

import io.medes.loadbalancer.state.ClusterState;
import io.medes.loadbalancer.state.FunctionStats;
import io.medes.loadbalancer.state.Node;
import io.medes.loadbalancer.state.Sandbox;
import io.medes.loadbalancer.state.SandboxList;
import io.medes.loadbalancer.state.SandboxState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

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
 *   <li><b>Eviction is dedup first</b> (node out of memory; the original purged the least-recently-changed
 *       warm or dedup sandbox of the environment with the most warm sandboxes per request). Dedup is the
 *       cheaper alternative to a purge: the node's idle warm sandboxes are deduplicated, lowest expected
 *       reuse value per MB freed first, and the start waits for their checkpoints; only when converting
 *       every candidate cannot free enough are sandboxes purged — dedup sandboxes first, then
 *       unreferenced bases, by the same value order — and if even that is not enough, the plan falls back
 *       to purging (dedup, base and warm sandboxes by value). See {@link #evict}.</li>
 *   <li><b>Deciding at once under pressure.</b> In memory mode, a warm sandbox on a node whose memory in
 *       use (plus memory promised to waiting starts) is above {@code immediate-decision-pressure} of its
 *       cap is judged as soon as it goes idle, not after {@code idle-before-decision}, so that the dumps
 *       run in the background before a start needs the memory.</li>
 *   <li><b>Surplus bases are demoted</b>, not purged: an unreferenced base beyond the number its
 *       environment needs becomes a plain warm sandbox again and goes down the ladder like any other.</li>
 * </ol>
 */
public final class MedesPolicy implements KeepAlivePolicy {
  /** Registry name. */
  public static final String NAME = "medes";

  private final PolicySettings.Medes settings;

  public MedesPolicy(PolicySettings.Medes settings) {
    this.settings = settings;
  }

  /** The settings this policy runs with. */
  public PolicySettings.Medes settings() {
    return settings;
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
    if (idle < settings.idleBeforeDecisionMs() && !decidesAtOnce(state, s)) {
      return Decision.keep(s.idleSince() + settings.idleBeforeDecisionMs(), "not idle long enough to decide");
    }
    long warmExpiry = s.idleSince() + settings.warmKeepAliveMs();
    long nextCheck = warmExpiry > now ? Math.min(now + settings.decisionIntervalMs(), warmExpiry) : now + settings.decisionIntervalMs();
    int environment = s.environment();
    int bases = state.bases(environment).size();
    if (bases == 0) {
      return Decision.makeBase(now + settings.decisionIntervalMs(), "environment has no base yet");
    }
    boolean expired = idle >= settings.warmKeepAliveMs()
        && (settings.constraint() == PolicySettings.Constraint.LATENCY || underPressure(state, s.node()));
    if (!expired && !wantsDedup(state, s, now)) {
      return Decision.keep(nextCheck, "warm within constraint");
    }
    if (state.dedupCount(environment) + 1 > (long) bases * settings.dedupPerBase()) {
      return Decision.makeBase(now + settings.decisionIntervalMs(), "one base per " + settings.dedupPerBase() + " dedups");
    }
    int f = s.function();
    if (!savesMemory(state, f)) {
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
      return Decision.demoteBase(now + settings.decisionIntervalMs(), "surplus unreferenced base: back to warm");
    }
    long expiresAt = s.idleSince() + settings.baseKeepAliveMs();
    if (now >= expiresAt) {
      return Decision.retireBase("unreferenced base idle for base-keep-alive");
    }
    return Decision.keep(Math.min(next, expiresAt), "base kept");
  }

  /**
   * Whether an idle warm sandbox is judged without waiting for {@code idle-before-decision}: memory mode
   * and its node above {@code immediate-decision-pressure} (memory in use plus reservations).
   */
  boolean decidesAtOnce(ClusterState state, Sandbox s) {
    if (settings.constraint() != PolicySettings.Constraint.MEMORY) {
      return false;
    }
    Node node = state.node(s.node());
    return node.usedKib() + node.reservedKib() > settings.immediateDecisionPressure() * node.capKib();
  }

  private static boolean savesMemory(ClusterState state, int f) {
    return state.costs().dedupKib(f) < state.costs().warmKib(f);
  }

  /** DEDUP sandboxes of {@code f}, counting those being checkpointed or claimed for a restore. */
  private static int dedupSandboxes(ClusterState state, int f) {
    return state.sandboxes(f, SandboxState.DEDUP).size() + state.sandboxes(f, SandboxState.CHECKPOINTING).size()
        + state.sandboxes(f, SandboxState.RESTORE_PENDING).size();
  }

  /** Whether the constraint asks for one more dedup sandbox of {@code s}'s function. */
  boolean wantsDedup(ClusterState state, Sandbox s, long now) {
    return settings.constraint() == PolicySettings.Constraint.MEMORY
        ? wantsDedupForMemory(state, s, now)
        : wantsDedupForLatency(state, s, now);
  }

  /**
   * Memory pressure: the node's memory in use plus reservations, or the cluster's memory in use, above
   * {@code memory-budget-fraction} of its cap.
   */
  boolean underPressure(ClusterState state, int node) {
    double fraction = settings.memoryBudgetFraction();
    Node n = state.node(node);
    return n.usedKib() + n.reservedKib() > fraction * n.capKib() || state.usedKib() > fraction * state.capKib();
  }

  /**
   * Whether deduplicating a sandbox of {@code f} to make room is worth the wait: its checkpoint fits
   * within {@code maxWaitMs} and is shorter than the cold start it may save later (cold − dedup start).
   */
  private static boolean worthWaitingFor(ClusterState state, int f, long maxWaitMs) {
    int checkpoint = state.costs().checkpointMs(f);
    return checkpoint <= maxWaitMs && checkpoint < state.costs().coldMs(f) - state.costs().dedupMs(f, true);
  }

  private boolean wantsDedupForMemory(ClusterState state, Sandbox s, long now) {
    if (!underPressure(state, s.node())) {
      return false;
    }
    double fraction = settings.memoryBudgetFraction();
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
    return dedupSandboxes(state, f) < dMemory;
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
    return dedupSandboxes(state, f) < Math.min(dLambda, dLatency);
  }

  /**
   * Makes room for {@code needKib} on {@code node}, dedup first (pure):
   * <ol>
   *   <li>if deduplicating idle warm sandboxes of the node can free what is missing, deduplicate the
   *       fewest needed, lowest {@link #conversionValue} first (ties: idle longest, lower id) — the start
   *       then waits for their checkpoints;</li>
   *   <li>otherwise purge idle dedup sandboxes, then unreferenced bases ({@link #purgeValue} order, lowest
   *       first), just until purging them plus deduplicating every candidate covers it, and deduplicate
   *       the fewest candidates still needed;</li>
   *   <li>otherwise purge only, lowest {@link #purgeValue} first among all idle dedup, base and warm
   *       sandboxes; null if even that cannot free enough.</li>
   * </ol>
   * With {@code dedup-on-evict = false}, only step 3.
   */
  @Override
  public EvictionPlan evict(ClusterState state, int node, long needKib, Sandbox keep, long now) {
    return evict(state, node, needKib, keep, Long.MAX_VALUE, now);
  }

  /** As {@link #evict(ClusterState, int, long, Sandbox, long)}, converting only sandboxes whose checkpoint takes at most {@code maxCheckpointWaitMs}. */
  @Override
  public EvictionPlan evict(ClusterState state, int node, long needKib, Sandbox keep, long maxCheckpointWaitMs,
      long now) {
    Node n = state.node(node);
    long missing = needKib - n.freeKib();
    if (missing <= 0) {
      return EvictionPlan.none();
    }
    if (settings.dedupOnEvict()) {
      List<Sandbox> candidates = new ArrayList<>();
      long convertible = 0;
      SandboxList warm = n.sandboxes(SandboxState.WARM);
      for (Sandbox s = warm.oldest(); s != null; s = warm.newer(s)) {
        if (s != keep && savesMemory(state, s.function()) && !state.bases(s.environment()).isEmpty()
            && worthWaitingFor(state, s.function(), maxCheckpointWaitMs)) {
          candidates.add(s);
          convertible += saving(state, s);
        }
      }
      List<Sandbox> conversions = sortedBy(candidates, x -> conversionValue(state, x, now));
      if (convertible >= missing) {
        return convert(state, conversions, missing, new ArrayList<>(), 0);
      }
      List<Sandbox> victims = new ArrayList<>();
      long freed = 0;
      for (SandboxState st : new SandboxState[] {SandboxState.DEDUP, SandboxState.BASE}) {
        List<Sandbox> purgeable = new ArrayList<>();
        SandboxList list = n.sandboxes(st);
        for (Sandbox s = list.oldest(); s != null; s = list.newer(s)) {
          if (Evictions.evictable(s, keep)) {
            purgeable.add(s);
          }
        }
        for (Sandbox s : sortedBy(purgeable, x -> purgeValue(state, x, now))) {
          if (freed + convertible >= missing) {
            break;
          }
          if (s.isBase() && basesLeft(state, s.environment(), victims) <= 1) {
            continue; // the conversions need a base of every environment they touch
          }
          victims.add(s);
          freed += s.memoryKib();
        }
      }
      if (freed + convertible >= missing) {
        return convert(state, conversions, missing - freed, victims, freed);
      }
    }
    return Evictions.lowestScoreFirst(state, node, needKib, keep, x -> purgeValue(state, x, now),
        SandboxState.DEDUP, SandboxState.BASE, SandboxState.WARM);
  }

  private static int basesLeft(ClusterState state, int environment, List<Sandbox> victims) {
    int left = state.bases(environment).size();
    for (Sandbox v : victims) {
      if (v.isBase() && v.environment() == environment) {
        left--;
      }
    }
    return left;
  }

  private static EvictionPlan convert(ClusterState state, List<Sandbox> ordered, long missing, List<Sandbox> victims,
      long freed) {
    List<Sandbox> conversions = new ArrayList<>();
    long converted = 0;
    for (int i = 0; i < ordered.size() && converted < missing; i++) {
      Sandbox s = ordered.get(i);
      conversions.add(s);
      converted += saving(state, s);
    }
    return new EvictionPlan(victims, freed, conversions, converted);
  }

  private static long saving(ClusterState state, Sandbox s) {
    return state.costs().warmKib(s.function()) - state.costs().dedupKib(s.function());
  }

  /**
   * What keeping {@code s} warm rather than deduplicated is worth per MB that deduplicating frees: its
   * function's mean arrival rate in the rate window (per second) times the start latency a dedup start
   * adds over a warm one (ms), per MB saved. Functions not seen within the window are worth 0.
   */
  double conversionValue(ClusterState state, Sandbox s, long now) {
    int f = s.function();
    double rate = state.stats(f).meanRatePerSecond(now);
    double extraMs = state.costs().dedupMs(f, true) - state.costs().warmMs(f);
    return rate * extraMs / (saving(state, s) / 1024.0);
  }

  /**
   * What keeping {@code s} at all is worth per MB a purge frees: the function's mean arrival rate times
   * the start latency a cold start adds over starting from {@code s} (dedup or warm), per MB it holds.
   */
  double purgeValue(ClusterState state, Sandbox s, long now) {
    int f = s.function();
    double rate = state.stats(f).meanRatePerSecond(now);
    int from = s.state() == SandboxState.DEDUP ? state.costs().dedupMs(f, true) : state.costs().warmMs(f);
    double savedMs = Math.max(0, state.costs().coldMs(f) - from);
    return rate * savedMs / (Math.max(1, s.memoryKib()) / 1024.0);
  }

  /** A copy of {@code list} sorted by ascending {@code value}, ties: idle longest first, then lower id. */
  private static List<Sandbox> sortedBy(List<Sandbox> list, ToDoubleFunction<Sandbox> value) {
    int size = list.size();
    double[] values = new double[size];
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      values[i] = value.applyAsDouble(list.get(i));
      order[i] = i;
    }
    Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> values[i])
        .thenComparingLong(i -> list.get(i).idleSince())
        .thenComparingInt(i -> list.get(i).id()));
    List<Sandbox> sorted = new ArrayList<>(size);
    for (Integer i : order) {
      sorted.add(list.get(i));
    }
    return sorted;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
