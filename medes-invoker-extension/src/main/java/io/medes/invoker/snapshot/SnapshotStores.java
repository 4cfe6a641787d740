package io.medes.invoker.snapshot;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Selects a snapshot store by name: the built-in {@code plain-criu} (the image as CRIU wrote it) and
 * {@code plain-criu-verified} (plus a hash check of every file before restore), and any store a
 * {@link SnapshotStoreProvider} on the class path offers (e.g. {@code medes}).
 */
public final class SnapshotStores {
  private SnapshotStores() {}

  public static SnapshotStore create(String name, Config config) {
    switch (name) {
      case "plain-criu":
        return new PlainCriuSnapshotStore(false);
      case "plain-criu-verified":
        return new PlainCriuSnapshotStore(true);
      default:
        for (SnapshotStoreProvider p : ServiceLoader.load(SnapshotStoreProvider.class)) {
          if (p.name().equals(name)) return p.create(config);
        }
        throw new IllegalArgumentException("no snapshot store named '" + name + "' (available: " + String.join(", ", available()) + ")");
    }
  }

  /** Names of every store that can be created here. */
  public static List<String> available() {
    List<String> names = new ArrayList<>(List.of("plain-criu", "plain-criu-verified"));
    for (SnapshotStoreProvider p : ServiceLoader.load(SnapshotStoreProvider.class)) names.add(p.name());
    return names;
  }
}
