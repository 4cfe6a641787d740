package io.medes.dedup.image;

import java.nio.charset.StandardCharsets;
import net.openhft.hashing.LongHashFunction;

/** Fixed parts of the dedup image layout (docs/dedup-format.md). */
final class ImageLayout {
  private ImageLayout() {}

  static final byte[] MAGIC = "MEDESDDP".getBytes(StandardCharsets.US_ASCII);
  static final int HEADER_SIZE = 40;
  static final int CHECKSUM_SIZE = 8;
  static final int FLAG_MASK_POINTERS = 1;
  static final LongHashFunction CHECKSUM = LongHashFunction.xx3(0x4d45444553L);
}
