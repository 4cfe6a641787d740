package io.medes.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medes.loadbalancer.policy.InvalidSettingException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorSettingsTest {

  @Test
  void checkpointModelDefaultsAndValidation() {
    SimulatorSettings s = SimulatorSettings.withOverrides(Map.of());
    assertThat(s.checkpoints().fixedMs()).isEqualTo(200);
    assertThat(s.checkpoints().mbPerSecond()).isEqualTo(100);
    assertThat(s.checkpoints().ms(140)).isEqualTo(1_600);
    assertThatThrownBy(() -> SimulatorSettings.withOverrides(Map.of("whisk.medes.simulator.checkpoint.mb-per-second", 0)))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("whisk.medes.simulator.checkpoint.mb-per-second");
    assertThatThrownBy(() -> SimulatorSettings.withOverrides(Map.of("whisk.medes.simulator.checkpoint.fixed", "-1s")))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("checkpoint.fixed");
  }
}
