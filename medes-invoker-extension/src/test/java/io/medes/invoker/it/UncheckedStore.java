package io.medes.invoker.it;

import io.medes.invoker.runtime.SandboxSpec;
import io.medes.invoker.snapshot.PlainCriuSnapshotStore;
import io.medes.invoker.snapshot.SnapshotStore;
import io.medes.invoker.snapshot.StoredSnapshot;
import java.nio.file.Path;

/** Hands images to CRIU without any check, to test what the backends do when CRIU itself misbehaves. */
final class UncheckedStore implements SnapshotStore {
  private final PlainCriuSnapshotStore plain = new PlainCriuSnapshotStore();

  @Override public String name() { return "unchecked"; }
  @Override public StoredSnapshot store(SandboxSpec spec, Path imageDir) { return new StoredSnapshot(imageDir, imageDir, 1); }
  @Override public void rebuild(StoredSnapshot snapshot) {}
  @Override public void registerBase(SandboxSpec spec, Path imageDir) {}
  @Override public void retireBase(SandboxSpec spec) {}
  @Override public void discard(StoredSnapshot snapshot) { plain.discard(snapshot); }
}
