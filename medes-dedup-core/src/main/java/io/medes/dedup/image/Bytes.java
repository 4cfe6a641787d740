package io.medes.dedup.image;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable little-endian byte buffer with LEB128 varints, for writing the image metadata. */
final class Bytes {
  private byte[] buf;
  private int size;

  Bytes(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  private void ensure(int extra) {
    if (size + extra > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
  }

  void u8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
  }

  void u16(int v) {
    ensure(2);
    buf[size++] = (byte) v;
    buf[size++] = (byte) (v >>> 8);
  }

  void u32(int v) {
    ensure(4);
    for (int i = 0; i < 4; i++) buf[size++] = (byte) (v >>> (8 * i));
  }

  void u64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) buf[size++] = (byte) (v >>> (8 * i));
  }

  void varint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  void zigzag(long v) {
    varint((v << 1) ^ (v >> 63));
  }

  void string(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    varint(b.length);
    ensure(b.length);
    System.arraycopy(b, 0, buf, size, b.length);
    size += b.length;
  }

  void putU32At(int at, int v) {
    for (int i = 0; i < 4; i++) buf[at + i] = (byte) (v >>> (8 * i));
  }

  void putU64At(int at, long v) {
    for (int i = 0; i < 8; i++) buf[at + i] = (byte) (v >>> (8 * i));
  }

  int size() {
    return size;
  }

  byte[] array() {
    return buf;
  }
}
