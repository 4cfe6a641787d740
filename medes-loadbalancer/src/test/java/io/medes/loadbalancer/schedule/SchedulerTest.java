package io.medes.loadbalancer.schedule;

import static io.medes.loadbalancer.TestClusters.MB;
import static io.medes.loadbalancer.TestClusters.cluster;
import static io.medes.loadbalancer.TestClusters.idleSandbox;
import static org.assertj.core.api.Assertions.assertThat;

import io.medes.loadbalancer.policy.KeepAlivePolicy;
import io.medes.loadbalancer.policy.PolicyRegistry;
import io.medes.loadbalancer.policy.PolicySettings;
import io.medes.loadbalancer.state.ClusterState;
import io.medes.loadbalancer.state.FunctionCosts;
import io.medes.loadbalancer.state.Sandbox;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  private final PolicySettings settings = PolicySettings.defaults();
  private final Scheduler scheduler = new Scheduler(settings.scheduler());

  private KeepAlivePolicy policy(String name, int functions) {
    return PolicyRegistry.create(name, settings, functions);
  }

  @Test
  void prefersTheMostRecentlyIdleWarmSandbox() {
    ClusterState state = cluster(1, 1000);
    idleSandbox(state, 0, 0, 0, 3_000);
    Sandbox newer = idleSandbox(state, 0, 0, 0, 4_000);
    Placement p = scheduler.place(state, policy("fixed", 1), 0, 5_000);
    assertThat(p.kind()).isEqualTo(Placement.Kind.WARM);
    assertThat(p.sandbox()).isSameAs(newer);
    assertThat(p.startMs()).isEqualTo(15);
  }

  @Test
  void dedupStartPrefersALocalBase() {
    ClusterState state = cluster(1, 1000, 1000);
    Sandbox base = idleSandbox(state, 0, 0, 0, 1_000);
    state.makeBase(base, 61_000);
    Sandbox remote = idleSandbox(state, 0, 1, 0, 1_000);
    Sandbox local = idleSandbox(state, 0, 0, 0, 1_000);
    state.dedup(local, base, 62_000);
    state.dedup(remote, base, 63_000); // newer, but its base is on node 0
    // the base itself is an idle BASE of function 0 -> a warm start comes first; occupy it
    state.recordArrival(0, 70_000);
    state.beginWarmStart(base, 70_000);
    Placement p = scheduler.place(state, policy("medes", 1), 0, 70_000);
    assertThat(p.kind()).isEqualTo(Placement.Kind.DEDUP);
    assertThat(p.sandbox()).isSameAs(local);
    assertThat(p.localBase()).isTrue();
    assertThat(p.startMs()).isEqualTo(300);
  }

  @Test
  void respectsTheRestoreLimitPerNode() {
    PolicySettings one = PolicySettings.withOverrides(Map.of("whisk.medes.policy.scheduler.restores-per-node", 1));
    Scheduler limited = new Scheduler(one.scheduler());
    ClusterState state = cluster(1, 1000);
    Sandbox base = idleSandbox(state, 0, 0, 0, 1_000);
    state.makeBase(base, 61_000);
    Sandbox a = idleSandbox(state, 0, 0, 0, 1_000);
    Sandbox b = idleSandbox(state, 0, 0, 0, 1_000);
    state.dedup(a, base, 62_000);
    state.dedup(b, base, 62_000);
    state.beginWarmStart(base, 70_000);
    state.beginRestore(a, 70_000); // one restore in flight fills the node's single slot
    Placement p = limited.place(state, PolicyRegistry.create("medes", one, 1), 0, 70_001);
    assertThat(p.kind()).isEqualTo(Placement.Kind.COLD);
  }

  @Test
  void coldStartProbesFromTheHomeNodeAndEvictsWhenFull() {
    ClusterState state = cluster(2, 150, 150);
    int home = Scheduler.homeNode(0, 2);
    Placement first = scheduler.place(state, policy("fixed", 2), 0, 0);
    assertThat(first.kind()).isEqualTo(Placement.Kind.COLD);
    assertThat(first.node()).isEqualTo(home);
    assertThat(first.eviction().isEmpty()).isTrue();
    // fill both nodes with idle sandboxes of function 1; a request of function 0 must evict
    Sandbox onHome = idleSandbox(state, 1, home, 0, 3_000);
    idleSandbox(state, 1, 1 - home, 0, 4_000);
    Placement evicting = scheduler.place(state, policy("fixed", 2), 0, 5_000);
    assertThat(evicting.kind()).isEqualTo(Placement.Kind.COLD);
    assertThat(evicting.node()).isEqualTo(home);
    assertThat(evicting.eviction().victims()).containsExactly(onHome);
    assertThat(evicting.eviction().freedKib()).isEqualTo(100 * MB);
  }

  @Test
  void waitsWhenEveryNodeIsFullOfBusySandboxes() {
    ClusterState state = cluster(2, 150);
    state.recordArrival(1, 0);
    state.startCold(1, 0, 0);
    Placement p = scheduler.place(state, policy("greedy-dual", 2), 0, 10);
    assertThat(p.kind()).isEqualTo(Placement.Kind.WAIT);
  }

  @Test
  void basesAreChosenLocalFirstThenByFewestDependents() {
    ClusterState state = cluster(1, 1000, 1000);
    Sandbox remoteBase = idleSandbox(state, 0, 1, 0, 1_000);
    Sandbox localBase = idleSandbox(state, 0, 0, 0, 1_000);
    state.makeBase(remoteBase, 61_000);
    state.makeBase(localBase, 61_000);
    Sandbox s = idleSandbox(state, 0, 0, 0, 1_000);
    assertThat(Scheduler.chooseBase(state, s)).isSameAs(localBase);
    Sandbox t = idleSandbox(state, 0, 1, 0, 1_000);
    assertThat(Scheduler.chooseBase(state, t)).isSameAs(remoteBase);
  }

  @Test
  void aColdStartWaitsForTheLongestCheckpointOfItsPlan() {
    // one 300 MB node: base of f0, warm sandboxes of f1 (checkpoint 800 ms) and f2 (1,200 ms);
    // f3 needs 100 MB: converting both frees 2 * 60 = 120 -> it waits for the longer checkpoint
    FunctionCosts costs = FunctionCosts.builder(4)
        .function(0, 0, 2_300, 15, 300, 400, 100 * MB, 40 * MB, 500)
        .function(1, 0, 2_300, 15, 300, 400, 100 * MB, 40 * MB, 800)
        .function(2, 0, 2_300, 15, 300, 400, 100 * MB, 40 * MB, 1_200)
        .function(3, 0, 2_300, 15, 300, 400, 100 * MB, 40 * MB, 900)
        .build();
    ClusterState state = cluster(costs, 300);
    Sandbox base = idleSandbox(state, 0, 0, 0, 2_400);
    state.makeBase(base, 61_000);
    Sandbox w1 = idleSandbox(state, 1, 0, 0, 3_000);
    Sandbox w2 = idleSandbox(state, 2, 0, 0, 4_000);
    state.recordArrival(0, 10_000);
    Placement p = scheduler.place(state, policy("medes", 4), 3, 70_000);
    assertThat(p.kind()).isEqualTo(Placement.Kind.COLD);
    assertThat(p.eviction().conversions()).containsExactly(w1, w2);
    assertThat(p.eviction().victims()).isEmpty();
    assertThat(p.checkpointWaitMs()).isEqualTo(1_200);
    assertThat(p.startMs()).isEqualTo(2_300);
  }

  @Test
  void aRestoreWaitsForCheckpointsOnlyWhileItStillBeatsAColdStart() {
    // node of 240 MB: base (f0, 100), dedup d of f1 (40), warm w of f2 (100). Restoring d needs 60 more.
    FunctionCosts quick = costsWithCheckpointOfF2(1_900);
    ClusterState state = cluster(quick, 240);
    Sandbox base = idleSandbox(state, 0, 0, 0, 2_400);
    state.makeBase(base, 61_000);
    Sandbox d = idleSandbox(state, 1, 0, 0, 3_000);
    state.dedup(d, base, 62_000);
    Sandbox w = idleSandbox(state, 2, 0, 0, 4_000);
    state.recordArrival(0, 10_000);
    state.beginWarmStart(base, 70_000); // busy: neither a warm start for f0 nor evictable
    // 1,900 ms of checkpoint + 300 ms restore < 2,300 ms cold -> wait for w's checkpoint
    Placement p = scheduler.place(state, policy("medes", 3), 1, 70_000);
    assertThat(p.kind()).isEqualTo(Placement.Kind.DEDUP);
    assertThat(p.sandbox()).isSameAs(d);
    assertThat(p.eviction().conversions()).containsExactly(w);
    assertThat(p.checkpointWaitMs()).isEqualTo(1_900);
    // 2,000 + 300 is not shorter than 2,300: purge w instead (the restore starts at once)
    ClusterState slow = cluster(costsWithCheckpointOfF2(2_000), 240);
    Sandbox base2 = idleSandbox(slow, 0, 0, 0, 2_400);
    slow.makeBase(base2, 61_000);
    Sandbox d2 = idleSandbox(slow, 1, 0, 0, 3_000);
    slow.dedup(d2, base2, 62_000);
    Sandbox w2 = idleSandbox(slow, 2, 0, 0, 4_000);
    slow.recordArrival(0, 10_000);
    slow.beginWarmStart(base2, 70_000);
    Placement q = scheduler.place(slow, policy("medes", 3), 1, 70_000);
    assertThat(q.kind()).isEqualTo(Placement.Kind.DEDUP);
    assertThat(q.eviction().conversions()).isEmpty();
    assertThat(q.eviction().victims()).containsExactly(w2);
    assertThat(q.checkpointWaitMs()).isZero();
  }

  private static FunctionCosts costsWithCheckpointOfF2(int checkpointMs) {
    return FunctionCosts.builder(3)
        .function(0, 0, 2_300, 15, 300, 400, 100 * MB, 40 * MB, 500)
        .function(1, 0, 2_300, 15, 300, 400, 100 * MB, 40 * MB, 500)
        .function(2, 0, 2_300, 15, 300, 400, 100 * MB, 40 * MB, checkpointMs)
        .build();
  }

  @Test
  void aRequestTakesOverASandboxWhoseBackgroundCheckpointIsUnderWay() {
    ClusterState state = cluster(1, 1000);
    Sandbox base = idleSandbox(state, 0, 0, 0, 2_400);
    state.makeBase(base, 61_000);
    Sandbox s = idleSandbox(state, 0, 0, 0, 3_000);
    Sandbox promised = idleSandbox(state, 0, 0, 0, 3_000);
    state.beginWarmStart(base, 70_000);
    state.beginDedup(promised, base, 70_000, true);
    state.beginDedup(s, base, 70_000);
    Placement p = scheduler.place(state, policy("medes", 1), 0, 70_500);
    assertThat(p.kind()).isEqualTo(Placement.Kind.WARM);
    assertThat(p.sandbox()).isSameAs(s);
    assertThat(p.startMs()).isEqualTo(15);
    // a checkpoint whose memory is promised to a waiting start is never taken over
    state.abandonDedup(s, 70_500);
    state.beginWarmStart(s, 70_500);
    assertThat(scheduler.place(state, policy("medes", 1), 0, 70_600).kind()).isEqualTo(Placement.Kind.COLD);
  }
}
