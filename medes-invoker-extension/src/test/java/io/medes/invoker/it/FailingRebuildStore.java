package io.medes.invoker.it;

import io.medes.invoker.runtime.SandboxSpec;
import io.medes.invoker.snapshot.PlainCriuSnapshotStore;
import io.medes.invoker.snapshot.SnapshotException;
import io.medes.invoker.snapshot.SnapshotStore;
import io.medes.invoker.snapshot.StoredSnapshot;
import java.nio.file.Path;

/**
 * A store that drops the pages like a dedup store would and then cannot get a base page back: the
 * situation of a dedup image whose base sandbox (or its node) is gone. It fails a while into the
 * rebuild, as a real one does, so a backend that builds the sandbox meanwhile is caught mid-restore.
 */
final class FailingRebuildStore implements SnapshotStore {
  private final PlainCriuSnapshotStore plain = new PlainCriuSnapshotStore();

  @Override public String name() { return "missing-base"; }

  @Override
  public StoredSnapshot store(SandboxSpec spec, Path imageDir) throws SnapshotException {
    return plain.store(spec, imageDir);
  }

  @Override
  public boolean rebuildWritesPages() {
    return true;
  }

  @Override
  public void rebuild(StoredSnapshot snapshot) throws SnapshotException {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new SnapshotException("injected: base page 0x7f3a12345000 of base sandbox base-1 is no longer available");
  }

  @Override public void registerBase(SandboxSpec spec, Path imageDir) {}
  @Override public void retireBase(SandboxSpec spec) {}
  @Override public void discard(StoredSnapshot snapshot) { plain.discard(snapshot); }
}
