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
  void medesKeepsBothWarmWithoutMemoryPressure() {
    // A: idle 2,400, first decision at 62,400 -> the environment has no base -> A becomes the base.
    // B: idle 3,400; 200 of 1,000 MB is no pressure -> B stays warm, past the warm keep-alive too.
    // r2 -> B, the most recently idle warm sandbox (115 ms); r3 -> the idle base A, warm (115 ms).
    SimulationResult r = run("medes");
    assertThat(r.coldStarts()).isEqualTo(2);
    assertThat(r.basesMade()).isEqualTo(1);
    assertThat(r.dedupTransitions()).isZero();
    assertThat(r.latencies()).containsExactly(2_400, 2_400, 115, 115);
    assertThat(r.memorySeriesMb()[14]).isEqualTo(200);
    assertThat(r.maxBases()).isEqualTo(1);
  }

  /**
   * Medes under memory pressure: dedup instead of eviction, with checkpoint time. Three functions of one
   * environment: cold 2,300, warm 15, dedup 300 (local base) ms, 100 MB warm / 40 MB dedup, a checkpoint
   * takes 1,000 ms; one node of 250 MB (pressure above 237.5 MB); every request runs 100 ms.
   *
   * <pre>
   * r0 @0       f0 cold: A, idle 2,400; at 62,400 it becomes the environment's base
   * r1 @1,000   f1 cold: B, idle 3,400 (200 MB used: no pressure, stays warm)
   * r2 @100,000 f2: 50 MB free, 100 needed -> deduplicate B (frees 60) and wait for its checkpoint:
   *             B done at 101,000 (140 MB used), C cold-starts then: 1,000 + 2,300 + 100 = 3,400
   * @103,400    C idle with 240 MB used (> 237.5): judged at once; f2's share 1/3 of 237.5 MB is below
   *             its 100 MB -> C's background checkpoint starts, due at 104,400
   * r3 @104,000 f1: restoring B needs 60 MB, 10 are free, nothing can be evicted (A is referenced, C is
   *             checkpointing) and a cold start has no room either -> r3 waits in the queue
   * r4 @104,100 f2: C's background checkpoint is abandoned, C serves r4 warm: 15 + 100 = 115
   * @104,215    C idle; f2's share is now 2/3 -> stays warm. The queue retries r3: restore B after
   *             deduplicating C (the checkpoint whose memory is now promised), done at 105,215:
   *             r3 = 1,215 waiting + 300 restore + 100 = 1,615
   * @105,615    B idle with 240 MB used; f1's share 1/3 -> background checkpoint of B
   * </pre>
   */
  @Test
  void medesDeduplicatesInsteadOfEvictingAndWaitsForTheCheckpoint() {
    FunctionCosts.Builder b = FunctionCosts.builder(3);
    for (int f = 0; f < 3; f++) {
      b.function(f, 0, 2_300, 15, 300, 400, 100 * MB, 40 * MB, 1_000);
    }
    Workload w = Workload.of("pressure", 3, 200_000, new long[] {0, 1_000, 100_000, 104_000, 104_100},
        new int[] {0, 1, 2, 1, 2}, new int[] {100, 100, 100, 100, 100});
    SimulationResult r = new Simulation(w, b.build(), new long[] {250 * MB}, PolicySettings.defaults(), "medes", 1).run(null);
    assertThat(r.latencies()).containsExactly(2_400, 2_400, 3_400, 1_615, 115);
    assertThat(r.coldStarts()).isEqualTo(3);
    assertThat(r.warmStarts()).isEqualTo(1);
    assertThat(r.dedupStartsLocal()).isEqualTo(1);
    assertThat(r.evictions()).as("nothing purged").isZero();
    assertThat(r.evictionDedups()).isEqualTo(2);
    assertThat(r.checkpointWaits()).isEqualTo(2);
    assertThat(r.abandonedCheckpoints()).isEqualTo(1);
    // B, C (abandoned), C again (for r3) and B once more: idle at 105,615 with 240 MB used, f1's share is
    // 1/3 -> its background checkpoint
    assertThat(r.dedupTransitions()).isEqualTo(4);
    assertThat(r.basesMade()).isEqualTo(1);
    assertThat(r.waited()).isEqualTo(1);
    assertThat(r.maxMemoryMb()).isLessThanOrEqualTo(250);
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
