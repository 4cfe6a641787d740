package io.medes.dedup.codec;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.util.Arrays;

/**
 * zstd with the base page as dictionary content: matches against the base cost a few bits, so a page
 * that differs from its base in scattered words (pointers under ASLR) or whose content moved by any
 * byte offset encodes small. Frames are written without magic, checksum and dictionary id (the image
 * records the codec and every page's hash).
 */
final class ZstdPrefixCodec implements PatchCodec {
  /** zstd reads a dictionary starting with this little-endian magic as a trained dictionary. */
  private static final int ZSTD_DICT_MAGIC = 0xEC30A437;

  private final int level;
  // Dictionaries are sticky in a zstd context, so deltas and stand-alone compression use separate ones.
  private final ZstdCompressCtx deltaCompressor = new ZstdCompressCtx();
  private final ZstdDecompressCtx deltaDecompressor = new ZstdDecompressCtx();
  private final ZstdCompressCtx plainCompressor = new ZstdCompressCtx();
  private final ZstdDecompressCtx plainDecompressor = new ZstdDecompressCtx();
  private final byte[] dict = new byte[PAGE_SIZE];
  private final byte[] scratch = new byte[(int) Zstd.compressBound(PAGE_SIZE)];
  private final byte[] pageScratch = new byte[PAGE_SIZE];

  ZstdPrefixCodec(int level) {
    this.level = level;
    for (ZstdCompressCtx c : new ZstdCompressCtx[] {deltaCompressor, plainCompressor}) {
      c.setLevel(level).setMagicless(true).setChecksum(false).setDictID(false).setContentSize(false);
    }
    deltaDecompressor.setMagicless(true);
    plainDecompressor.setMagicless(true);
  }

  @Override
  public PatchCodecKind kind() {
    return PatchCodecKind.ZSTD_PREFIX;
  }

  static boolean looksLikeTrainedDictionary(byte[] page, int off) {
    int magic = (page[off] & 0xff) | (page[off + 1] & 0xff) << 8 | (page[off + 2] & 0xff) << 16 | (page[off + 3] & 0xff) << 24;
    return magic == ZSTD_DICT_MAGIC;
  }

  @Override
  public int encode(byte[] target, int targetOff, byte[] base, int baseOff, byte[] out, int outOff, int maxLength) {
    if (looksLikeTrainedDictionary(base, baseOff)) return -1;
    deltaCompressor.loadDict(pageOf(base, baseOff));
    return compressInto(deltaCompressor, target, targetOff, out, outOff, maxLength);
  }

  @Override
  public void decode(byte[] patch, int patchOff, int patchLength, byte[] base, int baseOff, byte[] dst, int dstOff)
      throws CorruptPatchException {
    if (looksLikeTrainedDictionary(base, baseOff)) {
      throw new CorruptPatchException("base page cannot serve as zstd prefix (never produced by the encoder)");
    }
    deltaDecompressor.loadDict(pageOf(base, baseOff));
    decompressInto(deltaDecompressor, patch, patchOff, patchLength, dst, dstOff);
  }

  @Override
  public int compress(byte[] page, int pageOff, byte[] out, int outOff, int maxLength) {
    return compressInto(plainCompressor, page, pageOff, out, outOff, maxLength);
  }

  /** The base page as a whole array, copying only when it is part of a larger one. */
  private byte[] pageOf(byte[] base, int baseOff) {
    if (baseOff == 0 && base.length == PAGE_SIZE) return base;
    System.arraycopy(base, baseOff, dict, 0, PAGE_SIZE);
    return dict;
  }

  @Override
  public void decompress(byte[] data, int dataOff, int dataLength, byte[] dst, int dstOff) throws CorruptPatchException {
    decompressInto(plainDecompressor, data, dataOff, dataLength, dst, dstOff);
  }

  private int compressInto(ZstdCompressCtx compressor, byte[] src, int srcOff, byte[] out, int outOff, int maxLength) {
    int n;
    try {
      n = compressor.compressByteArray(scratch, 0, scratch.length, src, srcOff, PAGE_SIZE);
    } catch (ZstdException e) {
      return -1;
    }
    if (n > maxLength) return -1;
    System.arraycopy(scratch, 0, out, outOff, n);
    return n;
  }

  private void decompressInto(ZstdDecompressCtx decompressor, byte[] data, int dataOff, int dataLength, byte[] dst, int dstOff)
      throws CorruptPatchException {
    int n;
    try {
      n = decompressor.decompressByteArray(pageScratch, 0, PAGE_SIZE, data, dataOff, dataLength);
    } catch (ZstdException e) {
      throw new CorruptPatchException("zstd: " + e.getMessage(), e);
    }
    if (n != PAGE_SIZE) throw new CorruptPatchException("zstd frame decodes to " + n + " bytes, not one page");
    System.arraycopy(pageScratch, 0, dst, dstOff, PAGE_SIZE);
  }

  @Override
  public void close() {
    deltaCompressor.close();
    deltaDecompressor.close();
    plainCompressor.close();
    plainDecompressor.close();
    Arrays.fill(dict, (byte) 0);
  }

  @Override
  public String toString() {
    return "zstd-prefix:" + level;
  }
}
