package io.medes.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.medes.loadbalancer.policy.PolicyRegistry;
import io.medes.loadbalancer.policy.PolicySettings;
import io.medes.simulator.profile.FunctionMapping;
import org.junit.jupiter.api.Test;

class DeterminismTest {

  private static Experiment prepare(long seed) {
    return Experiment.prepare(100, "", 90, seed, "", FunctionMapping.MemorySource.TRACE, SimulatorSettings.ExecSource.TRACE,
        new io.medes.simulator.profile.CheckpointModel(200, 100));
  }

  @Test
  void sameSeedGivesIdenticalReports() {
    Experiment a = prepare(7);
    Experiment b = prepare(7);
    for (String policy : PolicyRegistry.names()) {
      SimulationResult ra = a.run(policy, 3, 2048, PolicySettings.defaults(), null);
      SimulationResult rb = b.run(policy, 3, 2048, PolicySettings.defaults(), null);
      assertThat(rb.summary()).as(policy).isEqualTo(ra.summary());
      assertThat(rb.latencies()).as(policy).isEqualTo(ra.latencies());
      assertThat(rb.memorySeriesMb()).as(policy).isEqualTo(ra.memorySeriesMb());
    }
  }

  @Test
  void anotherSeedMovesArrivalsButKeepsPerMinuteCounts() {
    Experiment a = prepare(7);
    Experiment c = prepare(8);
    assertThat(c.workload().size()).isEqualTo(a.workload().size());
    boolean differs = false;
    for (int i = 0; i < a.workload().size() && !differs; i++) {
      differs = a.workload().arrivalMs(i) != c.workload().arrivalMs(i);
    }
    assertThat(differs).isTrue();
  }
}
