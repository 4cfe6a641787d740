package io.medes.invoker.it;

import io.medes.invoker.snapshot.SnapshotException;
import io.medes.invoker.snapshot.StoredSnapshot;

/**
 * A store that drops the pages like a dedup store would and then cannot get a base page back: the
 * situation of a dedup image whose base sandbox (or its node) is gone. It fails a while into the
 * rebuild, as a real one does, so a backend that builds the sandbox meanwhile is caught mid-restore.
 */
final class FailingRebuildStore extends PagesWritingStore {
  @Override public String name() { return "missing-base"; }

  @Override
  public void rebuild(StoredSnapshot snapshot) throws SnapshotException {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new SnapshotException("injected: base page 0x7f3a12345000 of base sandbox base-1 is no longer available");
  }
}
