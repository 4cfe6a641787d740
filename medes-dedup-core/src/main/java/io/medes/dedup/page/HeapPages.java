package io.medes.dedup.page;

/** Pages held in one heap array; for tests, benchmarks and small images. */
public final class HeapPages implements PageArray {
  private final byte[] bytes;
  private final int pageCount;

  public HeapPages(byte[] bytes) {
    if (bytes.length % PAGE_SIZE != 0) {
      throw new IllegalArgumentException("length " + bytes.length + " is not a multiple of " + PAGE_SIZE);
    }
    this.bytes = bytes;
    this.pageCount = bytes.length / PAGE_SIZE;
  }

  @Override
  public int pageCount() {
    return pageCount;
  }

  @Override
  public void copyPage(int index, byte[] dst, int dstOffset) {
    System.arraycopy(bytes, index * PAGE_SIZE, dst, dstOffset, PAGE_SIZE);
  }

  /** The backing array (not a copy). */
  public byte[] bytes() {
    return bytes;
  }
}
