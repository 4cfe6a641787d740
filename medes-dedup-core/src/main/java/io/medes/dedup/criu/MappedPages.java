package io.medes.dedup.criu;

import io.medes.dedup.page.PageArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pages of a dump, memory-mapped read-only and indexed in dump order (pages images by pages id,
 * pages in file order). Nothing is copied until a page is read.
 */
public final class MappedPages implements PageArray {
  /** Pages per mapping: mappings stay far below the 2 GiB limit of a ByteBuffer. */
  private static final int PAGES_PER_SEGMENT = 1 << 18;

  private final MappedByteBuffer[] segments;
  /** Global index of each segment's first page, ascending. */
  private final int[] firstPage;
  private final int pageCount;

  private MappedPages(MappedByteBuffer[] segments, int[] firstPage, int pageCount) {
    this.segments = segments;
    this.firstPage = firstPage;
    this.pageCount = pageCount;
  }

  /** Maps every pages image of {@code dump}; the images must exist with their announced sizes. */
  public static MappedPages map(CriuDump dump) throws IOException {
    if (dump.pageCount() > Integer.MAX_VALUE) {
      throw new CriuImageException(dump.directory(), 0, "too many pages: " + dump.pageCount());
    }
    List<MappedByteBuffer> buffers = new ArrayList<>();
    List<Integer> firsts = new ArrayList<>();
    int next = 0;
    for (PagesImage image : dump.pagesImages()) {
      long pages = image.pageCount();
      if (pages == 0) continue;
      try (FileChannel ch = FileChannel.open(image.pagesFile(), StandardOpenOption.READ)) {
        if (ch.size() != pages * PAGE_SIZE) {
          throw new CriuImageException(image.pagesFile(), Math.min(ch.size(), pages * PAGE_SIZE),
              "pages image has " + ch.size() + " bytes, pagemap announces " + pages * PAGE_SIZE);
        }
        for (long first = 0; first < pages; first += PAGES_PER_SEGMENT) {
          long n = Math.min(PAGES_PER_SEGMENT, pages - first);
          buffers.add(ch.map(FileChannel.MapMode.READ_ONLY, first * PAGE_SIZE, n * PAGE_SIZE));
          firsts.add(next);
          next += (int) n;
        }
      } catch (CriuImageException e) {
        throw e;
      } catch (IOException e) {
        throw new CriuImageException(image.pagesFile(), 0, "cannot map: " + e.getMessage(), e);
      }
    }
    int[] first = new int[firsts.size()];
    for (int i = 0; i < first.length; i++) first[i] = firsts.get(i);
    return new MappedPages(buffers.toArray(new MappedByteBuffer[0]), first, next);
  }

  @Override
  public int pageCount() {
    return pageCount;
  }

  @Override
  public void copyPage(int index, byte[] dst, int dstOffset) {
    if (index < 0 || index >= pageCount) {
      throw new IndexOutOfBoundsException("page " + index + " of " + pageCount);
    }
    int s = Arrays.binarySearch(firstPage, index);
    if (s < 0) s = -s - 2;
    ByteBuffer view = segments[s].duplicate();
    view.position((index - firstPage[s]) * PAGE_SIZE);
    view.get(dst, dstOffset, PAGE_SIZE);
  }
}
