package io.medes.invoker.snapshot;

import com.typesafe.config.Config;
import io.medes.dedup.DedupSettings;
import io.medes.dedup.registry.InMemoryFingerprintRegistry;
import io.medes.dedup.registry.RegistrySettings;
import java.util.List;

/**
 * Selects a snapshot store by name: {@code medes} (deduplicated against base pages), {@code plain-criu}
 * (the image as CRIU wrote it) and {@code plain-criu-verified} (plus a hash check of every file before
 * restore).
 */
public final class SnapshotStores {
  private static final List<String> NAMES = List.of("medes", "plain-criu", "plain-criu-verified");

  private SnapshotStores() {}

  /**
   * A new store. The {@code medes} store made here uses a registry local to this invoker; a cluster
   * deployment constructs {@link MedesSnapshotStore} with the Hazelcast registry instead.
   */
  public static SnapshotStore create(String name, Config config) {
    switch (name) {
      case "medes":
        return new MedesSnapshotStore(
            config.getString("whisk.medes.invoker.node-id"),
            DedupSettings.fromConfig(config),
            new InMemoryFingerprintRegistry(RegistrySettings.fromConfig(config)));
      case "plain-criu":
        return new PlainCriuSnapshotStore(false);
      case "plain-criu-verified":
        return new PlainCriuSnapshotStore(true);
      default:
        throw new IllegalArgumentException("no snapshot store named '" + name + "' (available: " + String.join(", ", NAMES) + ")");
    }
  }

  /** Names of every store that can be created here. */
  public static List<String> available() {
    return NAMES;
  }
}
