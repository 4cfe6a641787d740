package io.medes.invoker.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.medes.config.MedesConfig;
import io.medes.dedup.restore.RecycledPagesFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoresTest {
  @Test
  void builtInStoresByName() {
    assertThat(SnapshotStores.create("plain-criu", ConfigFactory.empty()).name()).isEqualTo("plain-criu");
    assertThat(SnapshotStores.create("plain-criu-verified", ConfigFactory.empty()).name()).isEqualTo("plain-criu-verified");
    assertThat(SnapshotStores.available()).contains("medes", "plain-criu", "plain-criu-verified");
    assertThat(SnapshotStores.create("medes", io.medes.config.MedesConfig.load(java.util.Map.of())).name()).isEqualTo("medes");
  }

  @Test
  void recycledPagesDefaultToHalfAGibibyteOnTheCheckpointTmpfsAndCanBeTurnedOff(@TempDir Path tmp) throws Exception {
    Map<String, String> env = Map.of("CONFIG_whisk_medes_invoker_checkpointRoot", tmp.toString());
    RecycledPagesFiles recycled = SnapshotStores.recycledPagesFiles(MedesConfig.load(env));
    Path used = Files.write(tmp.resolve("pages-1.img"), new byte[4096]);
    recycled.recycle(used);
    assertThat(recycled.keptBytes()).isEqualTo(4096);
    assertThat(tmp.resolve(SnapshotStores.RECYCLED_DIRECTORY)).isDirectory();
    recycled.close();

    Map<String, String> off = new HashMap<>(env);
    off.put("CONFIG_whisk_medes_invoker_recycledPages", "0");
    assertThat(SnapshotStores.recycledPagesFiles(MedesConfig.load(off))).isSameAs(RecycledPagesFiles.none());
    off.put("CONFIG_whisk_medes_invoker_recycledPages", "-1");
    assertThatThrownBy(() -> SnapshotStores.recycledPagesFiles(MedesConfig.load(off)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recycled-pages");
  }

  @Test
  void anUnknownStoreIsNamedWithTheAvailableOnes() {
    assertThatThrownBy(() -> SnapshotStores.create("medes-typo", ConfigFactory.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("medes-typo")
        .hasMessageContaining("plain-criu");
  }
}
