package io.medes.dedup.codec;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/** A plain block compressor for one page (after a delta transform, or alone). Not thread-safe. */
abstract class Compressor implements AutoCloseable {
  static final int PAGE_SIZE = PatchCodec.PAGE_SIZE;

  /** Compresses one page; returns the length or -1 if it does not fit {@code maxLength}. */
  abstract int compress(byte[] page, int off, byte[] out, int outOff, int maxLength);

  /** Decompresses to exactly one page at {@code dst[dstOff]}. */
  abstract void decompress(byte[] data, int off, int length, byte[] dst, int dstOff) throws CorruptPatchException;

  @Override
  public abstract void close();

  static Compressor zstd(int level) {
    return new ZstdBlock(level);
  }

  static Compressor lz4() {
    return new Lz4Block();
  }

  private static final class ZstdBlock extends Compressor {
    private final ZstdCompressCtx cctx = new ZstdCompressCtx();
    private final ZstdDecompressCtx dctx = new ZstdDecompressCtx();
    private final byte[] scratch = new byte[(int) Zstd.compressBound(PAGE_SIZE)];
    private final byte[] page = new byte[PAGE_SIZE];

    ZstdBlock(int level) {
      cctx.setLevel(level).setMagicless(true).setChecksum(false).setDictID(false).setContentSize(false);
      dctx.setMagicless(true);
    }

    @Override
    int compress(byte[] src, int off, byte[] out, int outOff, int maxLength) {
      int n;
      try {
        n = cctx.compressByteArray(scratch, 0, scratch.length, src, off, PAGE_SIZE);
      } catch (ZstdException e) {
        return -1;
      }
      if (n > maxLength) return -1;
      System.arraycopy(scratch, 0, out, outOff, n);
      return n;
    }

    @Override
    void decompress(byte[] data, int off, int length, byte[] dst, int dstOff) throws CorruptPatchException {
      int n;
      try {
        n = dctx.decompressByteArray(page, 0, PAGE_SIZE, data, off, length);
      } catch (ZstdException e) {
        throw new CorruptPatchException("zstd: " + e.getMessage(), e);
      }
      if (n != PAGE_SIZE) throw new CorruptPatchException("zstd frame decodes to " + n + " bytes, not one page");
      System.arraycopy(page, 0, dst, dstOff, PAGE_SIZE);
    }

    @Override
    public void close() {
      cctx.close();
      dctx.close();
    }
  }

  private static final class Lz4Block extends Compressor {
    private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();
    private final LZ4Compressor compressor = LZ4.fastCompressor();
    private final LZ4SafeDecompressor decompressor = LZ4.safeDecompressor();
    private final byte[] scratch = new byte[LZ4.fastCompressor().maxCompressedLength(PAGE_SIZE)];
    private final byte[] page = new byte[PAGE_SIZE + 64];

    @Override
    int compress(byte[] src, int off, byte[] out, int outOff, int maxLength) {
      int n = compressor.compress(src, off, PAGE_SIZE, scratch, 0, scratch.length);
      if (n > maxLength) return -1;
      System.arraycopy(scratch, 0, out, outOff, n);
      return n;
    }

    @Override
    void decompress(byte[] data, int off, int length, byte[] dst, int dstOff) throws CorruptPatchException {
      int n;
      try {
        // One spare byte of room: a block that decodes to more than a page is detected, not truncated.
        n = decompressor.decompress(data, off, length, page, 0, PAGE_SIZE + 1);
      } catch (LZ4Exception e) {
        throw new CorruptPatchException("lz4: " + e.getMessage(), e);
      }
      if (n != PAGE_SIZE) throw new CorruptPatchException("lz4 block decodes to " + n + " bytes, not one page");
      System.arraycopy(page, 0, dst, dstOff, PAGE_SIZE);
    }

    @Override
    public void close() {}
  }
}
