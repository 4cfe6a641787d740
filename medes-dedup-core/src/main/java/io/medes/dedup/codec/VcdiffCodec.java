package io.medes.dedup.codec;

import com.davidehrmann.vcdiff.VCDiffDecoder;
import com.davidehrmann.vcdiff.VCDiffDecoderBuilder;
import com.davidehrmann.vcdiff.VCDiffEncoder;
import com.davidehrmann.vcdiff.VCDiffEncoderBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * VCDIFF (RFC 3284) deltas with the base page as the source ("dictionary"), through a Java port of
 * open-vcdiff: the xdelta-style approach of the original Medes (which used xdelta3). Stand-alone pages
 * are VCDIFF-encoded against an empty source with matches inside the target allowed.
 */
final class VcdiffCodec implements PatchCodec {
  private static final byte[] EMPTY = new byte[0];

  private final VCDiffDecoder decoder = VCDiffDecoderBuilder.builder().withAllowTargetMatches(true).buildSimple();
  private final Sink sink = new Sink();
  private final ByteArrayOutputStream decoded = new ByteArrayOutputStream(PAGE_SIZE);

  @Override
  public PatchCodecKind kind() {
    return PatchCodecKind.VCDIFF;
  }

  @Override
  public int encode(byte[] target, int targetOff, byte[] base, int baseOff, byte[] out, int outOff, int maxLength) {
    byte[] dictionary = Arrays.copyOfRange(base, baseOff, baseOff + PAGE_SIZE);
    VCDiffEncoder<OutputStream> encoder =
        VCDiffEncoderBuilder.builder().withDictionary(dictionary).withTargetMatches(true).buildSimple();
    return encodeWith(encoder, target, targetOff, out, outOff, maxLength);
  }

  @Override
  public void decode(byte[] patch, int patchOff, int patchLength, byte[] base, int baseOff, byte[] dst, int dstOff)
      throws CorruptPatchException {
    decodeWith(Arrays.copyOfRange(base, baseOff, baseOff + PAGE_SIZE), patch, patchOff, patchLength, dst, dstOff);
  }

  @Override
  public int compress(byte[] page, int pageOff, byte[] out, int outOff, int maxLength) {
    VCDiffEncoder<OutputStream> encoder =
        VCDiffEncoderBuilder.builder().withDictionary(EMPTY).withTargetMatches(true).buildSimple();
    return encodeWith(encoder, page, pageOff, out, outOff, maxLength);
  }

  @Override
  public void decompress(byte[] data, int dataOff, int dataLength, byte[] dst, int dstOff) throws CorruptPatchException {
    decodeWith(EMPTY, data, dataOff, dataLength, dst, dstOff);
  }

  private int encodeWith(VCDiffEncoder<OutputStream> encoder, byte[] target, int targetOff, byte[] out, int outOff,
      int maxLength) {
    sink.reset(out, outOff, maxLength);
    try {
      encoder.encode(target, targetOff, PAGE_SIZE, sink);
    } catch (IOException e) {
      return -1; // the sink overflowed: the delta is larger than allowed
    }
    return sink.written;
  }

  private void decodeWith(byte[] source, byte[] patch, int patchOff, int patchLength, byte[] dst, int dstOff)
      throws CorruptPatchException {
    decoded.reset();
    try {
      decoder.decode(source, Arrays.copyOfRange(patch, patchOff, patchOff + patchLength), decoded);
    } catch (IOException | RuntimeException e) {
      throw new CorruptPatchException("vcdiff: " + e.getMessage(), e);
    }
    if (decoded.size() != PAGE_SIZE) {
      throw new CorruptPatchException("vcdiff delta decodes to " + decoded.size() + " bytes, not one page");
    }
    byte[] page = decoded.toByteArray();
    System.arraycopy(page, 0, dst, dstOff, PAGE_SIZE);
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "vcdiff";
  }

  /** Writes into a caller's array region, failing instead of growing. */
  private static final class Sink extends OutputStream {
    private byte[] out;
    private int start;
    private int limit;
    int written;

    void reset(byte[] out, int start, int limit) {
      this.out = out;
      this.start = start;
      this.limit = limit;
      this.written = 0;
    }

    @Override
    public void write(int b) throws IOException {
      if (written >= limit) throw new IOException("delta exceeds " + limit + " bytes");
      out[start + written++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (written + len > limit) throw new IOException("delta exceeds " + limit + " bytes");
      System.arraycopy(b, off, out, start + written, len);
      written += len;
    }
  }
}
