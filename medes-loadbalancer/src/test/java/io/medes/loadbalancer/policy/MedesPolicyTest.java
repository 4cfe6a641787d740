package io.medes.loadbalancer.policy;

import static io.medes.loadbalancer.TestClusters.cluster;
import static io.medes.loadbalancer.TestClusters.idleSandbox;
import static org.assertj.core.api.Assertions.assertThat;

import io.medes.loadbalancer.state.ClusterState;
import io.medes.loadbalancer.state.Sandbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Oracles for the Medes policy. Cluster: env 0, warm 100 MB / dedup 40 MB, warm 15 ms, dedup 300 ms. */
class MedesPolicyTest {
  private static final long MIN = 60_000;
  private static final long HOUR = 60 * MIN;

  private static MedesPolicy policy(Map<String, Object> overrides) {
    return new MedesPolicy(PolicySettings.withOverrides(overrides).medes());
  }

  private static MedesPolicy policy() {
    return policy(Map.of());
  }

  @Test
  void waitsBeforeDecidingThenMakesTheFirstBaseOfAnEnvironment() {
    ClusterState state = cluster(1, 10_000);
    Sandbox s = idleSandbox(state, 0, 0, 0, 2_400);
    Decision early = policy().decide(state, s, 2_400);
    // idle-before-decision 60 s -> asked again at 62,400
    assertThat(early.action()).isEqualTo(Decision.Action.KEEP);
    assertThat(early.nextDecisionAt()).isEqualTo(62_400);
    assertThat(policy().decide(state, s, 62_400).action()).isEqualTo(Decision.Action.MAKE_BASE);
  }

  @Test
  void withoutPressureStaysWarmThenMovesDownTheLadder() {
    ClusterState state = cluster(2, 10_000);
    Sandbox base = idleSandbox(state, 0, 0, 0, 2_400);
    state.makeBase(base, 62_400);
    Sandbox s = idleSandbox(state, 1, 0, 0, 2_400);
    Decision d = policy().decide(state, s, 62_400);
    // 200 of 10,000 MB used: no pressure -> warm; next check min(62,400 + 60,000, 2,400 + 600,000)
    assertThat(d.action()).isEqualTo(Decision.Action.KEEP);
    assertThat(d.nextDecisionAt()).isEqualTo(122_400);
    // warm keep-alive over at 602,400 -> dedup (not purge), purged 24 h after it went idle
    Decision ladder = policy().decide(state, s, 602_400);
    assertThat(ladder.action()).isEqualTo(Decision.Action.DEDUP);
    assertThat(ladder.nextDecisionAt()).isEqualTo(2_400 + 24 * HOUR);
    state.dedup(s, base, 602_400);
    assertThat(policy().decide(state, s, 2_400 + 24 * HOUR - 1).action()).isEqualTo(Decision.Action.KEEP);
    assertThat(policy().decide(state, s, 2_400 + 24 * HOUR).action()).isEqualTo(Decision.Action.PURGE);
  }

  @Test
  void memoryConstraintDeduplicatesDownToTheFunctionsShare() {
    ClusterState state = cluster(1, 1_000);
    List<Sandbox> sandboxes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sandboxes.add(idleSandbox(state, 0, 0, i, 2_400 + i));
    }
    state.makeBase(sandboxes.get(0), 62_400);
    // used 1,000 MB > 0.95 * 1,000 = 950 -> pressure. One function: share = 1 -> 950 MB.
    // d_memory = (10 * 100 - 950) / (100 - 40) = 0.83 ; D = 0 < 0.83 -> DEDUP
    Sandbox first = sandboxes.get(1);
    assertThat(policy().decide(state, first, 62_401).action()).isEqualTo(Decision.Action.DEDUP);
    state.dedup(first, sandboxes.get(0), 62_401);
    // now 940 MB <= 950: no pressure -> the others stay warm
    assertThat(policy().decide(state, sandboxes.get(2), 62_402).action()).isEqualTo(Decision.Action.KEEP);
  }

  @Test
  void sharesFollowPeakRates() {
    ClusterState state = cluster(2, 1_000);
    // function 0: 2 sandboxes; function 1: 7 sandboxes plus 3 extra arrivals (peak 10 / min vs 2 / min)
    Sandbox base = idleSandbox(state, 1, 0, 0, 2_400);
    state.makeBase(base, 62_400);
    Sandbox a0 = idleSandbox(state, 0, 0, 0, 2_400);
    idleSandbox(state, 0, 0, 0, 2_400);
    for (int i = 0; i < 6; i++) {
      idleSandbox(state, 1, 0, 0, 2_400);
    }
    for (int i = 0; i < 3; i++) {
      state.recordArrival(1, 1_000);
    }
    // used 900 MB, plus a 100 MB busy sandbox of function 1 -> 1,000 > 950: pressure.
    state.recordArrival(1, 1_000);
    state.startCold(1, 0, 1_000);
    // peaks: f0 2/60, f1 11/60 -> f0's share = 2/13 of 950 = 146.2 MB
    // d_memory(f0) = (2 * 100 - 146.2) / 60 = 0.90 > D = 0 -> DEDUP
    assertThat(policy().decide(state, a0, 62_400).action()).isEqualTo(Decision.Action.DEDUP);
    // f1: share 11/13 * 950 = 803.8; N = 8 -> (800 - 803.8)/60 < 0 -> stays warm
    Sandbox f1 = state.sandboxes(1, io.medes.loadbalancer.state.SandboxState.WARM).oldest();
    assertThat(policy().decide(state, f1, 62_400).action()).isEqualTo(Decision.Action.KEEP);
  }

  @Test
  void zeroRatesAreValidInput() {
    ClusterState state = cluster(2, 200);
    Sandbox base = idleSandbox(state, 0, 0, 0, 11 * MIN);
    state.makeBase(base, 11 * MIN + 60_000);
    Sandbox s = idleSandbox(state, 1, 0, 0, 11 * MIN);
    // at minute 12 the window (minutes 3..12) holds no arrivals: every rate and their sum are 0.
    // used 200 of 200 MB: pressure; share 0 -> d_memory = 100 / 60 > 0 -> DEDUP (no division by zero)
    Decision d = policy().decide(state, s, 12 * MIN);
    assertThat(d.action()).isEqualTo(Decision.Action.DEDUP);
  }

  @Test
  void latencyConstraintBoundsDedupByCapacityAndLatency() {
    Map<String, Object> latency = Map.of("whisk.medes.policy.medes.constraint", "latency");
    ClusterState state = cluster(1, 100_000);
    List<Sandbox> sandboxes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sandboxes.add(idleSandbox(state, 0, 0, 0, 2_300)); // execution time 0 ms
    }
    state.makeBase(sandboxes.get(0), 62_300);
    // Tw = (15 + 0 + 500) / 1000 = 0.515 s, Td = (300 + 0 + 500) / 1000 = 0.8 s, lambda = 10 / 60 /s
    // d_lambda = (10 - 0.0858) / (1 - 0.64375) = 27.8 ; d_latency = 10 * 1.5 * 0.515 / 0.285 = 27.1
    assertThat(policy(latency).decide(state, sandboxes.get(1), 62_300).action()).isEqualTo(Decision.Action.DEDUP);
    // 1,200 arrivals in minute 0 -> lambda 20 /s: d_lambda = (10 - 10.3) / 0.35625 = -0.84 < D = 0 -> warm
    for (int i = 0; i < 1_190; i++) {
      state.recordArrival(0, 100);
    }
    assertThat(policy(latency).decide(state, sandboxes.get(1), 62_300).action()).isEqualTo(Decision.Action.KEEP);
  }

  @Test
  void oneBasePerDedupPerBaseDedupSandboxes() {
    ClusterState state = cluster(1, 10_000);
    Sandbox base = idleSandbox(state, 0, 0, 0, 2_400);
    state.makeBase(base, 62_400);
    Sandbox d1 = idleSandbox(state, 0, 0, 0, 2_400);
    Sandbox d2 = idleSandbox(state, 0, 0, 0, 2_400);
    Sandbox next = idleSandbox(state, 0, 0, 0, 2_400);
    state.dedup(d1, base, 602_400);
    state.dedup(d2, base, 602_400);
    // dedup-per-base 2: D + 1 = 3 > 1 * 2 -> the next one becomes a base instead
    MedesPolicy p = policy(Map.of("whisk.medes.policy.medes.dedup-per-base", 2));
    assertThat(p.decide(state, next, 602_400).action()).isEqualTo(Decision.Action.MAKE_BASE);
    // with the default 40 it is deduplicated
    assertThat(policy().decide(state, next, 602_400).action()).isEqualTo(Decision.Action.DEDUP);
  }

  @Test
  void basesAreRetiredOnlyWithoutDependents() {
    ClusterState state = cluster(1, 10_000);
    Sandbox b1 = idleSandbox(state, 0, 0, 0, 2_400);
    Sandbox b2 = idleSandbox(state, 0, 0, 0, 2_400);
    Sandbox d = idleSandbox(state, 0, 0, 0, 2_400);
    state.makeBase(b1, 62_400);
    state.makeBase(b2, 62_400);
    state.dedup(d, b1, 62_400);
    // D = 1 needs ceil(1/40) = 1 base; b2 is a surplus base without dependents -> retire
    assertThat(policy().decide(state, b2, 70_000).action()).isEqualTo(Decision.Action.RETIRE_BASE);
    // b1 has a dependent -> kept, however long it is idle
    assertThat(policy().decide(state, b1, 10 * HOUR).action()).isEqualTo(Decision.Action.KEEP);
    // once its dependent is gone and it is the only base, it stays until base-keep-alive (24 h)
    state.purge(d, 80_000);
    state.purge(b2, 80_000);
    assertThat(policy().decide(state, b1, 90_000).action()).isEqualTo(Decision.Action.KEEP);
    assertThat(policy().decide(state, b1, 2_400 + 24 * HOUR).action()).isEqualTo(Decision.Action.RETIRE_BASE);
  }

  @Test
  void aRestoredSandboxIsWarmAgainNotStuckInDedup() {
    ClusterState state = cluster(1, 10_000);
    Sandbox base = idleSandbox(state, 0, 0, 0, 2_400);
    state.makeBase(base, 62_400);
    Sandbox s = idleSandbox(state, 0, 0, 0, 2_400);
    state.dedup(s, base, 602_400);
    state.recordArrival(0, 700_000);
    state.beginRestore(s, 700_000);
    state.recordDispatch(0);
    state.finishStart(s, 700_300);
    state.finishExecution(s, 700_400, 100);
    // no pressure, idle 60 s: judged like any warm sandbox -> KEEP (the original answered DEDUP forever)
    assertThat(policy().decide(state, s, 760_400).action()).isEqualTo(Decision.Action.KEEP);
  }

  @Test
  void evictsLeastRecentlyUsedButNeverAReferencedBase() {
    ClusterState state = cluster(1, 300);
    Sandbox base = idleSandbox(state, 0, 0, 0, 1_000);
    Sandbox d = idleSandbox(state, 0, 0, 0, 2_000);
    Sandbox w = idleSandbox(state, 0, 0, 0, 3_000);
    state.makeBase(base, 61_000);
    state.dedup(d, base, 62_000);
    // used 100 + 40 + 100 = 240 of 300; need 100 -> 60 free, evict 40: the base is oldest but referenced,
    // so the dedup sandbox (idle since 2,000) goes
    assertThat(policy().evict(state, 0, 100 * 1024, null, 70_000).victims()).containsExactly(d);
    // need 200: 60 free + d (40) + w (100) = 200
    assertThat(policy().evict(state, 0, 200 * 1024, null, 70_000).victims()).containsExactly(d, w);
  }
}
