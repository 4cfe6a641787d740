package io.medes.dedup.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medes.dedup.SyntheticDumps;
import io.medes.dedup.page.FingerprintScheme;
import io.medes.dedup.page.HeapPages;
import io.medes.dedup.page.PageDigests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseManifestTest {
  @TempDir Path dir;

  @Test
  void roundTripsDigestsAndScheme() throws IOException {
    byte[] pages = SyntheticDumps.randomPages(10, 1);
    Arrays.fill(pages, 4096, 8192, (byte) 0);
    PageDigests digests = PageDigests.compute(new HeapPages(pages), new FingerprintScheme(7, false));
    Path file = dir.resolve(BaseManifest.FILE_NAME);
    new BaseManifest(digests).write(file);

    BaseManifest read = BaseManifest.read(file);

    assertThat(read.scheme()).isEqualTo(new FingerprintScheme(7, false));
    assertThat(read.pageCount()).isEqualTo(10);
    assertThat(read.digests().isZero(1)).isTrue();
    for (int p = 0; p < 10; p++) {
      assertThat(read.digests().fingerprintsOf(p)).containsExactly(digests.fingerprintsOf(p));
      assertThat(read.digests().hashHigh(p)).isEqualTo(digests.hashHigh(p));
    }
  }

  @Test
  void corruptionIsDetected() throws IOException {
    PageDigests digests = PageDigests.compute(new HeapPages(SyntheticDumps.randomPages(3, 2)), new FingerprintScheme(5, true));
    Path file = dir.resolve(BaseManifest.FILE_NAME);
    new BaseManifest(digests).write(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[30] ^= 1;
    Files.write(file, bytes);
    assertThatThrownBy(() -> BaseManifest.read(file)).isInstanceOf(IOException.class).hasMessageContaining("checksum");
  }
}
