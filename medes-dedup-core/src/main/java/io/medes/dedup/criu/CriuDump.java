package io.medes.dedup.criu;

import com.google.protobuf.InvalidProtocolBufferException;
import io.medes.dedup.criu.proto.CriuImages.InventoryEntry;
import io.medes.dedup.criu.proto.CriuImages.PagemapEntry;
import io.medes.dedup.criu.proto.CriuImages.PagemapHead;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The memory part of a CRIU dump directory: its inventory version and every pagemap with the pages
 * image it describes, ordered by pages id. The global page order of a dump (used by dedup images and
 * base page references) is the pages images' pages concatenated in that order.
 */
public final class CriuDump {
  private final Path directory;
  private final int imageVersion;
  private final List<PagesImage> pagesImages;
  private final long pageCount;

  private CriuDump(Path directory, int imageVersion, List<PagesImage> pagesImages) {
    this.directory = directory;
    this.imageVersion = imageVersion;
    this.pagesImages = Collections.unmodifiableList(pagesImages);
    long n = 0;
    for (PagesImage p : pagesImages) n += p.pageCount();
    this.pageCount = n;
  }

  /**
   * Reads {@code inventory.img} and all {@code pagemap-*.img} of {@code directory}. With
   * {@code requirePages}, also checks that each pages image exists with exactly the size its pagemap
   * announces (a dedup state has no pages images, so reading one passes false).
   */
  public static CriuDump open(Path directory, boolean requirePages) throws IOException {
    Path inventory = directory.resolve(CriuImageFormat.INVENTORY_FILE);
    if (!Files.isRegularFile(inventory)) {
      throw new CriuImageException(inventory, 0, "missing: not a CRIU dump directory");
    }
    List<ImageEntry> inv = ProtobufImageFile.read(inventory, CriuImageFormat.INVENTORY_MAGIC);
    if (inv.size() != 1) {
      throw new CriuImageException(inventory, 4, "expected one inventory entry, found " + inv.size());
    }
    InventoryEntry inventoryEntry = parse(inventory, inv.get(0), InventoryEntry.parser());
    int version = inventoryEntry.getImgVersion();
    if (version != CriuImageFormat.IMAGES_V1_1) {
      throw new CriuImageException(inventory, inv.get(0).offset,
          "unsupported img_version " + version + " (only " + CriuImageFormat.IMAGES_V1_1 + " is supported)");
    }

    List<Path> pagemaps = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "pagemap-*.img")) {
      for (Path f : files) pagemaps.add(f);
    }
    Collections.sort(pagemaps);
    List<PagesImage> images = new ArrayList<>();
    Map<Integer, Path> seen = new HashMap<>();
    for (Path pagemap : pagemaps) {
      PagesImage image = readPagemap(pagemap);
      Path earlier = seen.put(image.pagesId(), pagemap);
      if (earlier != null) {
        throw new CriuImageException(pagemap, 8,
            "pages id " + image.pagesId() + " is also claimed by " + earlier.getFileName());
      }
      if (requirePages) checkPagesFile(image);
      images.add(image);
    }
    images.sort(Comparator.comparingInt(PagesImage::pagesId));
    return new CriuDump(directory, version, images);
  }

  /** Same as {@code open(directory, true)}. */
  public static CriuDump open(Path directory) throws IOException {
    return open(directory, true);
  }

  static PagesImage readPagemap(Path pagemap) throws IOException {
    List<ImageEntry> entries = ProtobufImageFile.read(pagemap, CriuImageFormat.PAGEMAP_MAGIC);
    if (entries.isEmpty()) {
      throw new CriuImageException(pagemap, 8, "truncated: no pagemap head");
    }
    PagemapHead head = parse(pagemap, entries.get(0), PagemapHead.parser());
    if (!head.hasPagesId()) {
      throw new CriuImageException(pagemap, entries.get(0).offset, "pagemap head without pages_id");
    }
    List<PagemapRun> runs = new ArrayList<>(entries.size() - 1);
    for (int i = 1; i < entries.size(); i++) {
      ImageEntry e = entries.get(i);
      PagemapEntry pe = parse(pagemap, e, PagemapEntry.parser());
      if (!pe.hasVaddr()) {
        throw new CriuImageException(pagemap, e.offset, "pagemap entry without vaddr");
      }
      // Same defaults CRIU applies to images of older versions.
      int flags;
      if (pe.hasInParent() && pe.getInParent()) {
        flags = pe.getFlags() | CriuImageFormat.PE_PARENT;
      } else if (!pe.hasFlags()) {
        flags = CriuImageFormat.PE_PRESENT;
      } else {
        flags = pe.getFlags();
      }
      long nrPages = pe.hasNrPages() ? pe.getNrPages() : Integer.toUnsignedLong(pe.getCompatNrPages());
      if ((flags & ~CriuImageFormat.KNOWN_PAGEMAP_FLAGS) != 0) {
        throw new CriuImageException(pagemap, e.offset, "unknown pagemap flags " + flags);
      }
      if ((flags & CriuImageFormat.PE_PARENT) != 0) {
        throw new CriuImageException(pagemap, e.offset,
            "pages in a parent snapshot (incremental dump) are not supported");
      }
      if (nrPages < 0 || nrPages > Integer.MAX_VALUE) {
        throw new CriuImageException(pagemap, e.offset, "implausible nr_pages " + Long.toUnsignedString(nrPages));
      }
      runs.add(new PagemapRun(pe.getVaddr(), nrPages, flags));
    }
    return new PagesImage(pagemap, head.getPagesId(), runs);
  }

  private static void checkPagesFile(PagesImage image) throws IOException {
    Path pages = image.pagesFile();
    long expected = image.pageCount() * CriuImageFormat.PAGE_SIZE;
    if (!Files.exists(pages)) {
      if (expected == 0) return;
      throw new CriuImageException(pages, 0,
          "missing pages image for " + image.pagemapFile().getFileName() + " (" + image.pageCount() + " pages)");
    }
    long size = Files.size(pages);
    if (size != expected) {
      throw new CriuImageException(pages, Math.min(size, expected), "pages image has " + size
          + " bytes, pagemap " + image.pagemapFile().getFileName() + " announces " + expected);
    }
  }

  private static <T> T parse(Path file, ImageEntry entry, com.google.protobuf.Parser<T> parser)
      throws CriuImageException {
    try {
      return parser.parseFrom(entry.payload);
    } catch (InvalidProtocolBufferException e) {
      throw new CriuImageException(file, entry.offset, "undecodable protobuf entry: " + e.getMessage(), e);
    }
  }

  public Path directory() { return directory; }
  public int imageVersion() { return imageVersion; }

  /** The pagemaps of the dump with their pages images, ordered by pages id. */
  public List<PagesImage> pagesImages() { return pagesImages; }

  /** Total number of pages stored in all pages images. */
  public long pageCount() { return pageCount; }
}
