package io.medes.invoker.snapshot;

import com.typesafe.config.Config;

/**
 * Makes a {@link SnapshotStore} by name. Stores outside this module (the Medes dedup store) register an
 * implementation in {@code META-INF/services/io.medes.invoker.snapshot.SnapshotStoreProvider}.
 */
public interface SnapshotStoreProvider {
  /** The name users select the store by ({@code medes}). */
  String name();

  /** A new store configured from the effective configuration (its own {@code whisk.medes.*} section). */
  SnapshotStore create(Config config);
}
