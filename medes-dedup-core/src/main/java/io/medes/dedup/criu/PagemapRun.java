package io.medes.dedup.criu;

/** One pagemap entry: {@code pageCount} consecutive virtual pages from {@code vaddr}, with CRIU's flags. */
public final class PagemapRun {
  private final long vaddr;
  private final long pageCount;
  private final int flags;

  public PagemapRun(long vaddr, long pageCount, int flags) {
    if (pageCount < 0) throw new IllegalArgumentException("pageCount < 0: " + pageCount);
    this.vaddr = vaddr;
    this.pageCount = pageCount;
    this.flags = flags;
  }

  public long vaddr() { return vaddr; }
  public long pageCount() { return pageCount; }
  public int flags() { return flags; }

  /** Whether this run's bytes are stored in the dump's pages image. */
  public boolean isPresent() {
    return (flags & CriuImageFormat.PE_PRESENT) != 0;
  }

  @Override
  public String toString() {
    return String.format("PagemapRun{0x%x, %d pages, flags=%d}", vaddr, pageCount, flags);
  }
}
