package io.medes.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.medes.loadbalancer.policy.PolicyRegistry;
import io.medes.loadbalancer.policy.PolicySettings;
import io.medes.loadbalancer.state.FunctionCosts;
import io.medes.simulator.trace.Workload;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Large random traces on small heterogeneous clusters under heavy memory pressure, every policy, with
 * the cluster state's full invariant check ({@code ClusterState.verify}) every 500 events: memory never
 * above any node's cap, every sandbox in exactly one state and index, base reference counts exact,
 * reservations for starts waiting on checkpoints covered by free plus promised memory, restore slots no
 * fewer than restores. And every request served exactly once, with a latency no shorter than its
 * execution; at the end no reservation or restore slot is left. Medes' runs must deduplicate on eviction
 * and make starts wait for checkpoints (the checkpoint times are random, 0 to 2.5 s).
 */
class SimulationInvariantTest {
  private static final long MB = 1024;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void invariantsHoldOnRandomTraces(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int functions = 60;
    FunctionCosts.Builder b = FunctionCosts.builder(functions);
    for (int f = 0; f < functions; f++) {
      int warm = 5 + r.nextInt(30);
      int dedup = warm + r.nextInt(500);
      long mem = (50 + r.nextInt(250)) * MB;
      // checkpoints of 0..2.5 s: some shorter than the cold start they may save, some not
      b.function(f, r.nextInt(4), dedup + r.nextInt(3000), warm, dedup, dedup + r.nextInt(200), mem,
          (long) (mem * r.nextDouble()), r.nextInt(2_500));
    }
    FunctionCosts costs = b.build();
    int n = 25_000;
    long duration = 3 * 3_600_000L;
    long[] t = new long[n];
    int[] fn = new int[n];
    int[] exec = new int[n];
    for (int i = 0; i < n; i++) {
      // bursty: a third of the requests fall into three 2-minute bursts
      t[i] = r.nextInt(3) == 0 ? (r.nextInt(3) * 3_600_000L + r.nextInt(120_000)) : (long) r.nextInt((int) duration);
      fn[i] = (int) Math.min(functions - 1, Math.abs(r.nextGaussian()) * functions / 3);
      exec[i] = r.nextInt(10) == 0 ? r.nextInt(120_000) : r.nextInt(2_000);
    }
    Workload w = Workload.of("random-" + seed, functions, duration, t, fn, exec);
    long[] caps = {700 * MB, 1_200 * MB, 2_000 * MB};
    for (String policy : PolicyRegistry.names()) {
      SimulationResult res = new Simulation(w, costs, caps, PolicySettings.defaults(), policy, 500).run(null);
      byte[] served = res.servedCounts();
      byte[] kinds = res.startKinds();
      int[] latency = res.latencies();
      for (int i = 0; i < n; i++) {
        assertThat(served[i]).as("%s: request %d served", policy, i).isEqualTo((byte) 1);
        assertThat(kinds[i]).as("%s: request %d start kind", policy, i).isBetween(SimulationResult.WARM, SimulationResult.COLD);
        assertThat(latency[i]).as("%s: request %d latency", policy, i).isGreaterThanOrEqualTo(w.executionMs(i));
      }
      assertThat(res.coldStarts() + res.warmStarts() + res.dedupStarts()).as(policy).isEqualTo(n);
      assertThat(res.maxMemoryMb()).as(policy).isLessThanOrEqualTo((700 + 1_200 + 2_000));
      assertThat(res.waited()).as("%s: the bursts must actually create pressure", policy).isPositive();
      if (!PolicyRegistry.create(policy, PolicySettings.defaults(), functions).usesDedup()) {
        assertThat(res.dedupStarts()).as(policy).isZero();
        assertThat(res.evictionDedups() + res.checkpointWaits()).as(policy).isZero();
      } else {
        // the runs must exercise dedup-on-evict, waiting for checkpoints, and abandoned checkpoints
        assertThat(res.evictionDedups()).as("%s: dedup on evict", policy).isPositive();
        assertThat(res.checkpointWaits()).as("%s: starts waiting for checkpoints", policy).isPositive();
        assertThat(res.dedupStarts()).as(policy).isPositive();
        assertThat(res.extendedCheckpointWaits()).as("%s: starts kept waiting by other reservations", policy).isPositive();
        assertThat(res.abandonedCheckpoints()).as("%s: background checkpoints taken over", policy).isPositive();
      }
    }
  }
}
