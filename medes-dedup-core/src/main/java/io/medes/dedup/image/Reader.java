package io.medes.dedup.image;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Bounds-checked little-endian reader over the image metadata; every failure names the offset. */
final class Reader {
  private final Path file;
  private final byte[] buf;
  private final int end;
  private int pos;

  Reader(Path file, byte[] buf, int start, int end) {
    this.file = file;
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  int position() {
    return pos;
  }

  DedupImageException error(String problem) {
    return new DedupImageException(file, pos, problem);
  }

  private void need(int n) throws DedupImageException {
    if (end - pos < n) throw error("truncated metadata: " + n + " bytes needed, " + (end - pos) + " left");
  }

  int u8() throws DedupImageException {
    need(1);
    return buf[pos++] & 0xff;
  }

  int u16() throws DedupImageException {
    need(2);
    int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
    pos += 2;
    return v;
  }

  int u32() throws DedupImageException {
    need(4);
    int v = 0;
    for (int i = 0; i < 4; i++) v |= (buf[pos + i] & 0xff) << (8 * i);
    pos += 4;
    return v;
  }

  long u64() throws DedupImageException {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) v |= (buf[pos + i] & 0xffL) << (8 * i);
    pos += 8;
    return v;
  }

  long varint() throws DedupImageException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = u8();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    throw error("varint longer than 10 bytes");
  }

  /** A varint that must lie in [0, max]. */
  int varint(String what, long max) throws DedupImageException {
    int at = pos;
    long v = varint();
    if (v < 0 || v > max) {
      throw new DedupImageException(file, at, what + " " + Long.toUnsignedString(v) + " out of range [0, " + max + "]");
    }
    return (int) v;
  }

  long zigzag() throws DedupImageException {
    long v = varint();
    return (v >>> 1) ^ -(v & 1);
  }

  String string(String what) throws DedupImageException {
    int n = varint(what + " length", 1 << 16);
    need(n);
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }
}
