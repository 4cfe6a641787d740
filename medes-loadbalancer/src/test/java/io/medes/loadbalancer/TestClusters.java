package io.medes.loadbalancer;

import io.medes.loadbalancer.state.ClusterState;
import io.medes.loadbalancer.state.FunctionCosts;
import io.medes.loadbalancer.state.Sandbox;

/** Small clusters and sandbox lifecycles for policy and scheduler tests. */
public final class TestClusters {
  public static final long MB = 1024;

  private TestClusters() {}

  /**
   * {@code functions} functions, all in environment 0 with cold 2300 ms, warm 15 ms, dedup 300 ms local /
   * 400 ms remote, 100 MB warm and 40 MB dedup memory; nodes with the given caps in MB.
   */
  public static ClusterState cluster(int functions, long... capsMb) {
    FunctionCosts.Builder b = FunctionCosts.builder(functions);
    for (int f = 0; f < functions; f++) {
      b.function(f, 0, 2300, 15, 300, 400, 100 * MB, 40 * MB);
    }
    return cluster(b.build(), capsMb);
  }

  public static ClusterState cluster(FunctionCosts costs, long... capsMb) {
    long[] caps = new long[capsMb.length];
    for (int i = 0; i < caps.length; i++) {
      caps[i] = capsMb[i] * MB;
    }
    return new ClusterState(caps, costs, 10);
  }

  /** A sandbox that cold-started for a request at {@code t} and went idle at {@code idleAt}. */
  public static Sandbox idleSandbox(ClusterState state, int function, int node, long t, long idleAt) {
    state.recordArrival(function, t);
    Sandbox s = state.startCold(function, node, t);
    state.recordDispatch(function);
    state.finishStart(s, t + state.costs().coldMs(function));
    state.finishExecution(s, idleAt, idleAt - t - state.costs().coldMs(function));
    return s;
  }
}
