package io.medes.dedup.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** Writes a dedup image file: header, metadata (index and hashes), checksum, data. */
public final class DedupImageWriter {
  private DedupImageWriter() {}

  /** A slice of the data section: {@code bytes[0 .. length)}. */
  public static final class DataChunk {
    final byte[] bytes;
    final int length;

    public DataChunk(byte[] bytes, int length) {
      this.bytes = bytes;
      this.length = length;
    }
  }

  /**
   * Writes {@code image} with its data section (the concatenation of {@code data}) to {@code file},
   * durably and atomically: a temporary sibling is written, forced to disk, then renamed.
   *
   * @return the size of the written file
   */
  public static long write(Path file, DedupImage image, List<DataChunk> data) throws IOException {
    long dataLength = 0;
    for (DataChunk c : data) dataLength += c.length;
    if (dataLength != image.dataLength()) {
      throw new IllegalArgumentException("data chunks hold " + dataLength + " bytes, index says " + image.dataLength());
    }
    Bytes meta = metadata(image);
    Bytes head = new Bytes(ImageLayout.HEADER_SIZE + meta.size() + ImageLayout.CHECKSUM_SIZE);
    for (byte b : ImageLayout.MAGIC) head.u8(b);
    head.u16(DedupImage.FORMAT_VERSION);
    head.u16(0);
    head.u32(DedupImage.PAGE_SIZE);
    head.u32(meta.size());
    head.u32(image.pageCount());
    long dataOffset = ImageLayout.HEADER_SIZE + (long) meta.size() + ImageLayout.CHECKSUM_SIZE;
    head.u64(dataOffset);
    head.u64(dataLength);
    for (int i = 0; i < meta.size(); i++) head.u8(meta.array()[i]);
    head.u64(ImageLayout.CHECKSUM.hashBytes(head.array(), 0, head.size()));

    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(ch, ByteBuffer.wrap(head.array(), 0, head.size()));
      for (DataChunk c : data) writeFully(ch, ByteBuffer.wrap(c.bytes, 0, c.length));
      ch.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return dataOffset + dataLength;
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) ch.write(b);
  }

  static Bytes metadata(DedupImage image) {
    int n = image.pageCount();
    Bytes m = new Bytes(64 + n * 24);
    m.u8(image.codec().id());
    m.u8(image.codecLevel());
    m.u8(image.chunksPerPage());
    m.u8(image.maskPointers() ? ImageLayout.FLAG_MASK_POINTERS : 0);
    m.string(image.sandbox().baseId());
    m.string(image.sandbox().nodeId());
    m.string(image.sandbox().namespace());
    m.string(image.sandbox().function());
    m.string(image.sandbox().runtime());
    m.varint(image.bases().size());
    for (DedupImage.BaseRef b : image.bases()) {
      m.string(b.baseId());
      m.string(b.nodeId());
    }
    m.varint(image.pagesFiles().size());
    for (DedupImage.PagesFile f : image.pagesFiles()) {
      m.varint(f.pagesId());
      m.varint(f.pageCount());
    }
    m.varint(n);
    byte[] kinds = image.kindsArray();
    int[] ref = image.referenceArray();
    int[] basePage = image.basePageArray();
    long[] offset = image.offsetArray();
    int[] length = image.lengthArray();
    long expectedOffset = 0;
    for (int i = 0; i < n; i++) {
      PageKind kind = PageKind.byCode(kinds[i]);
      m.u8(kind.code());
      switch (kind) {
        case SAME:
          m.varint(ref[i]);
          m.zigzag((long) basePage[i] - i);
          break;
        case PATCH:
          m.varint(ref[i]);
          m.zigzag((long) basePage[i] - i);
          m.zigzag(offset[i] - expectedOffset);
          m.varint(length[i]);
          expectedOffset = offset[i] + length[i];
          break;
        case RAW:
          m.zigzag(offset[i] - expectedOffset);
          expectedOffset = offset[i] + DedupImage.PAGE_SIZE;
          break;
        case COMPRESSED:
          m.zigzag(offset[i] - expectedOffset);
          m.varint(length[i]);
          expectedOffset = offset[i] + length[i];
          break;
        case COPY:
          m.varint(ref[i]);
          break;
        case ZERO:
          break;
        default:
          throw new AssertionError(kind);
      }
    }
    long[] hashes = image.hashArray();
    for (long h : hashes) m.u64(h);
    return m;
  }
}
