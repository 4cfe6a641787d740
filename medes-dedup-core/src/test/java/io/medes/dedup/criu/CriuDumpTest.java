package io.medes.dedup.criu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medes.dedup.SyntheticDumps;
import io.medes.dedup.criu.proto.CriuImages.PagemapEntry;
import io.medes.dedup.criu.proto.CriuImages.PagemapHead;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriuDumpTest {
  @TempDir Path dir;

  @Test
  void readsPagemapsAndMapsPagesInPagesIdOrder() throws IOException {
    byte[] first = SyntheticDumps.randomPages(5, 1);
    byte[] second = SyntheticDumps.randomPages(3, 2);
    SyntheticDumps.write(dir, Arrays.asList(first, second));

    CriuDump dump = CriuDump.open(dir);

    assertThat(dump.imageVersion()).isEqualTo(CriuImageFormat.IMAGES_V1_1);
    assertThat(dump.pagesImages()).extracting(PagesImage::pagesId).containsExactly(1, 2);
    assertThat(dump.pagesImages().get(0).runs()).hasSize(3);
    assertThat(dump.pagesImages().get(0).runs().get(1).isPresent()).isFalse();
    assertThat(dump.pageCount()).isEqualTo(8);
    MappedPages pages = MappedPages.map(dump);
    byte[] page = new byte[4096];
    pages.copyPage(6, page, 0);
    assertThat(page).isEqualTo(Arrays.copyOfRange(second, 4096, 8192));
  }

  @Test
  void olderImagesWithoutFlagsAndWithCompatPageCountArePresent() throws IOException {
    CriuImageWriter.writeInventory(dir, CriuImageFormat.IMAGES_V1_1);
    writeRawPagemap(dir.resolve("pagemap-7.img"), 4,
        PagemapEntry.newBuilder().setVaddr(0x1000).setCompatNrPages(2).build().toByteArray());
    Files.write(dir.resolve("pages-4.img"), new byte[2 * 4096]);

    CriuDump dump = CriuDump.open(dir);

    PagemapRun run = dump.pagesImages().get(0).runs().get(0);
    assertThat(run.pageCount()).isEqualTo(2);
    assertThat(run.isPresent()).isTrue();
    assertThat(dump.pagesImages().get(0).pagesFile().getFileName().toString()).isEqualTo("pages-4.img");
  }

  @Test
  void truncatedEntryNamesFileAndOffset() throws IOException {
    SyntheticDumps.write(dir, SyntheticDumps.randomPages(2, 3));
    Path pagemap = dir.resolve("pagemap-1.img");
    byte[] bytes = Files.readAllBytes(pagemap);
    Files.write(pagemap, Arrays.copyOf(bytes, bytes.length - 3));

    assertThatThrownBy(() -> CriuDump.open(dir))
        .isInstanceOf(CriuImageException.class)
        .hasMessageContaining("pagemap-1.img")
        .hasMessageContaining("truncated entry")
        .satisfies(e -> assertThat(((CriuImageException) e).offset()).isGreaterThan(8));
  }

  @Test
  void wrongMagicIsRejected() throws IOException {
    SyntheticDumps.write(dir, SyntheticDumps.randomPages(1, 4));
    Path pagemap = dir.resolve("pagemap-1.img");
    byte[] bytes = Files.readAllBytes(pagemap);
    bytes[4] ^= 1;
    Files.write(pagemap, bytes);

    assertThatThrownBy(() -> CriuDump.open(dir))
        .isInstanceOf(CriuImageException.class)
        .hasMessageContaining("wrong image type")
        .satisfies(e -> assertThat(((CriuImageException) e).offset()).isEqualTo(4));
  }

  @Test
  void undecodableProtobufIsRejected() throws IOException {
    CriuImageWriter.writeInventory(dir, CriuImageFormat.IMAGES_V1_1);
    writeRawPagemap(dir.resolve("pagemap-1.img"), 1, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});

    assertThatThrownBy(() -> CriuDump.open(dir))
        .isInstanceOf(CriuImageException.class)
        .hasMessageContaining("undecodable protobuf");
  }

  @Test
  void pagesImageOfWrongSizeIsRejected() throws IOException {
    SyntheticDumps.write(dir, SyntheticDumps.randomPages(4, 5));
    Files.write(dir.resolve("pages-1.img"), new byte[3 * 4096 + 100]);

    assertThatThrownBy(() -> CriuDump.open(dir))
        .isInstanceOf(CriuImageException.class)
        .hasMessageContaining("pages-1.img")
        .hasMessageContaining("announces " + 4 * 4096);
  }

  @Test
  void missingPagesImageIsRejectedUnlessNotRequired() throws IOException {
    SyntheticDumps.write(dir, SyntheticDumps.randomPages(2, 6));
    Files.delete(dir.resolve("pages-1.img"));

    assertThatThrownBy(() -> CriuDump.open(dir)).isInstanceOf(CriuImageException.class).hasMessageContaining("missing");
    assertThat(CriuDump.open(dir, false).pageCount()).isEqualTo(2);
  }

  @Test
  void incrementalDumpsAreRefused() throws IOException {
    CriuImageWriter.writeInventory(dir, CriuImageFormat.IMAGES_V1_1);
    CriuImageWriter.writePagemap(dir.resolve("pagemap-1.img"), 1,
        List.of(new PagemapRun(0x1000, 1, CriuImageFormat.PE_PARENT)));

    assertThatThrownBy(() -> CriuDump.open(dir)).isInstanceOf(CriuImageException.class).hasMessageContaining("parent");
  }

  @Test
  void directoryWithoutInventoryIsNotADump() {
    assertThatThrownBy(() -> CriuDump.open(dir))
        .isInstanceOf(CriuImageException.class)
        .hasMessageContaining("inventory.img")
        .hasMessageContaining("not a CRIU dump");
  }

  @Test
  void writtenPagemapRoundTrips() throws IOException {
    List<PagemapRun> runs = List.of(new PagemapRun(0x5555_0000_0000L, 7, CriuImageFormat.PE_PRESENT),
        new PagemapRun(0x7fff_0000_0000L, 1L << 20, CriuImageFormat.PE_LAZY));
    Path file = dir.resolve("pagemap-3.img");
    CriuImageWriter.writePagemap(file, 9, runs);

    PagesImage image = CriuDump.readPagemap(file);

    assertThat(image.pagesId()).isEqualTo(9);
    assertThat(image.runs()).extracting(PagemapRun::vaddr).containsExactly(0x5555_0000_0000L, 0x7fff_0000_0000L);
    assertThat(image.pageCount()).isEqualTo(7);
  }

  private static void writeRawPagemap(Path file, int pagesId, byte[] entry) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer w = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    out.write(w.putInt(0, CriuImageFormat.IMG_COMMON_MAGIC).array());
    out.write(w.putInt(0, CriuImageFormat.PAGEMAP_MAGIC).array());
    byte[] head = PagemapHead.newBuilder().setPagesId(pagesId).build().toByteArray();
    out.write(w.putInt(0, head.length).array());
    out.write(head);
    out.write(w.putInt(0, entry.length).array());
    out.write(entry);
    Files.write(file, out.toByteArray());
  }
}
