package io.medes.dedup.codec;

/**
 * Encodes a 4 KiB page as a delta against a base page, and compresses a page on its own with the same
 * compressor (for pages without a usable base, and for the compress-only baseline).
 *
 * <p>Instances hold native contexts and scratch buffers: one per thread, closed when done.
 */
public interface PatchCodec extends AutoCloseable {
  int PAGE_SIZE = 4096;

  PatchCodecKind kind();

  /**
   * Encodes {@code target} against {@code base} into {@code out[outOff ..]}, using at most
   * {@code maxLength} bytes.
   *
   * @return the patch length, or -1 if the patch would not fit in {@code maxLength} bytes or this base
   *     cannot be used by this codec
   */
  int encode(byte[] target, int targetOff, byte[] base, int baseOff, byte[] out, int outOff, int maxLength);

  /** Rebuilds the page encoded by {@link #encode} into {@code dst[dstOff .. dstOff+4096)}. */
  void decode(byte[] patch, int patchOff, int patchLength, byte[] base, int baseOff, byte[] dst, int dstOff)
      throws CorruptPatchException;

  /**
   * Whether {@code base} is so clearly a good base for {@code target} (cheap test, no encoding) that
   * other candidate base pages need not be tried. Codecs without such a test answer false.
   */
  default boolean decisiveMatch(byte[] target, int targetOff, byte[] base, int baseOff) {
    return false;
  }

  /** Compresses {@code page} alone; returns the length, or -1 if it does not fit {@code maxLength}. */
  int compress(byte[] page, int pageOff, byte[] out, int outOff, int maxLength);

  /** Inverse of {@link #compress}. */
  void decompress(byte[] data, int dataOff, int dataLength, byte[] dst, int dstOff) throws CorruptPatchException;

  @Override
  void close();
}
