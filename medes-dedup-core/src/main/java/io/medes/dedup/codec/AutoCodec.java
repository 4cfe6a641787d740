package io.medes.dedup.codec;

/**
 * Per page, the better of two deltas against the same base page: {@code sub64-zstd} (aligned words that
 * differ by a constant, as pointers do under ASLR) and {@code zstd-prefix} (content that moved or
 * changed byte-wise). The first byte of a patch says which one follows (0 sub64, 1 zstd-prefix).
 *
 * <p>Which one wins is predicted from the share of aligned 64-bit words whose difference to the base
 * is 0 or repeats the last non-zero difference (cheap: one pass of subtractions). Measured on real
 * dumps (docs/dedup-codecs.md): from 75 % such words on, the sub64 delta is within a few percent of the
 * smaller one; below 45 % zstd-prefix is the smaller on 86-99 % of pages; in between both are encoded
 * and the smaller kept. So most pages cost one encode. Pages alone are compressed with plain zstd, as
 * by both.
 */
final class AutoCodec implements PatchCodec {
  static final int TAG_SUB64 = 0;
  static final int TAG_PREFIX = 1;
  /** Predictable words (of 512) from which sub64 alone is used. */
  static final int SUB64_ONLY = 384;
  /** Predictable words below which zstd-prefix alone is used. */
  static final int PREFIX_ONLY = 230;
  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  private final int level;
  private final Sub64Codec sub64;
  private final ZstdPrefixCodec prefix;
  private final byte[] scratch = new byte[2 * PAGE_SIZE];

  AutoCodec(int level) {
    this.level = level;
    this.sub64 = new Sub64Codec(level);
    this.prefix = new ZstdPrefixCodec(level);
  }

  @Override
  public PatchCodecKind kind() {
    return PatchCodecKind.AUTO;
  }

  @Override
  public int encode(byte[] target, int targetOff, byte[] base, int baseOff, byte[] out, int outOff, int maxLength) {
    if (maxLength < 2) return -1;
    int predictable = predictableWords(target, targetOff, base, baseOff);
    int words = -1;
    if (predictable >= PREFIX_ONLY) {
      words = sub64.encode(target, targetOff, base, baseOff, out, outOff + 1, maxLength - 1);
      if (predictable >= SUB64_ONLY) {
        if (words < 0) return -1;
        out[outOff] = TAG_SUB64;
        return words + 1;
      }
    }
    int limit = words > 0 ? words - 1 : maxLength - 1;
    int bytes = limit > 0 ? prefix.encode(target, targetOff, base, baseOff, scratch, 0, limit) : -1;
    if (bytes > 0) {
      out[outOff] = TAG_PREFIX;
      System.arraycopy(scratch, 0, out, outOff + 1, bytes);
      return bytes + 1;
    }
    if (words > 0) {
      out[outOff] = TAG_SUB64;
      return words + 1;
    }
    return -1;
  }

  @Override
  public boolean decisiveMatch(byte[] target, int targetOff, byte[] base, int baseOff) {
    return predictableWords(target, targetOff, base, baseOff) >= SUB64_ONLY;
  }

  /** Aligned words whose difference to the base is 0 or equals the last non-zero difference. */
  static int predictableWords(byte[] target, int targetOff, byte[] base, int baseOff) {
    int predictable = 0;
    long last = 0;
    for (int i = 0; i < PAGE_SIZE; i += 8) {
      long d = (long) LONGS.get(target, targetOff + i) - (long) LONGS.get(base, baseOff + i);
      if (d == 0 || d == last) {
        predictable++;
      } else {
        last = d;
      }
    }
    return predictable;
  }

  @Override
  public void decode(byte[] patch, int patchOff, int patchLength, byte[] base, int baseOff, byte[] dst, int dstOff)
      throws CorruptPatchException {
    if (patchLength < 2) throw new CorruptPatchException("auto patch of " + patchLength + " bytes");
    switch (patch[patchOff]) {
      case TAG_SUB64:
        sub64.decode(patch, patchOff + 1, patchLength - 1, base, baseOff, dst, dstOff);
        break;
      case TAG_PREFIX:
        prefix.decode(patch, patchOff + 1, patchLength - 1, base, baseOff, dst, dstOff);
        break;
      default:
        throw new CorruptPatchException("unknown auto patch tag " + patch[patchOff]);
    }
  }

  @Override
  public int compress(byte[] page, int pageOff, byte[] out, int outOff, int maxLength) {
    return sub64.compress(page, pageOff, out, outOff, maxLength);
  }

  @Override
  public void decompress(byte[] data, int dataOff, int dataLength, byte[] dst, int dstOff) throws CorruptPatchException {
    sub64.decompress(data, dataOff, dataLength, dst, dstOff);
  }

  @Override
  public void close() {
    sub64.close();
    prefix.close();
  }

  @Override
  public String toString() {
    return "auto:" + level;
  }
}
