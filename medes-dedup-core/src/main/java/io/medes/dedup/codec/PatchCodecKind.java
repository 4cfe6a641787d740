package io.medes.dedup.codec;

import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The selectable patch codecs. Names and ids are part of the dedup image format: an image records the
 * codec that wrote it. Measured comparison: docs/dedup-codecs.md; {@link #AUTO} is the default.
 */
public enum PatchCodecKind {
  /** zstd with the base page loaded as a raw-content (prefix) dictionary. */
  ZSTD_PREFIX(1, "zstd-prefix", 3, ZstdPrefixCodec::new),
  /** Byte-wise XOR with the base page, then LZ4. */
  XOR_LZ4(2, "xor-lz4", 0, level -> new XorCodec(XorCodec.Backend.LZ4, level)),
  /** VCDIFF (RFC 3284, open-vcdiff's encoder) with the base page as source window. */
  VCDIFF(3, "vcdiff", 0, level -> new VcdiffCodec()),
  /** Byte-wise XOR with the base page, then zstd. */
  XOR_ZSTD(4, "xor-zstd", 3, level -> new XorCodec(XorCodec.Backend.ZSTD, level)),
  /**
   * 64-bit little-endian word-wise subtraction of the base page, then zstd: pointers into a region
   * that ASLR moved by a constant become one repeated word.
   */
  SUB64_ZSTD(5, "sub64-zstd", 3, level -> new Sub64Codec(level)),
  /** Per page the smaller of sub64-zstd and zstd-prefix against the same base page (1-byte tag). */
  AUTO(6, "auto", 3, AutoCodec::new);

  private final int id;
  private final String configName;
  private final int defaultLevel;
  private final IntFunction<PatchCodec> factory;

  PatchCodecKind(int id, String configName, int defaultLevel, IntFunction<PatchCodec> factory) {
    this.id = id;
    this.configName = configName;
    this.defaultLevel = defaultLevel;
    this.factory = factory;
  }

  /** Stable numeric id written into dedup images. */
  public int id() { return id; }

  /** Name used in configuration and reports. */
  public String configName() { return configName; }

  /** Compression level used when none is configured (0 = the codec has no levels). */
  public int defaultLevel() { return defaultLevel; }

  /** A new codec instance (not thread-safe; one per thread). */
  public PatchCodec newCodec(int level) {
    return factory.apply(level);
  }

  public static PatchCodecKind byId(int id) {
    for (PatchCodecKind k : values()) {
      if (k.id == id) return k;
    }
    throw new IllegalArgumentException("unknown patch codec id " + id);
  }

  public static PatchCodecKind byName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (PatchCodecKind k : values()) {
      if (k.configName.equals(n)) return k;
    }
    StringBuilder known = new StringBuilder();
    for (PatchCodecKind k : values()) known.append(known.length() == 0 ? "" : ", ").append(k.configName);
    throw new IllegalArgumentException("unknown patch codec '" + name + "' (known: " + known + ")");
  }
}
