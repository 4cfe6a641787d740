package io.medes.invoker.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class SnapshotStoresTest {
  @Test
  void builtInStoresByName() {
    assertThat(SnapshotStores.create("plain-criu", ConfigFactory.empty()).name()).isEqualTo("plain-criu");
    assertThat(SnapshotStores.create("plain-criu-verified", ConfigFactory.empty()).name()).isEqualTo("plain-criu-verified");
    assertThat(SnapshotStores.available()).contains("medes", "plain-criu", "plain-criu-verified");
    assertThat(SnapshotStores.create("medes", io.medes.config.MedesConfig.load(java.util.Map.of())).name()).isEqualTo("medes");
  }

  @Test
  void anUnknownStoreIsNamedWithTheAvailableOnes() {
    assertThatThrownBy(() -> SnapshotStores.create("medes-typo", ConfigFactory.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("medes-typo")
        .hasMessageContaining("plain-criu");
  }
}
