package io.medes.loadbalancer.policy;

import static io.medes.loadbalancer.TestClusters.MB;
import static io.medes.loadbalancer.TestClusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.medes.loadbalancer.state.ClusterState;
import io.medes.loadbalancer.state.FunctionCosts;
import io.medes.loadbalancer.state.Sandbox;
import org.junit.jupiter.api.Test;

class GreedyDualPolicyTest {

  /** Runs one request on {@code s} (already idle) through the policy hooks. */
  private static void use(ClusterState state, GreedyDualPolicy p, Sandbox s, long t) {
    state.recordArrival(s.function(), t);
    state.beginWarmStart(s, t);
    state.recordDispatch(s.function());
    p.onDispatch(state, s, t);
    state.finishExecution(s, t + 100, 100);
    p.onIdle(state, s, t + 100);
  }

  private static Sandbox cold(ClusterState state, GreedyDualPolicy p, int f, long t) {
    state.recordArrival(f, t);
    Sandbox s = state.startCold(f, 0, t);
    state.recordDispatch(f);
    p.onDispatch(state, s, t);
    state.finishStart(s, t + state.costs().coldMs(f));
    state.finishExecution(s, t + state.costs().coldMs(f) + 100, 100);
    p.onIdle(state, s, t + state.costs().coldMs(f) + 100);
    return s;
  }

  @Test
  void evictsTheLowestPriorityAndAdvancesTheClock() {
    // A: cold - warm = 1,000 ms, 100 MB; B: cold - warm = 2,000 ms, 100 MB
    FunctionCosts costs = FunctionCosts.builder(2)
        .function(0, 0, 1_015, 15, 300, 400, 100 * MB, 40 * MB)
        .function(1, 0, 2_015, 15, 300, 400, 100 * MB, 40 * MB)
        .build();
    ClusterState state = cluster(costs, 250);
    GreedyDualPolicy p = new GreedyDualPolicy(PolicySettings.defaults().greedyDual(), 2);
    Sandbox a = cold(state, p, 0, 0);
    use(state, p, a, 10_000);
    use(state, p, a, 20_000);
    Sandbox b = cold(state, p, 1, 30_000);
    // A: freq 3 -> priority 0 + 3 * 1000 / 100 = 30; B: freq 1 -> 0 + 1 * 2000 / 100 = 20
    assertThat(a.priority()).isEqualTo(30.0);
    assertThat(b.priority()).isEqualTo(20.0);
    EvictionPlan plan = p.evict(state, 0, 100 * MB, null, 40_000);
    assertThat(plan.victims()).containsExactly(b);
    p.onPurge(state, b, true, 40_000);
    state.purge(b, 40_000);
    assertThat(p.clock()).isEqualTo(20.0);
    assertThat(p.frequency(1)).isZero();
    // A used again: 20 + 4 * 1000 / 100 = 60
    use(state, p, a, 50_000);
    assertThat(a.priority()).isEqualTo(60.0);
  }

  @Test
  void neverExpiresWithoutMaxIdle() {
    ClusterState state = cluster(1, 1000);
    GreedyDualPolicy p = new GreedyDualPolicy(PolicySettings.defaults().greedyDual(), 1);
    Sandbox s = cold(state, p, 0, 0);
    Decision d = p.decide(state, s, 100_000_000);
    assertThat(d.action()).isEqualTo(Decision.Action.KEEP);
    assertThat(d.nextDecisionAt()).isEqualTo(Decision.NEVER);
  }
}
