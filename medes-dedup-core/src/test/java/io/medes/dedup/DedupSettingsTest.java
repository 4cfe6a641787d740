package io.medes.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.medes.config.MedesConfig;
import io.medes.dedup.codec.PatchCodecKind;
import io.medes.dedup.registry.SharingScope;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DedupSettingsTest {
  @Test
  void referenceDefaults() {
    DedupSettings s = DedupSettings.fromConfig(MedesConfig.load(Map.of()));
    assertThat(s.scheme().chunksPerPage()).isEqualTo(5);
    assertThat(s.scheme().maskPointers()).isTrue();
    assertThat(s.codec()).isEqualTo(PatchCodecKind.AUTO);
    assertThat(s.codecLevel()).isEqualTo(3);
    assertThat(s.sharingScope()).isEqualTo(SharingScope.SAME_NAMESPACE);
    assertThat(MedesConfig.load(Map.of()).getString("whisk.medes.criu.binary")).isEqualTo("/opt/criu/sbin/criu");
  }

  @Test
  void environmentOverridesApply() {
    DedupSettings s = DedupSettings.fromConfig(MedesConfig.load(Map.of(
        "CONFIG_whisk_medes_dedup_chunksPerPage", "8",
        "CONFIG_whisk_medes_dedup_codec", "sub64-zstd",
        "CONFIG_whisk_medes_dedup_sharingScope", "same-function")));
    assertThat(s.scheme().chunksPerPage()).isEqualTo(8);
    assertThat(s.codec()).isEqualTo(PatchCodecKind.SUB64_ZSTD);
    assertThat(s.sharingScope()).isEqualTo(SharingScope.SAME_FUNCTION);
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> DedupSettings.fromConfig(
        ConfigFactory.parseString("whisk.medes.dedup.chunks-per-page = 40").withFallback(MedesConfig.load(Map.of()))))
        .isInstanceOf(ConfigException.BadValue.class)
        .hasMessageContaining("whisk.medes.dedup.chunks-per-page");
    assertThatThrownBy(() -> DedupSettings.fromConfig(
        ConfigFactory.parseString("whisk.medes.dedup.codec = xdelta").withFallback(MedesConfig.load(Map.of()))))
        .isInstanceOf(ConfigException.BadValue.class)
        .hasMessageContaining("whisk.medes.dedup.codec");
    assertThatThrownBy(() -> DedupSettings.fromConfig(
        ConfigFactory.parseString("whisk.medes.dedup.sharing-scope = everyone").withFallback(MedesConfig.load(Map.of()))))
        .isInstanceOf(ConfigException.BadValue.class)
        .hasMessageContaining("sharing-scope");
  }
}
