package io.medes.dedup.image;

/** How one page of a deduplicated checkpoint is stored. Codes are part of the image format. */
public enum PageKind {
  /** All zero bytes; nothing stored. */
  ZERO(0),
  /** Byte-identical to a base page; only the reference is stored. */
  SAME(1),
  /** A delta patch against a base page. */
  PATCH(2),
  /** The page's 4096 bytes, uncompressed. */
  RAW(3),
  /** The page compressed on its own (no base) with the image's codec. */
  COMPRESSED(4),
  /** Byte-identical to an earlier page of the same checkpoint. */
  COPY(5);

  private final int code;

  PageKind(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  private static final PageKind[] BY_CODE = {ZERO, SAME, PATCH, RAW, COMPRESSED, COPY};

  /** The kind with this code, or null if the code is unknown. */
  public static PageKind byCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  /** Whether pages of this kind carry bytes in the data section. */
  public boolean hasData() {
    return this == PATCH || this == RAW || this == COMPRESSED;
  }

  /** Whether pages of this kind refer to a base page. */
  public boolean usesBase() {
    return this == SAME || this == PATCH;
  }
}
