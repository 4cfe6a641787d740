package io.medes.invoker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.medes.config.MedesConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvokerSettingsTest {
  private static Config withOverride(String key, String value) {
    return ConfigFactory.parseMap(Map.of("whisk.medes.invoker." + key, value)).withFallback(MedesConfig.load(Map.of()));
  }

  @Test
  void defaultsSelectRuncWithTmpfsCheckpoints() {
    InvokerSettings s = InvokerSettings.from(MedesConfig.load(Map.of()));
    assertThat(s.backend()).isEqualTo(InvokerSettings.Backend.RUNC);
    assertThat(s.checkpointRoot()).isEqualTo(Path.of("/dev/shm/medes/checkpoints"));
    assertThat(s.criuBinary()).isEqualTo(Path.of("/opt/criu/sbin/criu"));
    assertThat(s.subnet()).isEqualTo(Subnet.parse("10.77.0.0/16"));
    assertThat(s.bridge()).isEqualTo("medes0");
    assertThat(s.actionPort()).isEqualTo(8080);
    assertThat(s.restoreTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void environmentSelectsTheDockerBackend() {
    InvokerSettings s = InvokerSettings.from(MedesConfig.load(Map.of("CONFIG_whisk_medes_invoker_backend", "docker")));
    assertThat(s.backend()).isEqualTo(InvokerSettings.Backend.DOCKER);
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> InvokerSettings.from(withOverride("backend", "lxc")))
        .hasMessageContaining("whisk.medes.invoker.backend").hasMessageContaining("lxc");
    assertThatThrownBy(() -> InvokerSettings.from(withOverride("checkpoint-root", "relative/dir")))
        .hasMessageContaining("checkpoint-root").hasMessageContaining("absolute");
    assertThatThrownBy(() -> InvokerSettings.from(withOverride("network.bridge", "a-bridge-name-too-long")))
        .hasMessageContaining("network.bridge");
    assertThatThrownBy(() -> InvokerSettings.from(withOverride("network.subnet", "10.77.0.0")))
        .hasMessageContaining("a.b.c.d/n");
    assertThatThrownBy(() -> InvokerSettings.from(withOverride("timeouts.restore", "0 seconds")))
        .hasMessageContaining("timeouts.restore");
    assertThatThrownBy(() -> InvokerSettings.from(withOverride("timeouts.restore", "soon")))
        .hasMessageContaining("invalid whisk.medes.invoker");
    assertThatThrownBy(() -> InvokerSettings.from(withOverride("docker-host", "/var/run/docker.sock")))
        .hasMessageContaining("docker-host");
  }
}
