package io.medes.dedup.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Delta = target minus base, per aligned little-endian 64-bit word, then zstd. Under ASLR, pointers
 * into one mapping differ between two sandboxes by the same constant, so their differences repeat and
 * compress to almost nothing; equal words become zero.
 */
final class Sub64Codec implements PatchCodec {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final int level;
  private final Compressor compressor;
  private final byte[] delta = new byte[PAGE_SIZE];

  Sub64Codec(int level) {
    this.level = level;
    this.compressor = Compressor.zstd(level);
  }

  @Override
  public PatchCodecKind kind() {
    return PatchCodecKind.SUB64_ZSTD;
  }

  @Override
  public int encode(byte[] target, int targetOff, byte[] base, int baseOff, byte[] out, int outOff, int maxLength) {
    for (int i = 0; i < PAGE_SIZE; i += 8) {
      LONGS.set(delta, i, (long) LONGS.get(target, targetOff + i) - (long) LONGS.get(base, baseOff + i));
    }
    return compressor.compress(delta, 0, out, outOff, maxLength);
  }

  @Override
  public boolean decisiveMatch(byte[] target, int targetOff, byte[] base, int baseOff) {
    return AutoCodec.predictableWords(target, targetOff, base, baseOff) >= AutoCodec.SUB64_ONLY;
  }

  @Override
  public void decode(byte[] patch, int patchOff, int patchLength, byte[] base, int baseOff, byte[] dst, int dstOff)
      throws CorruptPatchException {
    compressor.decompress(patch, patchOff, patchLength, delta, 0);
    for (int i = 0; i < PAGE_SIZE; i += 8) {
      LONGS.set(dst, dstOff + i, (long) LONGS.get(delta, i) + (long) LONGS.get(base, baseOff + i));
    }
  }

  @Override
  public int compress(byte[] page, int pageOff, byte[] out, int outOff, int maxLength) {
    return compressor.compress(page, pageOff, out, outOff, maxLength);
  }

  @Override
  public void decompress(byte[] data, int dataOff, int dataLength, byte[] dst, int dstOff) throws CorruptPatchException {
    compressor.decompress(data, dataOff, dataLength, dst, dstOff);
  }

  @Override
  public void close() {
    compressor.close();
  }

  @Override
  public String toString() {
    return "sub64-zstd:" + level;
  }
}
