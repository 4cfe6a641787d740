package io.medes.dedup.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medes.dedup.codec.PatchCodecKind;
import io.medes.dedup.registry.BaseInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DedupImageFormatTest {
  @TempDir Path dir;

  private static final BaseInfo SANDBOX = new BaseInfo("sandbox-1", "node-a", "guest", "linalg", "python:3");

  /** Six pages, one of each kind, in two pages files. */
  private static DedupImage sample(long dataLength, long patchOffset) {
    byte[] kinds = {0, 1, 2, 3, 4, 5};
    int[] ref = {0, 1, 0, 0, 0, 2};
    int[] basePage = {0, 77, 3, 0, 0, 0};
    long[] offset = {0, 0, patchOffset, 100, 100 + 4096, 0};
    int[] length = {0, 0, 100, 4096, 50, 0};
    long[] hashes = new long[12];
    for (int i = 0; i < 12; i++) hashes[i] = 0x1234_5678_9abcL * (i + 1);
    return new DedupImage(SANDBOX, PatchCodecKind.ZSTD_PREFIX, 3, 5, true,
        List.of(new DedupImage.BaseRef("base-a", "node-a"), new DedupImage.BaseRef("base-b", "node-b")),
        List.of(new DedupImage.PagesFile(1, 4), new DedupImage.PagesFile(9, 2)), kinds, ref, basePage, offset, length,
        hashes, dataLength);
  }

  private Path writeSample() throws IOException {
    Path file = dir.resolve(DedupImage.FILE_NAME);
    byte[] data = new byte[100 + 4096 + 50];
    Arrays.fill(data, (byte) 7);
    DedupImageWriter.write(file, sample(data.length, 0), List.of(new DedupImageWriter.DataChunk(data, data.length)));
    return file;
  }

  @Test
  void roundTripsEveryField() throws IOException {
    Path file = writeSample();

    DedupImageReader.Opened opened = DedupImageReader.read(file);
    DedupImage image = opened.image();

    assertThat(image.sandbox()).isEqualTo(SANDBOX);
    assertThat(image.codec()).isEqualTo(PatchCodecKind.ZSTD_PREFIX);
    assertThat(image.codecLevel()).isEqualTo(3);
    assertThat(image.chunksPerPage()).isEqualTo(5);
    assertThat(image.maskPointers()).isTrue();
    assertThat(image.bases()).extracting(DedupImage.BaseRef::baseId).containsExactly("base-a", "base-b");
    assertThat(image.pagesFiles()).extracting(DedupImage.PagesFile::pagesId).containsExactly(1, 9);
    assertThat(image.kind(0)).isEqualTo(PageKind.ZERO);
    assertThat(image.kind(1)).isEqualTo(PageKind.SAME);
    assertThat(image.baseIndex(1)).isEqualTo(1);
    assertThat(image.basePage(1)).isEqualTo(77);
    assertThat(image.kind(2)).isEqualTo(PageKind.PATCH);
    assertThat(image.basePage(2)).isEqualTo(3);
    assertThat(image.dataLength(2)).isEqualTo(100);
    assertThat(image.dataOffset(3)).isEqualTo(100);
    assertThat(image.dataOffset(4)).isEqualTo(4196);
    assertThat(image.dataLength(4)).isEqualTo(50);
    assertThat(image.kind(5)).isEqualTo(PageKind.COPY);
    assertThat(image.copySource(5)).isEqualTo(2);
    assertThat(image.hashHigh(5)).isEqualTo(0x1234_5678_9abcL * 12);
    assertThat(opened.dataOffset() + image.dataLength()).isEqualTo(Files.size(file));
  }

  @Test
  void anyFlippedHeaderOrIndexByteFailsTheChecksum() throws IOException {
    Path file = writeSample();
    byte[] bytes = Files.readAllBytes(file);
    long dataOffset = DedupImageReader.read(file).dataOffset();
    for (int at : new int[] {40, 45, 60, (int) dataOffset - 20}) {
      byte[] corrupt = bytes.clone();
      corrupt[at] ^= 0x10;
      Files.write(file, corrupt);
      assertThatThrownBy(() -> DedupImageReader.read(file))
          .isInstanceOf(DedupImageException.class)
          .hasMessageContaining("checksum");
    }
  }

  @Test
  void truncatedOrExtendedFilesAreRejected() throws IOException {
    Path file = writeSample();
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 1));
    assertThatThrownBy(() -> DedupImageReader.read(file)).isInstanceOf(DedupImageException.class)
        .hasMessageContaining("truncated or extended");
    Files.write(file, Arrays.copyOf(bytes, 20));
    assertThatThrownBy(() -> DedupImageReader.read(file)).isInstanceOf(DedupImageException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void badMagicAndUnknownVersionAreRejected() throws IOException {
    Path file = writeSample();
    byte[] bytes = Files.readAllBytes(file);
    byte[] magic = bytes.clone();
    magic[0] = 'X';
    Files.write(file, magic);
    assertThatThrownBy(() -> DedupImageReader.read(file)).hasMessageContaining("bad magic");
    byte[] version = bytes.clone();
    version[8] = 2;
    Files.write(file, version);
    assertThatThrownBy(() -> DedupImageReader.read(file)).hasMessageContaining("unsupported format version 2");
  }

  @Test
  void dataReferencesOutsideTheDataSectionAreRejected() throws IOException {
    Path file = dir.resolve(DedupImage.FILE_NAME);
    byte[] data = new byte[100 + 4096 + 50];
    // A patch placed past the end of the data section, with a valid checksum over the header.
    DedupImageWriter.write(file, sample(data.length, 5000), List.of(new DedupImageWriter.DataChunk(data, data.length)));
    assertThatThrownBy(() -> DedupImageReader.read(file))
        .isInstanceOf(DedupImageException.class)
        .hasMessageContaining("page 2")
        .hasMessageContaining("outside the data section");
  }
}
