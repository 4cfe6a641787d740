package io.medes.dedup.criu;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * One pagemap of a dump and the raw pages image it points to: {@code pagemap-<pid>.img} (or
 * {@code pagemap-shmem-<id>.img}) names {@code pages-<pagesId>.img}, whose contents are the present
 * runs' pages in pagemap order.
 */
public final class PagesImage {
  private final Path pagemapFile;
  private final int pagesId;
  private final List<PagemapRun> runs;
  private final long pageCount;

  PagesImage(Path pagemapFile, int pagesId, List<PagemapRun> runs) {
    this.pagemapFile = pagemapFile;
    this.pagesId = pagesId;
    this.runs = Collections.unmodifiableList(runs);
    long n = 0;
    for (PagemapRun r : runs) {
      if (r.isPresent()) n += r.pageCount();
    }
    this.pageCount = n;
  }

  public Path pagemapFile() { return pagemapFile; }
  public int pagesId() { return pagesId; }
  public List<PagemapRun> runs() { return runs; }

  /** Number of pages stored in the pages image (sum of present runs). */
  public long pageCount() { return pageCount; }

  /** File name of the pages image, relative to the dump directory. */
  public String pagesFileName() {
    return pagesFileName(pagesId);
  }

  public static String pagesFileName(int pagesId) {
    return "pages-" + pagesId + ".img";
  }

  public Path pagesFile() {
    return pagemapFile.resolveSibling(pagesFileName());
  }
}
