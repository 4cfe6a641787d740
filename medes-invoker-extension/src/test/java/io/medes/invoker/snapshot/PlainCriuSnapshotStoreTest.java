package io.medes.invoker.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medes.invoker.runtime.SandboxSpec;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainCriuSnapshotStoreTest {
  private static final SandboxSpec SPEC = new SandboxSpec("s1", "img", "guest", "a", 256, Map.of());
  @TempDir Path dir;

  private Path image() throws Exception {
    Path img = Files.createDirectories(dir.resolve("img"));
    byte[] pages = new byte[3 << 20];
    new Random(1).nextBytes(pages);
    Files.write(img.resolve("pages-1.img"), pages);
    Files.write(img.resolve("pagemap-1.img"), new byte[] {1, 2, 3, 4});
    return img;
  }

  @Test
  void storesTheImageAsItIsAndMeasuresIt() throws Exception {
    PlainCriuSnapshotStore store = new PlainCriuSnapshotStore();
    StoredSnapshot s = store.store(SPEC, image());
    assertThat(s.stateBytes()).isEqualTo((3 << 20) + 4);
    store.rebuild(s);
    store.discard(s);
    assertThat(s.imageDir()).doesNotExist();
  }

  @Test
  void aTruncatedFileIsRefusedEvenWithoutVerification() throws Exception {
    PlainCriuSnapshotStore store = new PlainCriuSnapshotStore();
    StoredSnapshot s = store.store(SPEC, image());
    try (RandomAccessFile f = new RandomAccessFile(s.imageDir().resolve("pages-1.img").toFile(), "rw")) {
      f.setLength(4096);
    }
    assertThatThrownBy(() -> store.rebuild(s)).isInstanceOf(SnapshotException.class)
        .hasMessageContaining("pages-1.img").hasMessageContaining("4096 bytes");
  }

  @Test
  void aFlippedByteIsFoundOnlyWithVerification() throws Exception {
    PlainCriuSnapshotStore plain = new PlainCriuSnapshotStore();
    PlainCriuSnapshotStore verified = new PlainCriuSnapshotStore(true);
    Path img = image();
    StoredSnapshot a = plain.store(SPEC, img);
    StoredSnapshot b = verified.store(SPEC, img);
    try (RandomAccessFile f = new RandomAccessFile(img.resolve("pages-1.img").toFile(), "rw")) {
      f.seek(2_000_001);
      int v = f.read();
      f.seek(2_000_001);
      f.write(v ^ 1);
    }
    plain.rebuild(a);
    assertThatThrownBy(() -> verified.rebuild(b)).isInstanceOf(SnapshotException.class).hasMessageContaining("changed since the dump");
  }

  @Test
  void aVanishedImageIsRefused() throws Exception {
    PlainCriuSnapshotStore store = new PlainCriuSnapshotStore();
    StoredSnapshot s = store.store(SPEC, image());
    PlainCriuSnapshotStore.deleteRecursively(s.imageDir());
    assertThatThrownBy(() -> store.rebuild(s)).hasMessageContaining("gone");
  }
}
