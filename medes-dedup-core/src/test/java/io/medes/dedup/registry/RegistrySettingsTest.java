package io.medes.dedup.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.medes.config.MedesConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistrySettingsTest {
  @Test
  void defaultsComeFromReferenceConf() {
    assertThat(RegistrySettings.fromConfig(MedesConfig.load(Map.of())).maxPagesPerFingerprint()).isEqualTo(8);
  }

  @Test
  void environmentOverridesTheCap() {
    RegistrySettings settings = RegistrySettings.fromConfig(
        MedesConfig.load(Map.of("CONFIG_whisk_medes_registry_maxPagesPerFingerprint", "3")));
    assertThat(settings.maxPagesPerFingerprint()).isEqualTo(3);
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> RegistrySettings.fromConfig(
        ConfigFactory.parseString("whisk.medes.registry.max-pages-per-fingerprint = 0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-pages-per-fingerprint");
    assertThatThrownBy(() -> RegistrySettings.fromConfig(
        ConfigFactory.parseString("whisk.medes.registry.max-pages-per-fingerprint = lots")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-pages-per-fingerprint");
    assertThatThrownBy(() -> RegistrySettings.fromConfig(ConfigFactory.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-pages-per-fingerprint");
  }
}
