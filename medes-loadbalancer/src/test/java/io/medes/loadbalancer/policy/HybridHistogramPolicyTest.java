package io.medes.loadbalancer.policy;

import static io.medes.loadbalancer.TestClusters.cluster;
import static io.medes.loadbalancer.TestClusters.idleSandbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.medes.loadbalancer.state.ClusterState;
import io.medes.loadbalancer.state.Sandbox;
import org.junit.jupiter.api.Test;

class HybridHistogramPolicyTest {
  private static final long MIN = 60_000;
  private final PolicySettings settings = PolicySettings.defaults();

  private HybridHistogramPolicy policy(int functions) {
    return new HybridHistogramPolicy(settings.hybridHistogram(), functions);
  }

  @Test
  void concentratedHistogramGivesPrewarmAndKeepAliveWindows() {
    HybridHistogramPolicy p = policy(1);
    for (int i = 0; i < 10; i++) {
      p.recordIdleTime(0, 5 * MIN + 30_000); // 5.5 min -> bin 5
    }
    // counts: bin 5 = 10, others 0. mean = 10/240; sum of squares = 100;
    // variance = (100 - 100/240) / 239 = 0.41667; std = 0.64550; CV = 0.64550 / 0.041667 = 15.49 >= 2
    assertThat(p.coefficientOfVariation(0)).isCloseTo(15.492, within(1e-3));
    assertThat(p.regime(0)).isEqualTo(HybridHistogramPolicy.Regime.HISTOGRAM);
    // head = tail = bin 5: pre-warm 5 min * 0.9 = 270,000 ms; keep alive until (5+1) min * 1.1 = 396,000 ms
    assertThat(p.prewarmMs(0)).isEqualTo(270_000);
    assertThat(p.keepAliveEndMs(0)).isEqualTo(396_000);

    ClusterState state = cluster(1, 1000);
    Sandbox s = idleSandbox(state, 0, 0, 0, 10_000);
    Decision d = p.decide(state, s, 10_000);
    assertThat(d.action()).isEqualTo(Decision.Action.PURGE);
    assertThat(d.prewarmAt()).isEqualTo(10_000 + 270_000);
  }

  @Test
  void prewarmedSandboxLivesForTheRestOfTheWindow() {
    HybridHistogramPolicy p = policy(1);
    for (int i = 0; i < 10; i++) {
      p.recordIdleTime(0, 5 * MIN + 30_000);
    }
    ClusterState state = cluster(1, 1000);
    Sandbox pre = state.startCold(0, 0, 280_000);
    state.finishPrewarm(pre, 282_300);
    // window = 396,000 - 270,000 = 126,000 ms from when it became idle (282,300) -> 408,300
    Decision d = p.decide(state, pre, 282_300);
    assertThat(d.action()).isEqualTo(Decision.Action.KEEP);
    assertThat(d.nextDecisionAt()).isEqualTo(408_300);
    assertThat(p.decide(state, pre, 408_300).action()).isEqualTo(Decision.Action.PURGE);
  }

  @Test
  void fewSamplesOrFlatHistogramFallBackToTheWholeRange() {
    HybridHistogramPolicy p = policy(2);
    for (int i = 0; i < 9; i++) {
      p.recordIdleTime(0, 5 * MIN); // 9 < min-samples 10
    }
    assertThat(p.regime(0)).isEqualTo(HybridHistogramPolicy.Regime.NOT_REPRESENTATIVE);
    // function 1: one IT in each of bins 0..239 -> all counts 1, std 0, CV 0 < 2
    for (int b = 0; b < 240; b++) {
      p.recordIdleTime(1, b * MIN);
    }
    assertThat(p.coefficientOfVariation(1)).isZero();
    assertThat(p.regime(1)).isEqualTo(HybridHistogramPolicy.Regime.NOT_REPRESENTATIVE);
    assertThat(p.prewarmMs(1)).isZero();
    assertThat(p.keepAliveEndMs(1)).isEqualTo(4 * 60 * MIN);

    ClusterState state = cluster(2, 1000);
    Sandbox s = idleSandbox(state, 1, 0, 0, 10_000);
    // no pre-warm: stays warm until 10,000 + 4 h = 14,410,000
    assertThat(p.decide(state, s, 10_000).nextDecisionAt()).isEqualTo(14_410_000);
  }

  @Test
  void outOfBoundsIdleTimesUseTheForecast() {
    HybridHistogramPolicy p = policy(1);
    for (int i = 0; i < 3; i++) {
      p.recordIdleTime(0, 5 * 60 * MIN); // 5 h > 4 h range
    }
    // all 3 out of bounds (> 0.5); constant history -> AR(1) has no variance -> forecast = mean = 18,000,000
    assertThat(p.regime(0)).isEqualTo(HybridHistogramPolicy.Regime.OUT_OF_BOUNDS);
    assertThat(p.forecastMs(0)).isEqualTo(18_000_000);
    // pre-warm 0.85 * 18e6 = 15,300,000; keep alive until 1.15 * 18e6 = 20,700,000
    assertThat(p.prewarmMs(0)).isEqualTo(15_300_000);
    assertThat(p.keepAliveEndMs(0)).isEqualTo(20_700_000);
  }

  @Test
  void idleTimeIsRecordedOnlyWhenTheFunctionWasIdle() {
    HybridHistogramPolicy p = policy(1);
    ClusterState state = cluster(1, 1000);
    idleSandbox(state, 0, 0, 0, 10_000); // last finish at 10,000
    p.onArrival(state, 0, 70_000);      // IT = 60,000 -> bin 1
    state.recordArrival(0, 70_000);
    state.recordDispatch(0);            // now one request in flight
    p.onArrival(state, 0, 80_000);      // not idle: no IT
    for (int i = 0; i < 9; i++) {
      p.recordIdleTime(0, 60_000);
    }
    // 10 ITs all in bin 1: head = tail = 1 -> pre-warm 1 min * 0.9 = 54,000
    assertThat(p.prewarmMs(0)).isEqualTo(54_000);
  }
}
