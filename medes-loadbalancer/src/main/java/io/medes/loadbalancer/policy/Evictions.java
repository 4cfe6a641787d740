package io.medes.loadbalancer.policy;

import io.medes.loadbalancer.state.ClusterState;
import io.medes.loadbalancer.state.Node;
import io.medes.loadbalancer.state.Sandbox;
import io.medes.loadbalancer.state.SandboxList;
import io.medes.loadbalancer.state.SandboxState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Victim selection shared by the policies: least recently used, or lowest score first. */
public final class Evictions {
  private Evictions() {}

  /** Whether {@code s} may be evicted: idle, not {@code keep}, and not a base that still has dependents. */
  public static boolean evictable(Sandbox s, Sandbox keep) {
    return s != keep && s.state().isIdle() && !(s.isBase() && s.dependents() > 0);
  }

  /**
   * Least-recently-used WARM sandboxes of the node first (OpenWhisk's ContainerPool.remove evicts the
   * oldest idle container first). The node's WARM list is ordered by when each became idle, so this
   * walks only as many sandboxes as it evicts.
   */
  public static EvictionPlan leastRecentlyUsedWarm(ClusterState state, int node, long needKib, Sandbox keep) {
    Node n = state.node(node);
    long missing = needKib - n.freeKib();
    if (missing <= 0) {
      return EvictionPlan.none();
    }
    SandboxList warm = n.sandboxes(SandboxState.WARM);
    List<Sandbox> victims = new ArrayList<>();
    long freed = 0;
    for (Sandbox s = warm.oldest(); s != null && freed < missing; s = warm.newer(s)) {
      if (evictable(s, keep)) {
        victims.add(s);
        freed += s.memoryKib();
      }
    }
    return freed >= missing ? new EvictionPlan(victims, freed) : null;
  }

  /**
   * Lowest {@code score} first among the node's idle sandboxes in {@code states}; ties go to the one idle
   * longest, then the lower id, so the order is total and deterministic.
   */
  public static EvictionPlan lowestScoreFirst(ClusterState state, int node, long needKib, Sandbox keep,
      ToDoubleFunction<Sandbox> score, SandboxState... states) {
    Node n = state.node(node);
    long missing = needKib - n.freeKib();
    if (missing <= 0) {
      return EvictionPlan.none();
    }
    List<Sandbox> candidates = new ArrayList<>();
    long available = 0;
    for (SandboxState st : states) {
      SandboxList list = n.sandboxes(st);
      for (Sandbox s = list.oldest(); s != null; s = list.newer(s)) {
        if (evictable(s, keep)) {
          candidates.add(s);
          available += s.memoryKib();
        }
      }
    }
    if (available < missing) {
      return null;
    }
    int size = candidates.size();
    double[] scores = new double[size];
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      scores[i] = score.applyAsDouble(candidates.get(i));
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> scores[i])
        .thenComparingLong(i -> candidates.get(i).idleSince())
        .thenComparingInt(i -> candidates.get(i).id()));
    List<Sandbox> victims = new ArrayList<>();
    long freed = 0;
    for (int k = 0; k < size && freed < missing; k++) {
      Sandbox s = candidates.get(order[k]);
      victims.add(s);
      freed += s.memoryKib();
    }
    return new EvictionPlan(victims, freed);
  }
}
