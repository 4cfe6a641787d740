package io.medes.dedup.base;

/**
 * Where the pages of base sandboxes come from: the local checkpoint directory now, a remote node
 * (TCP/RDMA) later. Implementations are safe for concurrent use, batch their reads, and bound their
 * waits (a fetch that cannot complete fails with {@link BaseUnavailableException}, it never hangs).
 */
public interface BasePageSource {
  int PAGE_SIZE = 4096;

  /** The base's manifest: its page hashes and fingerprints. */
  BaseManifest manifest(String baseId) throws BaseUnavailableException;

  /**
   * Copies pages {@code pageIndexes[from .. from+count)} of the base to {@code dst}, page {@code j} of
   * the batch at {@code dst[dstOff + j*4096]}.
   */
  void readPages(String baseId, int[] pageIndexes, int from, int count, byte[] dst, int dstOff)
      throws BaseUnavailableException;
}
