package io.medes.invoker.it;

import io.medes.invoker.runtime.SandboxSpec;
import io.medes.invoker.snapshot.SnapshotException;
import io.medes.invoker.snapshot.StoredSnapshot;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A store whose rebuild puts the pages images back only after a delay: the CRIU image is incomplete
 * until then, so a backend that let CRIU read pages before the rebuild finished would fail the restore
 * (or restore garbage). It stands for the Medes store's rebuild with the timing made adversarial.
 */
final class LatePagesStore extends PagesWritingStore {
  private static final String HELD = ".held";
  private final long delayMillis;

  LatePagesStore(long delayMillis) {
    this.delayMillis = delayMillis;
  }

  @Override public String name() { return "late-pages"; }

  @Override
  public StoredSnapshot store(SandboxSpec spec, Path imageDir) throws SnapshotException {
    StoredSnapshot s = super.store(spec, imageDir);
    try (DirectoryStream<Path> pages = Files.newDirectoryStream(imageDir, "pages-*.img")) {
      for (Path p : pages) Files.move(p, p.resolveSibling(p.getFileName() + HELD));
    } catch (IOException e) {
      throw new SnapshotException("cannot hold back the pages of " + imageDir, e);
    }
    return s;
  }

  @Override
  public void rebuild(StoredSnapshot snapshot) throws SnapshotException {
    try {
      Thread.sleep(delayMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SnapshotException("interrupted", e);
    }
    try (DirectoryStream<Path> held = Files.newDirectoryStream(snapshot.imageDir(), "pages-*.img" + HELD)) {
      for (Path p : held) {
        String name = p.getFileName().toString();
        Files.move(p, p.resolveSibling(name.substring(0, name.length() - HELD.length())));
      }
    } catch (IOException e) {
      throw new SnapshotException("cannot put back the pages of " + snapshot.imageDir(), e);
    }
  }
}
