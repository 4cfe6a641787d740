package io.medes.loadbalancer.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicySettingsTest {

  @Test
  void defaultsMatchThePapersAndTheOriginal() {
    PolicySettings s = PolicySettings.defaults();
    assertThat(s.name()).isEqualTo("medes");
    assertThat(s.fixed().keepAliveMs()).isEqualTo(600_000);
    assertThat(s.hybridHistogram().bins()).isEqualTo(240);
    assertThat(s.hybridHistogram().headPercentile()).isEqualTo(5);
    assertThat(s.hybridHistogram().tailPercentile()).isEqualTo(99);
    assertThat(s.medes().constraint()).isEqualTo(PolicySettings.Constraint.MEMORY);
    assertThat(s.medes().dedupPerBase()).isEqualTo(40);
    assertThat(s.medes().rateWindowMinutes()).isEqualTo(10);
    assertThat(s.scheduler().restoresPerNode()).isEqualTo(10);
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> PolicySettings.withOverrides(Map.of("whisk.medes.policy.medes.dedup-per-base", 0)))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("whisk.medes.policy.medes.dedup-per-base").hasMessageContaining(">= 1");
    assertThatThrownBy(() -> PolicySettings.withOverrides(Map.of("whisk.medes.policy.medes.constraint", "cpu")))
        .hasMessageContaining("whisk.medes.policy.medes.constraint").hasMessageContaining("memory or latency");
    assertThatThrownBy(() -> PolicySettings.withOverrides(Map.of("whisk.medes.policy.name", "lru")))
        .hasMessageContaining("unknown policy 'lru'");
    assertThatThrownBy(() -> PolicySettings.withOverrides(Map.of("whisk.medes.policy.hybrid-histogram.bin", "7m")))
        .hasMessageContaining("hybrid-histogram.range");
    assertThatThrownBy(() -> PolicySettings.withOverrides(Map.of("whisk.medes.policy.fixed.keep-alive", "soon")))
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("whisk.medes.policy.fixed.keep-alive");
  }

  @Test
  void registryCreatesEveryPolicyByName() {
    for (String name : PolicyRegistry.names()) {
      assertThat(PolicyRegistry.create(name, PolicySettings.defaults(), 3).name()).isEqualTo(name);
    }
    assertThat(PolicyRegistry.names()).containsExactly("fixed", "hybrid-histogram", "greedy-dual", "medes");
  }
}
