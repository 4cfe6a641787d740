package io.medes.dedup;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.medes.dedup.codec.PatchCodecKind;
import io.medes.dedup.page.FingerprintScheme;
import io.medes.dedup.page.PageFingerprinter;
import io.medes.dedup.registry.SharingScope;
import java.util.Locale;

/**
 * Typed, validated view of {@code whisk.medes.dedup} (see reference.conf for what each key means).
 * Construction fails with a {@link ConfigException.BadValue} naming the key for any invalid value.
 */
public final class DedupSettings {
  public static final String PATH = "whisk.medes.dedup";

  private final FingerprintScheme scheme;
  private final PatchCodecKind codec;
  private final int codecLevel;
  private final int maxPatchBytes;
  private final int compareAloneAbove;
  private final boolean compressRawPages;
  private final SharingScope sharingScope;
  private final boolean sameIndexCandidate;
  private final int secondCandidateAbove;
  private final int maxRefsPerFingerprint;
  private final int maxBasesPerImage;
  private final int lookupBatchSize;
  private final int threads;

  private DedupSettings(Builder b) {
    this.scheme = new FingerprintScheme(b.chunksPerPage, b.maskPointers);
    this.codec = b.codec;
    this.codecLevel = b.codecLevel;
    this.maxPatchBytes = b.maxPatchBytes;
    this.compareAloneAbove = b.compareAloneAbove;
    this.compressRawPages = b.compressRawPages;
    this.sharingScope = b.sharingScope;
    this.sameIndexCandidate = b.sameIndexCandidate;
    this.secondCandidateAbove = b.secondCandidateAbove;
    this.maxRefsPerFingerprint = b.maxRefsPerFingerprint;
    this.maxBasesPerImage = b.maxBasesPerImage;
    this.lookupBatchSize = b.lookupBatchSize;
    this.threads = b.threads;
  }

  /** Reads and validates the settings at {@code whisk.medes.dedup} of {@code config}. */
  public static DedupSettings fromConfig(Config config) {
    Config c = config.getConfig(PATH);
    Builder b = builder();
    b.chunksPerPage = intIn(c, "chunks-per-page", 1, PageFingerprinter.MAX_CHUNKS_PER_PAGE);
    b.maskPointers = c.getBoolean("mask-pointers");
    try {
      b.codec = PatchCodecKind.byName(c.getString("codec"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException.BadValue(c.origin(), PATH + ".codec", e.getMessage());
    }
    b.codecLevel = c.getInt("codec-level") == 0 ? b.codec.defaultLevel() : intIn(c, "codec-level", -7, 22);
    b.maxPatchBytes = intIn(c, "max-patch-bytes", 1, 4096);
    b.compareAloneAbove = intIn(c, "compare-alone-above-bytes", 0, 4096);
    b.compressRawPages = c.getBoolean("compress-raw-pages");
    String scope = c.getString("sharing-scope");
    try {
      b.sharingScope = SharingScope.valueOf(scope.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new ConfigException.BadValue(c.origin(), PATH + ".sharing-scope",
          "'" + scope + "' is none of same-function, same-namespace, same-runtime, any");
    }
    b.sameIndexCandidate = c.getBoolean("same-index-candidate");
    b.secondCandidateAbove = intIn(c, "second-candidate-above-bytes", 0, 4096);
    b.maxRefsPerFingerprint = intIn(c, "max-refs-per-fingerprint", 1, 1 << 16);
    b.maxBasesPerImage = intIn(c, "max-bases-per-image", 1, 1 << 10);
    b.lookupBatchSize = intIn(c, "lookup-batch-size", 1, 1 << 24);
    b.threads = intIn(c, "threads", 0, 4096);
    return b.build();
  }

  private static int intIn(Config c, String key, int min, int max) {
    int v = c.getInt(key);
    if (v < min || v > max) {
      throw new ConfigException.BadValue(c.origin(), PATH + "." + key, v + " is outside [" + min + ", " + max + "]");
    }
    return v;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.chunksPerPage = scheme.chunksPerPage();
    b.maskPointers = scheme.maskPointers();
    b.codec = codec;
    b.codecLevel = codecLevel;
    b.maxPatchBytes = maxPatchBytes;
    b.compareAloneAbove = compareAloneAbove;
    b.compressRawPages = compressRawPages;
    b.sharingScope = sharingScope;
    b.sameIndexCandidate = sameIndexCandidate;
    b.secondCandidateAbove = secondCandidateAbove;
    b.maxRefsPerFingerprint = maxRefsPerFingerprint;
    b.maxBasesPerImage = maxBasesPerImage;
    b.lookupBatchSize = lookupBatchSize;
    b.threads = threads;
    return b;
  }

  public FingerprintScheme scheme() { return scheme; }
  public PatchCodecKind codec() { return codec; }
  public int codecLevel() { return codecLevel; }
  /** A patch is kept only if it is shorter than this (and than the page compressed alone). */
  public int maxPatchBytes() { return maxPatchBytes; }
  /** Patches at least this long are compared with the page compressed alone; shorter ones are kept. */
  public int compareAloneAbove() { return compareAloneAbove; }
  public boolean compressRawPages() { return compressRawPages; }
  public SharingScope sharingScope() { return sharingScope; }
  public boolean sameIndexCandidate() { return sameIndexCandidate; }
  /** The second candidate base page is encoded only if the first one's patch is longer than this. */
  public int secondCandidateAbove() { return secondCandidateAbove; }
  public int maxRefsPerFingerprint() { return maxRefsPerFingerprint; }
  public int maxBasesPerImage() { return maxBasesPerImage; }
  public int lookupBatchSize() { return lookupBatchSize; }
  /** Worker threads for dedup and restore; 0 = one per available processor. */
  public int threads() { return threads; }

  public int effectiveThreads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }

  /** Settings built in code (tests, tools); starts from the reference defaults. */
  public static final class Builder {
    private int chunksPerPage = 5;
    private boolean maskPointers = true;
    private PatchCodecKind codec = PatchCodecKind.AUTO;
    private int codecLevel = PatchCodecKind.AUTO.defaultLevel();
    private int maxPatchBytes = 3072;
    private int compareAloneAbove = 2048;
    private boolean compressRawPages = true;
    private SharingScope sharingScope = SharingScope.SAME_NAMESPACE;
    private boolean sameIndexCandidate = true;
    private int secondCandidateAbove = 1024;
    private int maxRefsPerFingerprint = 32;
    private int maxBasesPerImage = 16;
    private int lookupBatchSize = 8192;
    private int threads = 0;

    public Builder chunksPerPage(int v) { chunksPerPage = v; return this; }
    public Builder maskPointers(boolean v) { maskPointers = v; return this; }
    public Builder codec(PatchCodecKind v, int level) { codec = v; codecLevel = level; return this; }
    public Builder codec(PatchCodecKind v) { return codec(v, v.defaultLevel()); }
    public Builder maxPatchBytes(int v) { maxPatchBytes = v; return this; }
    public Builder compareAloneAbove(int v) { compareAloneAbove = v; return this; }
    public Builder compressRawPages(boolean v) { compressRawPages = v; return this; }
    public Builder sharingScope(SharingScope v) { sharingScope = v; return this; }
    public Builder sameIndexCandidate(boolean v) { sameIndexCandidate = v; return this; }
    public Builder secondCandidateAbove(int v) { secondCandidateAbove = v; return this; }
    public Builder maxRefsPerFingerprint(int v) { maxRefsPerFingerprint = v; return this; }
    public Builder maxBasesPerImage(int v) { maxBasesPerImage = v; return this; }
    public Builder lookupBatchSize(int v) { lookupBatchSize = v; return this; }
    public Builder threads(int v) { threads = v; return this; }

    public DedupSettings build() {
      if (maxPatchBytes < 1 || maxPatchBytes > 4096) throw new IllegalArgumentException("max-patch-bytes " + maxPatchBytes);
      if (maxRefsPerFingerprint < 1) throw new IllegalArgumentException("max-refs-per-fingerprint " + maxRefsPerFingerprint);
      if (maxBasesPerImage < 1) throw new IllegalArgumentException("max-bases-per-image " + maxBasesPerImage);
      if (lookupBatchSize < 1) throw new IllegalArgumentException("lookup-batch-size " + lookupBatchSize);
      if (threads < 0) throw new IllegalArgumentException("threads " + threads);
      return new DedupSettings(this);
    }
  }
}
