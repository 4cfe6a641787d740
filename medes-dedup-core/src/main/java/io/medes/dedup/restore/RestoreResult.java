package io.medes.dedup.restore;

import java.nio.file.Path;
import java.util.List;

/** A completed restore: which pages images were written, how many pages, how long it took. */
public final class RestoreResult {
  private final List<Path> pagesFiles;
  private final int pageCount;
  private final long nanos;

  RestoreResult(List<Path> pagesFiles, int pageCount, long nanos) {
    this.pagesFiles = pagesFiles;
    this.pageCount = pageCount;
    this.nanos = nanos;
  }

  public List<Path> pagesFiles() { return pagesFiles; }
  public int pageCount() { return pageCount; }
  public long restoredBytes() { return (long) pageCount * 4096; }
  public long nanos() { return nanos; }
}
