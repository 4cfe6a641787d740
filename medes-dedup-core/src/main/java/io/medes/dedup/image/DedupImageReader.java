package io.medes.dedup.image;

import io.medes.dedup.codec.PatchCodecKind;
import io.medes.dedup.registry.BaseInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads and fully validates the header and index of a dedup image. */
public final class DedupImageReader {
  private DedupImageReader() {}

  /** A validated index and where the data section starts in the file. */
  public static final class Opened {
    private final DedupImage image;
    private final long dataOffset;

    Opened(DedupImage image, long dataOffset) {
      this.image = image;
      this.dataOffset = dataOffset;
    }

    public DedupImage image() { return image; }
    public long dataOffset() { return dataOffset; }
  }

  /**
   * Reads {@code file}'s header and metadata, checks magic, version, checksum, every index entry and the
   * file size. Never returns a partially valid image.
   */
  public static Opened read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer headBuf = ByteBuffer.allocate(ImageLayout.HEADER_SIZE);
      readFully(ch, headBuf, 0, file);
      byte[] head = headBuf.array();
      if (!Arrays.equals(Arrays.copyOf(head, 8), ImageLayout.MAGIC)) {
        throw new DedupImageException(file, 0, "not a Medes dedup image (bad magic)");
      }
      Reader h = new Reader(file, head, 8, ImageLayout.HEADER_SIZE);
      int version = h.u16();
      if (version != DedupImage.FORMAT_VERSION) {
        throw new DedupImageException(file, 8, "unsupported format version " + version);
      }
      int flags = h.u16();
      if (flags != 0) throw new DedupImageException(file, 10, "unknown header flags " + flags);
      int pageSize = h.u32();
      if (pageSize != DedupImage.PAGE_SIZE) throw new DedupImageException(file, 12, "unsupported page size " + pageSize);
      int metaLength = h.u32();
      int pageCount = h.u32();
      long dataOffset = h.u64();
      long dataLength = h.u64();
      long expectedDataOffset = ImageLayout.HEADER_SIZE + Integer.toUnsignedLong(metaLength) + ImageLayout.CHECKSUM_SIZE;
      if (metaLength < 0 || dataOffset != expectedDataOffset) {
        throw new DedupImageException(file, 16, "inconsistent metadata length " + Integer.toUnsignedString(metaLength)
            + " / data offset " + dataOffset);
      }
      if (dataLength < 0 || size != dataOffset + dataLength) {
        throw new DedupImageException(file, Math.min(size, dataOffset), "file has " + size + " bytes, header announces "
            + dataOffset + " + " + dataLength + " (truncated or extended)");
      }
      ByteBuffer all = ByteBuffer.allocate((int) dataOffset);
      readFully(ch, all, 0, file);
      byte[] bytes = all.array();
      long stored = ByteBuffer.wrap(bytes, (int) dataOffset - 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
      long actual = ImageLayout.CHECKSUM.hashBytes(bytes, 0, (int) dataOffset - 8);
      if (stored != actual) {
        throw new DedupImageException(file, dataOffset - 8, "header checksum mismatch");
      }
      DedupImage image = parseMetadata(file, bytes, ImageLayout.HEADER_SIZE, ImageLayout.HEADER_SIZE + metaLength,
          pageCount, dataLength);
      return new Opened(image, dataOffset);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) throw new DedupImageException(file, pos, "truncated: file ends inside the header");
      pos += n;
    }
  }

  private static DedupImage parseMetadata(Path file, byte[] bytes, int start, int end, int headerPageCount,
      long dataLength) throws DedupImageException {
    Reader r = new Reader(file, bytes, start, end);
    int codecId = r.u8();
    PatchCodecKind codec;
    try {
      codec = PatchCodecKind.byId(codecId);
    } catch (IllegalArgumentException e) {
      throw new DedupImageException(file, start, "unknown patch codec id " + codecId);
    }
    int level = (byte) r.u8();
    int chunksPerPage = r.u8();
    int fpFlags = r.u8();
    if ((fpFlags & ~ImageLayout.FLAG_MASK_POINTERS) != 0) throw r.error("unknown fingerprint flags " + fpFlags);
    BaseInfo sandbox = new BaseInfo(r.string("sandbox id"), r.string("node id"), r.string("namespace"),
        r.string("function"), r.string("runtime"));
    int baseCount = r.varint("base count", 1 << 20);
    List<DedupImage.BaseRef> bases = new ArrayList<>(baseCount);
    for (int i = 0; i < baseCount; i++) bases.add(new DedupImage.BaseRef(r.string("base id"), r.string("base node")));
    int fileCount = r.varint("pages file count", 1 << 20);
    List<DedupImage.PagesFile> files = new ArrayList<>(fileCount);
    long total = 0;
    for (int i = 0; i < fileCount; i++) {
      int pagesId = r.varint("pages id", Integer.MAX_VALUE);
      int pages = r.varint("pages file page count", Integer.MAX_VALUE);
      total += pages;
      files.add(new DedupImage.PagesFile(pagesId, pages));
    }
    int n = r.varint("page count", Integer.MAX_VALUE);
    if (n != total || n != headerPageCount) {
      throw r.error("page count " + n + " disagrees with pages files (" + total + ") or header (" + headerPageCount + ")");
    }
    byte[] kinds = new byte[n];
    int[] ref = new int[n];
    int[] basePage = new int[n];
    long[] offset = new long[n];
    int[] length = new int[n];
    long expectedOffset = 0;
    for (int i = 0; i < n; i++) {
      int at = r.position();
      PageKind kind = PageKind.byCode(r.u8());
      if (kind == null) throw new DedupImageException(file, at, "page " + i + ": unknown page kind");
      kinds[i] = (byte) kind.code();
      switch (kind) {
        case SAME:
        case PATCH:
          ref[i] = r.varint("page " + i + " base index", baseCount - 1L);
          long bp = i + r.zigzag();
          if (bp < 0 || bp > Integer.MAX_VALUE) throw r.error("page " + i + ": base page " + bp + " out of range");
          basePage[i] = (int) bp;
          if (kind == PageKind.PATCH) {
            offset[i] = expectedOffset + r.zigzag();
            length[i] = r.varint("page " + i + " patch length", DedupImage.PAGE_SIZE);
            if (length[i] == 0) throw r.error("page " + i + ": empty patch");
          }
          break;
        case RAW:
          offset[i] = expectedOffset + r.zigzag();
          length[i] = DedupImage.PAGE_SIZE;
          break;
        case COMPRESSED:
          offset[i] = expectedOffset + r.zigzag();
          length[i] = r.varint("page " + i + " compressed length", DedupImage.PAGE_SIZE);
          if (length[i] == 0) throw r.error("page " + i + ": empty compressed page");
          break;
        case COPY:
          ref[i] = r.varint("page " + i + " copy source", Math.max(0, i - 1L));
          if (i == 0 || PageKind.byCode(kinds[ref[i]]) == PageKind.COPY) {
            throw new DedupImageException(file, at, "page " + i + ": copy must name an earlier page that is not a copy");
          }
          break;
        case ZERO:
          break;
        default:
          throw new AssertionError(kind);
      }
      if (kind.hasData()) {
        if (offset[i] < 0 || offset[i] + length[i] > dataLength) {
          throw new DedupImageException(file, at, "page " + i + ": data [" + offset[i] + ", +" + length[i]
              + ") outside the data section of " + dataLength + " bytes");
        }
        expectedOffset = offset[i] + length[i];
      }
    }
    long[] hashes = new long[2 * n];
    for (int i = 0; i < 2 * n; i++) hashes[i] = r.u64();
    if (r.position() != end) throw r.error((end - r.position()) + " unexpected bytes after the page hashes");
    return new DedupImage(sandbox, codec, level, chunksPerPage, (fpFlags & ImageLayout.FLAG_MASK_POINTERS) != 0, bases,
        files, kinds, ref, basePage, offset, length, hashes, dataLength);
  }
}
