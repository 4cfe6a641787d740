package io.medes.dedup.criu;

/**
 * Constants of CRIU's on-disk image format (CRIU 3.x/4.x, "images v1.1"). Every protobuf image starts
 * with a little-endian u32 common magic and a u32 type magic (inventory.img only with its type magic);
 * then come entries, each a u32 little-endian length followed by that many bytes of protobuf. Pages
 * images ({@code pages-<id>.img}) are raw page contents without any header.
 */
public final class CriuImageFormat {
  private CriuImageFormat() {}

  /** Page size of the images this module handles (x86-64, arm64 with 4 KiB pages). */
  public static final int PAGE_SIZE = 4096;

  public static final int IMG_COMMON_MAGIC = 0x54564319;
  public static final int IMG_SERVICE_MAGIC = 0x55105940;
  public static final int INVENTORY_MAGIC = 0x58313116;
  public static final int PAGEMAP_MAGIC = 0x56084025;

  /** inventory img_version of images with the common magic in front of every other image. */
  public static final int IMAGES_V1_1 = 2;

  /** Pagemap flag: the pages are in the parent (pre-dump) snapshot, not in this one. */
  public static final int PE_PARENT = 1;
  /** Pagemap flag: the pages may be restored lazily (userfaultfd). */
  public static final int PE_LAZY = 1 << 1;
  /** Pagemap flag: the pages' contents are in this dump's pages image. */
  public static final int PE_PRESENT = 1 << 2;

  static final int KNOWN_PAGEMAP_FLAGS = PE_PARENT | PE_LAZY | PE_PRESENT;

  /** An entry larger than this is treated as corruption rather than allocated. */
  static final int MAX_ENTRY_BYTES = 64 << 20;

  public static final String INVENTORY_FILE = "inventory.img";
}
