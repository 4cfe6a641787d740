package io.medes.loadbalancer.state;

import static io.medes.loadbalancer.TestClusters.MB;
import static io.medes.loadbalancer.TestClusters.cluster;
import static io.medes.loadbalancer.TestClusters.idleSandbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClusterStateTest {

  @Test
  void memoryFollowsStatesAndIndexesStayConsistent() {
    ClusterState state = cluster(2, 1000);
    Sandbox a = idleSandbox(state, 0, 0, 0, 2400);
    Sandbox b = idleSandbox(state, 0, 0, 0, 2400);
    assertThat(state.usedKib()).isEqualTo(200 * MB);
    state.makeBase(a, 3000);
    state.dedup(b, a, 3000);
    // base keeps warm memory (100), dedup 40
    assertThat(state.node(0).usedKib()).isEqualTo(140 * MB);
    assertThat(a.dependents()).isEqualTo(1);
    assertThat(state.dedupCount(0)).isEqualTo(1);
    assertThat(state.sandboxes(0, SandboxState.DEDUP).size()).isEqualTo(1);
    state.verify();

    state.beginRestore(b, 4000);
    assertThat(state.node(0).usedKib()).isEqualTo(200 * MB);
    assertThat(state.node(0).activeRestores()).isEqualTo(1);
    assertThat(a.dependents()).as("base still referenced while its pages are read").isEqualTo(1);
    state.finishStart(b, 4300);
    assertThat(a.dependents()).isZero();
    assertThat(state.node(0).activeRestores()).isZero();
    state.verify();
  }

  @Test
  void refusesToExceedANodeCapAndChangesNothing() {
    ClusterState state = cluster(1, 150);
    idleSandbox(state, 0, 0, 0, 2400);
    assertThatThrownBy(() -> state.startCold(0, 0, 3000))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("node 0");
    assertThat(state.usedKib()).isEqualTo(100 * MB);
    assertThat(state.liveCount(0)).isEqualTo(1);
    state.verify();
  }

  @Test
  void aBaseWithDependentsCannotBePurged() {
    ClusterState state = cluster(1, 1000);
    Sandbox base = idleSandbox(state, 0, 0, 0, 2400);
    Sandbox d = idleSandbox(state, 0, 0, 0, 2400);
    state.makeBase(base, 3000);
    state.dedup(d, base, 3000);
    assertThatThrownBy(() -> state.purge(base, 4000)).hasMessageContaining("dedup sandboxes use it");
    state.purge(d, 4000);
    assertThat(state.purge(base, 4000)).isEqualTo(100 * MB);
    assertThat(state.baseCount()).isZero();
    assertThat(state.usedKib()).isZero();
    assertThat(state.sandbox(base.id())).isNull();
    state.verify();
  }

  @Test
  void heterogeneousNodesSumTheirCaps() {
    ClusterState state = cluster(1, 1000, 3000);
    assertThat(state.capKib()).isEqualTo(4000 * MB);
    assertThat(state.node(1).capKib()).isEqualTo(3000 * MB);
  }

  @Test
  void peakAndMeanRatesComeFromTheWindow() {
    ClusterState state = cluster(1, 1000);
    // 6 arrivals in minute 0, 3 in minute 2; window 10 min
    for (int i = 0; i < 6; i++) {
      state.recordArrival(0, i * 1000);
    }
    for (int i = 0; i < 3; i++) {
      state.recordArrival(0, 120_000 + i);
    }
    FunctionStats fs = state.stats(0);
    assertThat(fs.peakRatePerSecond(130_000)).isEqualTo(6 / 60.0);
    assertThat(fs.meanRatePerSecond(130_000)).isEqualTo(9 / 600.0);
    // 11 minutes later minute 0 has left the window, minute 2 is still in it (window covers minutes 2..11)
    assertThat(fs.peakRatePerSecond(11 * 60_000 + 5)).isEqualTo(3 / 60.0);
    assertThat(fs.peakRatePerSecond(13 * 60_000)).isZero();
  }

  @Test
  void aCheckpointHoldsWarmMemoryUntilItIsDone() {
    ClusterState state = cluster(1, 1000);
    Sandbox base = idleSandbox(state, 0, 0, 0, 2400);
    Sandbox s = idleSandbox(state, 0, 0, 0, 2400);
    state.makeBase(base, 3000);
    state.beginDedup(s, base, 3000);
    assertThat(s.state()).isEqualTo(SandboxState.CHECKPOINTING);
    assertThat(state.node(0).usedKib()).as("warm memory held during the dump").isEqualTo(200 * MB);
    assertThat(base.dependents()).isEqualTo(1);
    assertThat(state.dedupCount(0)).as("counted as a dedup sandbox of its environment").isEqualTo(1);
    assertThat(s.state().isIdle()).isFalse();
    state.verify();
    state.finishDedup(s, 4600);
    assertThat(s.state()).isEqualTo(SandboxState.DEDUP);
    assertThat(state.node(0).usedKib()).isEqualTo(140 * MB);
    state.verify();
  }

  @Test
  void reservedMemoryIsKeptForTheStartThatWaitsForIt() {
    // node of 250 MB: base (100) + warm w (100); a cold start of 100 MB waits for w's checkpoint
    ClusterState state = cluster(2, 250);
    Sandbox base = idleSandbox(state, 0, 0, 0, 2400);
    Sandbox w = idleSandbox(state, 0, 0, 0, 2400);
    state.makeBase(base, 3000);
    state.beginDedup(w, base, 3000, true);
    state.reserveMemory(0, 100 * MB);
    assertThat(state.node(0).freeKib()).as("250 - 200 used - 100 reserved").isEqualTo(-50 * MB);
    // nobody else may start meanwhile, though 50 MB are physically free
    assertThatThrownBy(() -> state.startCold(1, 0, 3100)).hasMessageContaining("node 0");
    state.finishDedup(w, 4600);
    assertThat(state.node(0).freeKib()).as("250 - 140 - 100").isEqualTo(10 * MB);
    assertThatThrownBy(() -> state.startCold(1, 0, 4600)).hasMessageContaining("node 0");
    state.releaseMemory(0, 100 * MB);
    Sandbox started = state.startCold(1, 0, 4600);
    assertThat(state.node(0).usedKib()).isEqualTo(240 * MB);
    assertThat(started.state()).isEqualTo(SandboxState.STARTING);
    assertThatThrownBy(() -> state.releaseMemory(0, 1)).hasMessageContaining("0 reserved");
    state.verify();
  }

  @Test
  void onlyABackgroundCheckpointCanBeAbandoned() {
    ClusterState state = cluster(1, 1000);
    Sandbox base = idleSandbox(state, 0, 0, 0, 2400);
    Sandbox background = idleSandbox(state, 0, 0, 0, 2400);
    Sandbox promised = idleSandbox(state, 0, 0, 0, 2400);
    state.makeBase(base, 3000);
    state.beginDedup(background, base, 3000);
    state.beginDedup(promised, base, 3000, true);
    assertThat(promised.checkpointPromised()).isTrue();
    assertThatThrownBy(() -> state.abandonDedup(promised, 3500)).hasMessageContaining("promised");
    int generation = background.generation();
    state.abandonDedup(background, 3500);
    assertThat(background.state()).isEqualTo(SandboxState.WARM);
    assertThat(background.dedupBase()).isEqualTo(-1);
    assertThat(background.generation()).as("the pending checkpoint-done event is stale").isGreaterThan(generation);
    assertThat(base.dependents()).isEqualTo(1);
    assertThat(state.dedupCount(0)).isEqualTo(1);
    state.verify();
  }

  @Test
  void aDemotedBaseIsAPlainWarmSandboxAgain() {
    ClusterState state = cluster(1, 1000);
    Sandbox base = idleSandbox(state, 0, 0, 0, 2400);
    Sandbox d = idleSandbox(state, 0, 0, 0, 2400);
    state.makeBase(base, 3000);
    state.dedup(d, base, 3000);
    assertThatThrownBy(() -> state.demoteBase(base, 4000)).hasMessageContaining("dedup sandboxes use it");
    state.purge(d, 4000);
    state.demoteBase(base, 4000);
    assertThat(base.state()).isEqualTo(SandboxState.WARM);
    assertThat(base.isBase()).isFalse();
    assertThat(state.bases(0)).isEmpty();
    assertThat(state.usedKib()).isEqualTo(100 * MB);
    state.verify();
  }

  @Test
  void aClaimedDedupSandboxRestoresWithTheSlotItHolds() {
    ClusterState state = cluster(1, 1000);
    Sandbox base = idleSandbox(state, 0, 0, 0, 2400);
    Sandbox d = idleSandbox(state, 0, 0, 0, 2400);
    state.makeBase(base, 3000);
    state.dedup(d, base, 3000);
    state.claimForRestore(d, 5000);
    state.holdRestoreSlot(0);
    assertThat(d.state()).isEqualTo(SandboxState.RESTORE_PENDING);
    assertThat(d.memoryKib()).isEqualTo(40 * MB);
    assertThat(state.sandboxes(0, SandboxState.DEDUP).isEmpty()).as("no longer offered to other requests").isTrue();
    assertThat(state.node(0).activeRestores()).isEqualTo(1);
    state.verify();
    state.recordArrival(0, 5000);
    state.beginRestore(d, 6000, true);
    assertThat(state.node(0).activeRestores()).as("the held slot, not a second one").isEqualTo(1);
    assertThat(d.state()).isEqualTo(SandboxState.RESTORING);
    state.recordDispatch(0);
    state.finishStart(d, 6300);
    assertThat(state.node(0).activeRestores()).isZero();
    assertThat(base.dependents()).isZero();
    state.verify();
  }
}
