package io.medes.loadbalancer.policy;

import static io.medes.loadbalancer.TestClusters.MB;
import static io.medes.loadbalancer.TestClusters.cluster;
import static io.medes.loadbalancer.TestClusters.idleSandbox;
import static org.assertj.core.api.Assertions.assertThat;

import io.medes.loadbalancer.state.ClusterState;
import io.medes.loadbalancer.state.FunctionCosts;
import io.medes.loadbalancer.state.Sandbox;
import io.medes.loadbalancer.state.SandboxState;
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
  void withoutPressureStaysWarmEvenPastTheWarmKeepAlive() {
    ClusterState state = cluster(2, 10_000);
    Sandbox base = idleSandbox(state, 0, 0, 0, 2_400);
    state.makeBase(base, 62_400);
    Sandbox s = idleSandbox(state, 1, 0, 0, 2_400);
    Decision d = policy().decide(state, s, 62_400);
    // 200 of 10,000 MB used: no pressure -> warm; next check min(62,400 + 60,000, 2,400 + 600,000)
    assertThat(d.action()).isEqualTo(Decision.Action.KEEP);
    assertThat(d.nextDecisionAt()).isEqualTo(122_400);
    // memory mode: the warm keep-alive (10 min) is over at 602,400 but there is nothing to save memory
    // for -> still warm, asked again a decision interval later
    Decision later = policy().decide(state, s, 602_400);
    assertThat(later.action()).isEqualTo(Decision.Action.KEEP);
    assertThat(later.nextDecisionAt()).isEqualTo(662_400);
  }

  @Test
  void underPressureTheWarmKeepAliveMovesASandboxDownTheLadder() {
    // function 0: base B and warm s (idle since 2,400); function 1: one running sandbox. Node of 300 MB.
    ClusterState state = cluster(2, 300);
    Sandbox base = idleSandbox(state, 0, 0, 0, 2_400);
    state.makeBase(base, 62_400);
    Sandbox s = idleSandbox(state, 0, 0, 0, 2_400);
    for (int i = 0; i < 5; i++) {
      state.recordArrival(0, 590_000);
    }
    state.recordArrival(1, 590_000);
    state.startCold(1, 0, 590_000);
    // used 300 > 0.95 * 300 = 285: pressure. Peaks in minute 9: f0 5/60, f1 1/60 -> f0's share
    // 5/6 * 285 = 237.5 MB >= N * warm = 200 -> the share alone keeps it warm (d_memory < 0).
    assertThat(policy().decide(state, s, 602_399).action()).isEqualTo(Decision.Action.KEEP);
    // at 602,400 it has been idle for the warm keep-alive (600 s) under pressure -> dedup, not purge
    Decision ladder = policy().decide(state, s, 602_400);
    assertThat(ladder.action()).isEqualTo(Decision.Action.DEDUP);
    assertThat(ladder.reason()).contains("warm keep-alive");
    assertThat(ladder.nextDecisionAt()).isEqualTo(2_400 + 24 * HOUR);
    // the dedup sandbox is purged 24 h after it went idle
    state.dedup(s, base, 602_400);
    assertThat(policy().decide(state, s, 2_400 + 24 * HOUR - 1).action()).isEqualTo(Decision.Action.KEEP);
    assertThat(policy().decide(state, s, 2_400 + 24 * HOUR).action()).isEqualTo(Decision.Action.PURGE);
  }

  @Test
  void underPressureAFreshlyIdleSandboxIsJudgedAtOnce() {
    // one function, base B and warm s; node of 205 MB: used 200 > 0.95 * 205 = 194.75 -> pressure
    ClusterState state = cluster(1, 205);
    Sandbox base = idleSandbox(state, 0, 0, 0, 2_400);
    state.makeBase(base, 62_400);
    Sandbox s = idleSandbox(state, 0, 0, 70_000, 72_400);
    // idle for 1 ms only; share = the whole budget 194.75 MB, d_memory = (2 * 100 - 194.75) / 60 = 0.09 > D = 0
    assertThat(policy().decide(state, s, 72_401).action()).isEqualTo(Decision.Action.DEDUP);
    // with immediate decisions off it waits for idle-before-decision (60 s)
    Decision off = policy(Map.of("whisk.medes.policy.medes.immediate-decision-pressure", 1.0)).decide(state, s, 72_401);
    assertThat(off.action()).isEqualTo(Decision.Action.KEEP);
    assertThat(off.nextDecisionAt()).isEqualTo(132_400);
    // and on a node below the threshold it waits too: 200 of 1,000 MB
    ClusterState roomy = cluster(1, 1_000);
    Sandbox b2 = idleSandbox(roomy, 0, 0, 0, 2_400);
    roomy.makeBase(b2, 62_400);
    Sandbox s2 = idleSandbox(roomy, 0, 0, 70_000, 72_400);
    assertThat(policy().decide(roomy, s2, 72_401).nextDecisionAt()).isEqualTo(132_400);
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
    // 100 + 40 + 40 + 100 = 280 MB on a 290 MB node: pressure (> 275.5). One function: share = 275.5 MB,
    // d_memory = (4 * 100 - 275.5) / 60 = 2.07 > D = 2 -> it wants one more dedup sandbox
    ClusterState state = cluster(1, 290);
    Sandbox base = idleSandbox(state, 0, 0, 0, 2_400);
    state.makeBase(base, 62_400);
    Sandbox d1 = idleSandbox(state, 0, 0, 0, 2_400);
    state.dedup(d1, base, 62_400);
    Sandbox d2 = idleSandbox(state, 0, 0, 0, 2_400);
    state.dedup(d2, base, 62_400);
    Sandbox next = idleSandbox(state, 0, 0, 0, 2_400);
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
    // D = 1 needs ceil(1/40) = 1 base; b2 is a surplus base without dependents -> back to warm (not purged)
    Decision surplus = policy().decide(state, b2, 70_000);
    assertThat(surplus.action()).isEqualTo(Decision.Action.DEMOTE_BASE);
    assertThat(surplus.nextDecisionAt()).isEqualTo(130_000);
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

  // ------------------------------------------------------------------ eviction: dedup first

  /** Node 0 of {@code capMb} holding base B of f0 (idle since 2,400) and, for each given function, a warm sandbox. */
  private static ClusterState withBase(ClusterState state) {
    Sandbox base = idleSandbox(state, 0, 0, 0, 2_400);
    state.makeBase(base, 61_000);
    for (int i = 0; i < 5; i++) {
      state.recordArrival(0, 10_000); // f0 is busy: its base is worth keeping
    }
    return state;
  }

  @Test
  void evictionDeduplicatesTheLowestValueWarmSandboxesFirst() {
    ClusterState state = withBase(cluster(4, 400));
    Sandbox w1 = idleSandbox(state, 1, 0, 0, 3_000);
    Sandbox w2 = idleSandbox(state, 2, 0, 0, 4_000);
    Sandbox w3 = idleSandbox(state, 3, 0, 0, 5_000);
    for (int i = 0; i < 5; i++) {
      state.recordArrival(2, 10_000);
    }
    state.recordArrival(3, 10_000);
    // 400 of 400 MB used; a cold start needs 100 MB. Converting frees 100 - 40 = 60 MB each.
    // value = mean rate (arrivals in the 10-min window / 600 s) * (300 - 15 ms) / 60 MB:
    // f1 1/600, f3 2/600, f2 6/600 -> w1, then w3: 60 + 60 = 120 >= 100. Nothing is purged.
    EvictionPlan plan = policy().evict(state, 0, 100 * MB, null, 70_000);
    assertThat(plan.conversions()).containsExactly(w1, w3);
    assertThat(plan.convertedKib()).isEqualTo(120 * MB);
    assertThat(plan.victims()).isEmpty();
    assertThat(plan.waitsForCheckpoints()).isTrue();
    assertThat(w2.state()).isEqualTo(SandboxState.WARM); // pure: nothing changed
  }

  @Test
  void purgesDedupSandboxesOnlyWhenConvertingCannotFreeEnough() {
    ClusterState state = withBase(cluster(4, 400));
    Sandbox base = state.bases(0).get(0);
    Sandbox d = idleSandbox(state, 1, 0, 0, 3_000);
    state.dedup(d, base, 62_000);
    Sandbox w2 = idleSandbox(state, 2, 0, 0, 4_000);
    Sandbox w3 = idleSandbox(state, 3, 0, 0, 5_000);
    for (int i = 0; i < 3; i++) {
      state.recordArrival(2, 10_000);
    }
    // used 100 + 40 + 100 + 100 = 340, free 60; need 200 -> 140 missing. Converting w2 and w3 frees only
    // 120 -> purge the dedup sandbox d (40): 40 + 120 >= 140. Then convert 140 - 40 = 100: w3 (rate
    // 1/600) before w2 (4/600), 60 + 60. The referenced base is never a candidate.
    EvictionPlan plan = policy().evict(state, 0, 200 * MB, null, 70_000);
    assertThat(plan.victims()).containsExactly(d);
    assertThat(plan.freedKib()).isEqualTo(40 * MB);
    assertThat(plan.conversions()).containsExactly(w3, w2);
    assertThat(plan.convertedKib()).isEqualTo(120 * MB);
  }

  @Test
  void fallsBackToPurgingByValueWhenEvenConvertingEverythingIsNotEnough() {
    ClusterState state = withBase(cluster(3, 300));
    Sandbox w1 = idleSandbox(state, 1, 0, 0, 3_000);
    Sandbox w2 = idleSandbox(state, 2, 0, 0, 4_000);
    state.recordArrival(1, 10_000);
    // 300 of 300 used, need 200. Converting w1 and w2 frees 120; no dedup sandbox; B is the only base of
    // the environment the conversions need -> not purged for them. 120 < 200 -> purge only, lowest
    // rate * (2,300 - 15) / 100 MB first: f2 (1/600), f1 (2/600), f0 (6/600) -> w2, w1 = 200.
    EvictionPlan plan = policy().evict(state, 0, 200 * MB, null, 70_000);
    assertThat(plan.conversions()).isEmpty();
    assertThat(plan.victims()).containsExactly(w2, w1);
    assertThat(plan.freedKib()).isEqualTo(200 * MB);
    // more than every idle sandbox holds: impossible
    assertThat(policy().evict(state, 0, 301 * MB, null, 70_000)).isNull();
  }

  @Test
  void convertsOnlySandboxesWorthTheirCheckpointWait() {
    // checkpoint times: f1 1,000 ms; f2 2,100 ms, longer than the cold start it could save (2,300 - 300)
    FunctionCosts costs = FunctionCosts.builder(3)
        .function(0, 0, 2_300, 15, 300, 400, 100 * MB, 40 * MB, 500)
        .function(1, 0, 2_300, 15, 300, 400, 100 * MB, 40 * MB, 1_000)
        .function(2, 0, 2_300, 15, 300, 400, 100 * MB, 40 * MB, 2_100)
        .build();
    ClusterState state = withBase(cluster(costs, 300));
    Sandbox w2 = idleSandbox(state, 2, 0, 0, 3_000); // idle longer: first in a tie
    Sandbox w1 = idleSandbox(state, 1, 0, 0, 4_000);
    // need 50 MB: w2 is not worth its wait -> convert w1 (60 MB)
    assertThat(policy().evict(state, 0, 50 * MB, null, 70_000).conversions()).containsExactly(w1);
    // a start that may wait at most 500 ms: no conversion qualifies -> purge only; equal values
    // (rate 1/600 each) -> idle longest first: w2
    EvictionPlan hurried = policy().evict(state, 0, 50 * MB, null, 500, 70_000);
    assertThat(hurried.conversions()).isEmpty();
    assertThat(hurried.victims()).containsExactly(w2);
  }

  @Test
  void withoutDedupOnEvictItPurgesByValue() {
    ClusterState state = withBase(cluster(4, 400));
    Sandbox w1 = idleSandbox(state, 1, 0, 0, 3_000);
    idleSandbox(state, 2, 0, 0, 4_000);
    idleSandbox(state, 3, 0, 0, 5_000);
    state.recordArrival(2, 10_000);
    state.recordArrival(3, 10_000);
    state.recordArrival(3, 10_000);
    // purge values (rate * 2,285 ms / 100 MB): f1 1/600 < f2 2/600 < f3 3/600 < f0 6/600 -> w1
    EvictionPlan plan = policy(Map.of("whisk.medes.policy.medes.dedup-on-evict", false)).evict(state, 0, 100 * MB, null, 70_000);
    assertThat(plan.victims()).containsExactly(w1);
    assertThat(plan.conversions()).isEmpty();
  }

  @Test
  void neverTouchesTheSandboxToRestoreOrAReferencedBase() {
    ClusterState state = withBase(cluster(2, 300));
    Sandbox base = state.bases(0).get(0);
    Sandbox d = idleSandbox(state, 1, 0, 0, 3_000);
    state.dedup(d, base, 62_000);
    Sandbox w = idleSandbox(state, 1, 0, 0, 4_000);
    // used 240, free 60: restoring d needs 60 -> nothing to do
    assertThat(policy().evict(state, 0, 60 * MB, d, 70_000).isEmpty()).isTrue();
    // need 120 while keeping d: convert w (60)
    EvictionPlan plan = policy().evict(state, 0, 120 * MB, d, 70_000);
    assertThat(plan.conversions()).containsExactly(w);
    assertThat(plan.victims()).isEmpty();
    // need 200: converting w gives 60, d is kept, B is referenced -> purging w (100) is all there is -> null
    assertThat(policy().evict(state, 0, 200 * MB, d, 70_000)).isNull();
  }
}
