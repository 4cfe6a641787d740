package io.medes.dedup.page;

/**
 * The parameters that decide which fingerprints a page gets. A base and the sandboxes deduplicated
 * against it must use the same scheme, or their fingerprints never match; manifests and dedup images
 * record it.
 */
public final class FingerprintScheme {
  private final int chunksPerPage;
  private final boolean maskPointers;

  public FingerprintScheme(int chunksPerPage, boolean maskPointers) {
    if (chunksPerPage < 1 || chunksPerPage > PageFingerprinter.MAX_CHUNKS_PER_PAGE) {
      throw new IllegalArgumentException(
          "chunks-per-page must be in [1, " + PageFingerprinter.MAX_CHUNKS_PER_PAGE + "], got " + chunksPerPage);
    }
    this.chunksPerPage = chunksPerPage;
    this.maskPointers = maskPointers;
  }

  /** At most this many sampled fingerprints per page. */
  public int chunksPerPage() { return chunksPerPage; }

  /** Whether pointer-like words are masked before sampling (ASLR-robust fingerprints). */
  public boolean maskPointers() { return maskPointers; }

  public PageFingerprinter newFingerprinter() {
    return new PageFingerprinter(chunksPerPage, maskPointers);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FingerprintScheme)) return false;
    FingerprintScheme s = (FingerprintScheme) o;
    return chunksPerPage == s.chunksPerPage && maskPointers == s.maskPointers;
  }

  @Override
  public int hashCode() { return chunksPerPage * 2 + (maskPointers ? 1 : 0); }

  @Override
  public String toString() { return "gear-bottom" + chunksPerPage + (maskPointers ? "-masked" : ""); }
}
