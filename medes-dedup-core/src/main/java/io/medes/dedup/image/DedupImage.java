package io.medes.dedup.image;

import io.medes.dedup.codec.PatchCodecKind;
import io.medes.dedup.registry.BaseInfo;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The index of a deduplicated checkpoint: for every page of the dump (in dump order) its kind, its base
 * or copy reference, where its bytes lie in the data section, and the strong hash of the original page;
 * plus what the restorer needs to know (codec, bases, pages images). The on-disk layout is specified in
 * docs/dedup-format.md and implemented by {@link DedupImageWriter} / {@link DedupImageReader}.
 */
public final class DedupImage {
  /** File name of the dedup image inside a dedup state directory. */
  public static final String FILE_NAME = "medes-dedup.img";
  public static final int FORMAT_VERSION = 1;
  public static final int PAGE_SIZE = 4096;

  /** A base sandbox referenced by the image, and the node that holds its pages. */
  public static final class BaseRef {
    private final String baseId;
    private final String nodeId;

    public BaseRef(String baseId, String nodeId) {
      this.baseId = baseId;
      this.nodeId = nodeId;
    }

    public String baseId() { return baseId; }
    public String nodeId() { return nodeId; }

    @Override
    public String toString() { return baseId + "@" + nodeId; }
  }

  /** One pages image of the dump: its pages id and number of pages. */
  public static final class PagesFile {
    private final int pagesId;
    private final int pageCount;

    public PagesFile(int pagesId, int pageCount) {
      this.pagesId = pagesId;
      this.pageCount = pageCount;
    }

    public int pagesId() { return pagesId; }
    public int pageCount() { return pageCount; }
  }

  private final BaseInfo sandbox;
  private final PatchCodecKind codec;
  private final int codecLevel;
  private final int chunksPerPage;
  private final boolean maskPointers;
  private final List<BaseRef> bases;
  private final List<PagesFile> pagesFiles;
  private final byte[] kinds;
  /** SAME/PATCH: index into bases; COPY: source page; otherwise 0. */
  private final int[] reference;
  /** SAME/PATCH: page index in the base; otherwise 0. */
  private final int[] basePage;
  private final long[] offset;
  private final int[] length;
  private final long[] hashes;
  private final long dataLength;

  /**
   * Creates an index. Arrays are taken, not copied; {@code hashes} holds two longs per page (low,
   * high).
   */
  public DedupImage(BaseInfo sandbox, PatchCodecKind codec, int codecLevel, int chunksPerPage, boolean maskPointers,
      List<BaseRef> bases, List<PagesFile> pagesFiles, byte[] kinds, int[] reference, int[] basePage, long[] offset,
      int[] length, long[] hashes, long dataLength) {
    int n = kinds.length;
    if (reference.length != n || basePage.length != n || offset.length != n || length.length != n
        || hashes.length != 2 * n) {
      throw new IllegalArgumentException("index arrays disagree on the page count " + n);
    }
    long total = 0;
    for (PagesFile f : pagesFiles) total += f.pageCount();
    if (total != n) throw new IllegalArgumentException("pages files hold " + total + " pages, index has " + n);
    this.sandbox = sandbox;
    this.codec = codec;
    this.codecLevel = codecLevel;
    this.chunksPerPage = chunksPerPage;
    this.maskPointers = maskPointers;
    this.bases = Collections.unmodifiableList(bases);
    this.pagesFiles = Collections.unmodifiableList(pagesFiles);
    this.kinds = kinds;
    this.reference = reference;
    this.basePage = basePage;
    this.offset = offset;
    this.length = length;
    this.hashes = hashes;
    this.dataLength = dataLength;
  }

  /** The sandbox whose checkpoint this is (its id is the sandbox id). */
  public BaseInfo sandbox() { return sandbox; }
  public PatchCodecKind codec() { return codec; }
  public int codecLevel() { return codecLevel; }
  public int chunksPerPage() { return chunksPerPage; }
  public boolean maskPointers() { return maskPointers; }
  public List<BaseRef> bases() { return bases; }
  public List<PagesFile> pagesFiles() { return pagesFiles; }
  public int pageCount() { return kinds.length; }
  public long dataLength() { return dataLength; }

  public PageKind kind(int page) { return PageKind.byCode(kinds[page]); }
  public int baseIndex(int page) { return reference[page]; }
  public int copySource(int page) { return reference[page]; }
  public int basePage(int page) { return basePage[page]; }
  public long dataOffset(int page) { return offset[page]; }
  public int dataLength(int page) { return length[page]; }
  public long hashLow(int page) { return hashes[2 * page]; }
  public long hashHigh(int page) { return hashes[2 * page + 1]; }

  /** Number of pages of each kind, indexed by {@link PageKind#ordinal()}. */
  public int[] kindCounts() {
    int[] counts = new int[PageKind.values().length];
    for (byte k : kinds) counts[PageKind.byCode(k).ordinal()]++;
    return counts;
  }

  byte[] kindsArray() { return kinds; }
  int[] referenceArray() { return reference; }
  int[] basePageArray() { return basePage; }
  long[] offsetArray() { return offset; }
  int[] lengthArray() { return length; }
  long[] hashArray() { return hashes; }

  @Override
  public String toString() {
    return "DedupImage{" + sandbox.baseId() + ", " + kinds.length + " pages, " + codec.configName() + ", bases "
        + bases + ", kinds " + Arrays.toString(kindCounts()) + "}";
  }
}
