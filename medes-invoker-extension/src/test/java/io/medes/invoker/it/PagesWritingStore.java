package io.medes.invoker.it;

import io.medes.invoker.runtime.SandboxSpec;
import io.medes.invoker.snapshot.PlainCriuSnapshotStore;
import io.medes.invoker.snapshot.SnapshotException;
import io.medes.invoker.snapshot.SnapshotStore;
import io.medes.invoker.snapshot.StoredSnapshot;
import java.nio.file.Path;

/**
 * A test store that keeps the plain CRIU image but, like the Medes store, says its rebuild writes the
 * pages: backends then build the sandbox while {@link #rebuild} runs. Subclasses decide what the rebuild does.
 */
abstract class PagesWritingStore implements SnapshotStore {
  private final PlainCriuSnapshotStore plain = new PlainCriuSnapshotStore();

  @Override
  public StoredSnapshot store(SandboxSpec spec, Path imageDir) throws SnapshotException {
    return plain.store(spec, imageDir);
  }

  @Override
  public final boolean rebuildWritesPages() {
    return true;
  }

  @Override public void registerBase(SandboxSpec spec, Path imageDir) {}
  @Override public void retireBase(SandboxSpec spec) {}
  @Override public void discard(StoredSnapshot snapshot) { plain.discard(snapshot); }
}
