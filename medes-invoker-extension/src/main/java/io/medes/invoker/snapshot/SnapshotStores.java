package io.medes.invoker.snapshot;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.medes.dedup.DedupSettings;
import io.medes.dedup.registry.InMemoryFingerprintRegistry;
import io.medes.dedup.registry.RegistrySettings;
import io.medes.dedup.restore.RecycledPagesFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * Selects a snapshot store by name: {@code medes} (deduplicated against base pages), {@code plain-criu}
 * (the image as CRIU wrote it) and {@code plain-criu-verified} (plus a hash check of every file before
 * restore).
 */
public final class SnapshotStores {
  /** Directory under the checkpoint root holding kept pages files (never a sandbox id: those start with a letter or digit). */
  public static final String RECYCLED_DIRECTORY = ".recycled-pages";
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
            new InMemoryFingerprintRegistry(RegistrySettings.fromConfig(config)),
            recycledPagesFiles(config));
      case "plain-criu":
        return new PlainCriuSnapshotStore(false);
      case "plain-criu-verified":
        return new PlainCriuSnapshotStore(true);
      default:
        throw new IllegalArgumentException("no snapshot store named '" + name + "' (available: " + String.join(", ", NAMES) + ")");
    }
  }

  /** The kept pages files of {@code whisk.medes.invoker.recycled-pages}, on the checkpoint tmpfs. */
  static RecycledPagesFiles recycledPagesFiles(Config config) {
    long capacity = recycledPagesCapacity(config);
    Path root = Path.of(config.getString("whisk.medes.invoker.checkpoint-root"));
    return capacity == 0 ? RecycledPagesFiles.none() : new RecycledPagesFiles(root.resolve(RECYCLED_DIRECTORY), capacity);
  }

  /** Bytes the medes store may keep in pages files ({@code whisk.medes.invoker.recycled-pages}), validated. */
  public static long recycledPagesCapacity(Config config) {
    try {
      return config.getBytes("whisk.medes.invoker.recycled-pages");
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid whisk.medes.invoker.recycled-pages: " + e.getMessage(), e);
    }
  }

  /** Names of every store that can be created here. */
  public static List<String> available() {
    return NAMES;
  }
}
