package io.medes.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MedesConfigTest {

  @Test
  void transformsNamesLikeOpenWhiskTransformEnvironment() {
    assertThat(MedesConfig.toConfigPath("whisk_loadbalancer_invokerBusyThreshold"))
        .isEqualTo("whisk.loadbalancer.invoker-busy-threshold");
    assertThat(MedesConfig.toConfigPath("whisk_spi_LogStoreProvider"))
        .isEqualTo("whisk.spi.LogStoreProvider");
    assertThat(MedesConfig.toConfigPath("whisk_medes_dedup_chunksPerPage"))
        .isEqualTo("whisk.medes.dedup.chunks-per-page");
  }

  @Test
  void environmentOverridesReferenceDefaults() {
    Config defaults = MedesConfig.load(Map.of());
    int defaultChunks = defaults.getInt("whisk.medes.dedup.chunks-per-page");

    Config overridden =
        MedesConfig.load(Map.of("CONFIG_whisk_medes_dedup_chunksPerPage", String.valueOf(defaultChunks + 3)));

    assertThat(overridden.getInt("whisk.medes.dedup.chunks-per-page")).isEqualTo(defaultChunks + 3);
  }

  @Test
  void ignoresForeignAndEmptyVariables() {
    Config c =
        MedesConfig.fromEnvironment(
            Map.of("CONFIG_whisk_loadbalancer_timeoutFactor", "3", "CONFIG_whisk_medes_x_y", "", "PATH", "/bin"));
    assertThat(c.isEmpty()).isTrue();
  }
}
