package io.medes.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.medes.loadbalancer.policy.PolicySettings;
import io.medes.loadbalancer.state.FunctionCosts;
import io.medes.simulator.trace.Workload;
import org.junit.jupiter.api.Test;

/**
 * A tiny hand-computed trace through every policy. One function: cold 2,300 ms, warm 15 ms, dedup 300 ms
 * (local base) / 400 ms, 100 MB warm / 40 MB dedup; one node of 1,000 MB; every request runs 100 ms.
 *
 * <pre>
 * r0 @ 0        cold: sandbox A starts, runs 2,300..2,400, idle from 2,400
 * r1 @ 1,000    A is still starting -> cold: sandbox B, runs 3,300..3,400, idle from 3,400
 * r2 @ 900,000  (about 15 min later)
 * r3 @ 900,010
 * </pre>
 */
class SimulationOracleTest {
  private static final long MB = 1024;

  private static SimulationResult run(String policy) {
    FunctionCosts costs = FunctionCosts.builder(1).function(0, 0, 2_300, 15, 300, 400, 100 * MB, 40 * MB).build();
    Workload w = Workload.of("oracle", 1, 1_200_000, new long[] {0, 1_000, 900_000, 900_010}, new int[] {0, 0, 0, 0},
        new int[] {100, 100, 100, 100});
    return new Simulation(w, costs, new long[] {1_000 * MB}, PolicySettings.defaults(), policy, 1).run(null);
  }

  @Test
  void fixedKeepAlivePurgesBothAfterTenMinutes() {
    // A expires at 602,400, B at 603,400 -> r2 and r3 are cold too: 4 cold starts of 2,300 + 100 ms
    SimulationResult r = run("fixed");
    assertThat(r.coldStarts()).isEqualTo(4);
    assertThat(r.latencies()).containsExactly(2_400, 2_400, 2_400, 2_400);
    assertThat(r.maxMemoryMb()).isEqualTo(200);
  }

  @Test
  void greedyDualKeepsBothWithMemoryToSpare() {
    // no timeout: r2 and r3 are warm starts, 15 + 100 ms
    SimulationResult r = run("greedy-dual");
    assertThat(r.coldStarts()).isEqualTo(2);
    assertThat(r.latencies()).containsExactly(2_400, 2_400, 115, 115);
  }

  @Test
  void hybridHistogramWithoutHistoryKeepsForTheWholeRange() {
    // when A and B go idle no idle time has been recorded (r1 arrived while r0 was in flight):
    // "not representative" -> keep alive for the 4 h range -> r2, r3 warm
    SimulationResult r = run("hybrid-histogram");
    assertThat(r.coldStarts()).isEqualTo(2);
    assertThat(r.latencies()).containsExactly(2_400, 2_400, 115, 115);
    assertThat(r.prewarms()).isZero();
  }

  @Test
  void medesKeepsABaseAndADedupSandbox() {
    // A: idle 2,400, first decision at 62,400 -> the environment has no base -> A becomes the base.
    // B: idle 3,400, no memory pressure (200 of 1,000 MB) -> warm until 603,400 -> deduplicated against A
    //    (same node: a local base). Memory then 100 + 40 = 140 MB.
    // r2 -> the idle base A serves it warm (115 ms); r3 -> B restores (local, 300 + 100 = 400 ms).
    SimulationResult r = run("medes");
    assertThat(r.coldStarts()).isEqualTo(2);
    assertThat(r.basesMade()).isEqualTo(1);
    assertThat(r.dedupTransitions()).isEqualTo(1);
    assertThat(r.dedupStartsLocal()).isEqualTo(1);
    assertThat(r.latencies()).containsExactly(2_400, 2_400, 115, 400);
    // memory series: 200 MB at minute 10 (B still warm), 140 MB at minute 11..14 (B dedup)
    double[] mem = r.memorySeriesMb();
    assertThat(mem[9]).isEqualTo(200);
    assertThat(mem[10]).isEqualTo(140);
    assertThat(mem[14]).isEqualTo(140);
    assertThat(r.maxDedup()).isEqualTo(1);
    assertThat(r.maxBases()).isEqualTo(1);
  }

  @Test
  void requestsWaitWhenEveryNodeIsBusy() {
    // one node of 150 MB: r1 (function 0, arriving while r0 runs) cannot start until r0's sandbox is idle
    // at 2,400 -> it then reuses that sandbox warm: latency = 1,400 wait + 15 + 100 = 1,515
    FunctionCosts costs = FunctionCosts.builder(1).function(0, 0, 2_300, 15, 300, 400, 100 * MB, 40 * MB).build();
    Workload w = Workload.of("wait", 1, 60_000, new long[] {0, 1_000}, new int[] {0, 0}, new int[] {100, 100});
    for (String p : new String[] {"fixed", "hybrid-histogram", "greedy-dual", "medes"}) {
      SimulationResult r = new Simulation(w, costs, new long[] {150 * MB}, PolicySettings.defaults(), p, 1).run(null);
      assertThat(r.latencies()).as(p).containsExactly(2_400, 1_515);
      assertThat(r.waited()).as(p).isEqualTo(1);
    }
  }
}
