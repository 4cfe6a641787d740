package io.medes.dedup;

import io.medes.dedup.criu.CriuImageFormat;
import io.medes.dedup.criu.CriuImageWriter;
import io.medes.dedup.criu.PagemapRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Builds CRIU-format dump directories (inventory, pagemaps, pages images) from page contents. */
public final class SyntheticDumps {
  public static final int PAGE = 4096;

  private SyntheticDumps() {}

  /** Writes a dump with one process whose pages are {@code pages} (a multiple of 4096 bytes). */
  public static Path write(Path dir, byte[] pages) throws IOException {
    return write(dir, Collections.singletonList(pages));
  }

  /** Writes a dump with one pagemap and pages image per element (pages ids 1, 2, ...). */
  public static Path write(Path dir, List<byte[]> pagesPerImage) throws IOException {
    Files.createDirectories(dir);
    CriuImageWriter.writeInventory(dir, CriuImageFormat.IMAGES_V1_1);
    for (int i = 0; i < pagesPerImage.size(); i++) {
      byte[] pages = pagesPerImage.get(i);
      int id = i + 1;
      List<PagemapRun> runs = new ArrayList<>();
      long n = pages.length / PAGE;
      // Two present runs around a hole that is not in the pages image, like a real pagemap.
      long first = n / 2;
      runs.add(new PagemapRun(0x7f0000000000L + 0x100000L * id, first, CriuImageFormat.PE_PRESENT));
      runs.add(new PagemapRun(0x7f0000800000L + 0x100000L * id, 3, 0));
      runs.add(new PagemapRun(0x7f0001000000L + 0x100000L * id, n - first,
          CriuImageFormat.PE_PRESENT | CriuImageFormat.PE_LAZY));
      CriuImageWriter.writePagemap(dir.resolve("pagemap-" + id + ".img"), id, runs);
      Files.write(dir.resolve("pages-" + id + ".img"), pages);
    }
    return dir;
  }

  /**
   * A page that looks like a Python heap page: 16-byte objects with a small refcount, a pointer into a
   * mapping at {@code mappingBase} and a payload word derived from {@code seed}.
   */
  public static void heapPage(byte[] dst, int off, long mappingBase, long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < PAGE; i += 16) {
      putLong(dst, off + i, 1 + r.nextInt(8));
      putLong(dst, off + i + 8, mappingBase + 64L * r.nextInt(4096));
    }
  }

  public static void putLong(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) b[off + i] = (byte) (v >>> (8 * i));
  }

  public static byte[] randomPages(int count, long seed) {
    byte[] b = new byte[count * PAGE];
    new Random(seed).nextBytes(b);
    return b;
  }
}
