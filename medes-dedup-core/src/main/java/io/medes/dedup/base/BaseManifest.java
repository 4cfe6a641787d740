package io.medes.dedup.base;

import io.medes.dedup.page.FingerprintScheme;
import io.medes.dedup.page.PageDigests;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import net.openhft.hashing.LongHashFunction;

/**
 * What a base keeps about its own pages beside its checkpoint: every page's strong hash (identical
 * pages become references without a patch) and fingerprints (to register them again after a restart),
 * with the fingerprint scheme they were made with. Stored as {@value #FILE_NAME} in the base's dump
 * directory.
 *
 * <p>Layout (little-endian): magic "MEDESBMF", u16 version 1, u8 chunks-per-page, u8 flags (bit 0:
 * pointer masking), u32 page count; per page: i8 fingerprint count (-1 = zero page), that many u64
 * fingerprints, u64 hash low, u64 hash high; finally u64 XXH3 of everything before it.
 */
public final class BaseManifest {
  public static final String FILE_NAME = "medes-base.manifest";
  private static final byte[] MAGIC = "MEDESBMF".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final LongHashFunction CHECKSUM = LongHashFunction.xx3(0x4d45444553L);

  private final PageDigests digests;

  public BaseManifest(PageDigests digests) {
    this.digests = digests;
  }

  public PageDigests digests() { return digests; }
  public FingerprintScheme scheme() { return digests.scheme(); }
  public int pageCount() { return digests.pageCount(); }

  /** Writes the manifest atomically to {@code file}. */
  public void write(Path file) throws IOException {
    int n = digests.pageCount();
    int k = digests.chunksPerPage();
    long size = 16L + n * (1L + 16) + 8;
    for (int i = 0; i < n; i++) size += 8L * digests.fingerprintCount(i);
    if (size > Integer.MAX_VALUE) throw new IOException("manifest too large: " + size + " bytes");
    ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putShort((short) VERSION).put((byte) k).put((byte) (digests.scheme().maskPointers() ? 1 : 0)).putInt(n);
    for (int i = 0; i < n; i++) {
      int c = digests.rawCount(i);
      b.put((byte) c);
      for (int j = 0; j < c; j++) b.putLong(digests.fingerprint(i, j));
      b.putLong(digests.hashLow(i)).putLong(digests.hashHigh(i));
    }
    b.putLong(CHECKSUM.hashBytes(b.array(), 0, b.position()));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      b.flip();
      while (b.hasRemaining()) ch.write(b);
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads and verifies a manifest; any inconsistency is an {@link IOException} naming the offset. */
  public static BaseManifest read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    try {
      if (bytes.length < 24 || !Arrays.equals(Arrays.copyOf(bytes, 8), MAGIC)) {
        throw new IOException(file + ": not a base manifest");
      }
      long stored = ByteBuffer.wrap(bytes, bytes.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (stored != CHECKSUM.hashBytes(bytes, 0, bytes.length - 8)) {
        throw new IOException(file + " at offset " + (bytes.length - 8) + ": manifest checksum mismatch");
      }
      b.position(8);
      int version = b.getShort() & 0xffff;
      if (version != VERSION) throw new IOException(file + " at offset 8: unsupported manifest version " + version);
      int k = b.get() & 0xff;
      int flags = b.get() & 0xff;
      int n = b.getInt();
      if (n < 0 || (long) n * 17 > bytes.length) throw new IOException(file + " at offset 12: implausible page count " + n);
      FingerprintScheme scheme = new FingerprintScheme(k, (flags & 1) != 0);
      long[] hashes = new long[2 * n];
      long[] fps = new long[n * k];
      byte[] counts = new byte[n];
      for (int i = 0; i < n; i++) {
        int at = b.position();
        int c = b.get();
        if (c < -1 || c > k) throw new IOException(file + " at offset " + at + ": fingerprint count " + c);
        counts[i] = (byte) c;
        for (int j = 0; j < c; j++) fps[i * k + j] = b.getLong();
        hashes[2 * i] = b.getLong();
        hashes[2 * i + 1] = b.getLong();
      }
      if (b.position() != bytes.length - 8) {
        throw new IOException(file + " at offset " + b.position() + ": trailing bytes in manifest");
      }
      return new BaseManifest(PageDigests.of(scheme.chunksPerPage(), scheme.maskPointers(), hashes, fps, counts));
    } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
      throw new IOException(file + " at offset " + b.position() + ": truncated or corrupt manifest", e);
    }
  }
}
