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
}
