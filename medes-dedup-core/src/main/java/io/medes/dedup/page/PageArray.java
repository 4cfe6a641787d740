package io.medes.dedup.page;

/**
 * A read-only, indexed sequence of 4 KiB pages (the pages of a checkpoint in dump order). Safe for
 * concurrent readers.
 */
public interface PageArray {
  int PAGE_SIZE = 4096;

  int pageCount();

  /** Copies page {@code index} to {@code dst[dstOffset .. dstOffset+4096)}. */
  void copyPage(int index, byte[] dst, int dstOffset);
}
