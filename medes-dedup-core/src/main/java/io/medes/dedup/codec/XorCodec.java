package io.medes.dedup.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Delta = target XOR base (zero wherever they agree), then a fast block compressor. */
final class XorCodec implements PatchCodec {
  enum Backend { LZ4, ZSTD }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final Backend backend;
  private final int level;
  private final Compressor compressor;
  private final byte[] delta = new byte[PAGE_SIZE];

  XorCodec(Backend backend, int level) {
    this.backend = backend;
    this.level = level;
    this.compressor = backend == Backend.LZ4 ? Compressor.lz4() : Compressor.zstd(level);
  }

  @Override
  public PatchCodecKind kind() {
    return backend == Backend.LZ4 ? PatchCodecKind.XOR_LZ4 : PatchCodecKind.XOR_ZSTD;
  }

  static void xor(byte[] a, int aOff, byte[] b, int bOff, byte[] out, int outOff) {
    for (int i = 0; i < PAGE_SIZE; i += 8) {
      LONGS.set(out, outOff + i, (long) LONGS.get(a, aOff + i) ^ (long) LONGS.get(b, bOff + i));
    }
  }

  @Override
  public int encode(byte[] target, int targetOff, byte[] base, int baseOff, byte[] out, int outOff, int maxLength) {
    xor(target, targetOff, base, baseOff, delta, 0);
    return compressor.compress(delta, 0, out, outOff, maxLength);
  }

  @Override
  public void decode(byte[] patch, int patchOff, int patchLength, byte[] base, int baseOff, byte[] dst, int dstOff)
      throws CorruptPatchException {
    compressor.decompress(patch, patchOff, patchLength, delta, 0);
    xor(delta, 0, base, baseOff, dst, dstOff);
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
    return kind().configName() + (backend == Backend.ZSTD ? ":" + level : "");
  }
}
