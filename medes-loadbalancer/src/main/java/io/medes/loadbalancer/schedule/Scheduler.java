package io.medes.loadbalancer.schedule;

import io.medes.loadbalancer.policy.EvictionPlan;
import io.medes.loadbalancer.policy.KeepAlivePolicy;
import io.medes.loadbalancer.policy.PolicySettings;
import io.medes.loadbalancer.state.ClusterState;
import io.medes.loadbalancer.state.FunctionCosts;
import io.medes.loadbalancer.state.Node;
import io.medes.loadbalancer.state.Sandbox;
import io.medes.loadbalancer.state.SandboxList;
import io.medes.loadbalancer.state.SandboxState;
import java.util.List;

/**
 * Places requests, as pure functions over the cluster state (after OpenWhisk's
 * {@code ContainerPool.schedule} and {@code ShardingContainerPoolBalancer.schedule}).
 *
 * <p>Order of preference for a request of function f:
 * <ol>
 *   <li>an idle WARM sandbox of f, the most recently used one (so older ones can expire), else an idle
 *       BASE of f — a warm start;</li>
 *   <li>a DEDUP sandbox of f on a node with a free restore slot and room for its warm memory (making
 *       room by the policy's eviction if needed): the shortest expected start (restore latency, local or
 *       remote base, plus any wait for checkpoints the eviction needs), then no eviction, then the most
 *       recently idle — a dedup start;</li>
 *   <li>a cold start on the first node, probing from f's home node, with room for f's warm memory; else
 *       the first node, same order, where the policy can make room (purging, or deduplicating and
 *       waiting for the checkpoints);</li>
 *   <li>otherwise WAIT: every node is full of busy sandboxes.</li>
 * </ol>
 * The home node spreads functions over nodes deterministically (a multiplicative hash of f), like the
 * sharding balancer's home invoker. Each step looks only at f's own index lists and at the nodes, never
 * at every sandbox (the original scanned all containers per request).
 */
public final class Scheduler {
  /** At most this many dedup candidates are examined per request (the newest first). */
  static final int MAX_DEDUP_CANDIDATES = 64;

  private final int restoresPerNode;

  public Scheduler(PolicySettings.Scheduler settings) {
    this.restoresPerNode = settings.restoresPerNode();
  }

  public int restoresPerNode() {
    return restoresPerNode;
  }

  /** Where a request of {@code function} arriving at {@code now} should start. Pure. */
  public Placement place(ClusterState state, KeepAlivePolicy policy, int function, long now) {
    FunctionCosts costs = state.costs();
    SandboxList warm = state.sandboxes(function, SandboxState.WARM);
    if (!warm.isEmpty()) {
      return Placement.warm(warm.newest(), costs.warmMs(function));
    }
    SandboxList idleBases = state.sandboxes(function, SandboxState.BASE);
    if (!idleBases.isEmpty()) {
      return Placement.warm(idleBases.newest(), costs.warmMs(function));
    }
    SandboxList checkpointing = state.sandboxes(function, SandboxState.CHECKPOINTING);
    for (Sandbox s = checkpointing.newest(); s != null; s = checkpointing.older(s)) {
      if (!s.checkpointPromised()) {
        return Placement.warm(s, costs.warmMs(function)); // abandon a background checkpoint
      }
    }
    if (policy.usesDedup()) {
      Placement dedup = placeDedup(state, policy, function, now);
      if (dedup != null) {
        return dedup;
      }
    }
    return placeCold(state, policy, function, now);
  }

  private Placement placeDedup(ClusterState state, KeepAlivePolicy policy, int function, long now) {
    SandboxList dedup = state.sandboxes(function, SandboxState.DEDUP);
    Sandbox best = null;
    EvictionPlan bestPlan = null;
    boolean bestLocal = false;
    long bestCost = Long.MAX_VALUE;
    int examined = 0;
    for (Sandbox s = dedup.newest(); s != null && examined < MAX_DEDUP_CANDIDATES; s = dedup.older(s), examined++) {
      Node node = state.node(s.node());
      if (node.activeRestores() >= restoresPerNode) {
        continue;
      }
      long need = state.costs().warmKib(function) - s.memoryKib();
      Sandbox base = state.sandbox(s.dedupBase());
      boolean local = base != null && base.node() == s.node();
      // a restore waits for checkpoints only while it still beats a cold start
      long maxWait = state.costs().coldMs(function) - state.costs().dedupMs(function, local) - 1;
      EvictionPlan plan = need <= node.freeKib() ? EvictionPlan.none() : policy.evict(state, s.node(), need, s, maxWait, now);
      if (plan == null) {
        continue;
      }
      long cost = (long) state.costs().dedupMs(function, local) + checkpointWaitMs(state, plan);
      if (best == null || cost < bestCost || (cost == bestCost && plan.isEmpty() && !bestPlan.isEmpty())) {
        best = s;
        bestPlan = plan;
        bestLocal = local;
        bestCost = cost;
        if (local && plan.isEmpty()) {
          break;
        }
      }
    }
    if (best == null) {
      return null;
    }
    return Placement.dedup(best, state.costs().dedupMs(function, bestLocal), bestLocal, bestPlan,
        checkpointWaitMs(state, bestPlan));
  }

  /** How long a start waits for the plan's conversions: the longest of their checkpoints, ms. */
  static int checkpointWaitMs(ClusterState state, EvictionPlan plan) {
    int wait = 0;
    for (Sandbox c : plan.conversions()) {
      wait = Math.max(wait, state.costs().checkpointMs(c.function()));
    }
    return wait;
  }

  private Placement placeCold(ClusterState state, KeepAlivePolicy policy, int function, long now) {
    int nodes = state.nodeCount();
    long need = state.costs().warmKib(function);
    int home = homeNode(function, nodes);
    for (int i = 0; i < nodes; i++) {
      int n = (home + i) % nodes;
      if (state.node(n).freeKib() >= need) {
        return Placement.cold(n, state.costs().coldMs(function), EvictionPlan.none(), 0);
      }
    }
    for (int i = 0; i < nodes; i++) {
      int n = (home + i) % nodes;
      if (state.node(n).capKib() < need) {
        continue;
      }
      EvictionPlan plan = policy.evict(state, n, need, null, Long.MAX_VALUE, now);
      if (plan != null) {
        return Placement.cold(n, state.costs().coldMs(function), plan, checkpointWaitMs(state, plan));
      }
    }
    return Placement.waiting();
  }

  /**
   * The base a WARM sandbox should be deduplicated against: one of its environment's live bases,
   * preferring the sandbox's own node (restores then read local pages), then the base with the fewest
   * dependents, then the lowest id. Null if the environment has no base. Pure.
   */
  public static Sandbox chooseBase(ClusterState state, Sandbox sandbox) {
    List<Sandbox> bases = state.bases(sandbox.environment());
    Sandbox best = null;
    for (Sandbox b : bases) {
      if (b == sandbox) {
        continue;
      }
      if (best == null || baseOrder(sandbox, b, best) < 0) {
        best = b;
      }
    }
    return best;
  }

  private static int baseOrder(Sandbox s, Sandbox a, Sandbox b) {
    boolean aLocal = a.node() == s.node();
    boolean bLocal = b.node() == s.node();
    if (aLocal != bLocal) {
      return aLocal ? -1 : 1;
    }
    if (a.dependents() != b.dependents()) {
      return Integer.compare(a.dependents(), b.dependents());
    }
    return Integer.compare(a.id(), b.id());
  }

  /** The node a function's cold starts probe first. */
  public static int homeNode(int function, int nodes) {
    long h = (function * 0x9E3779B97F4A7C15L) >>> 33;
    return (int) (h % nodes);
  }
}
