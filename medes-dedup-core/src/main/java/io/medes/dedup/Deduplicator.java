package io.medes.dedup;

import io.medes.dedup.base.BaseManifest;
import io.medes.dedup.base.BasePageSource;
import io.medes.dedup.base.BaseUnavailableException;
import io.medes.dedup.codec.PatchCodec;
import io.medes.dedup.criu.CriuDump;
import io.medes.dedup.criu.MappedPages;
import io.medes.dedup.criu.PagesImage;
import io.medes.dedup.image.DedupImage;
import io.medes.dedup.image.DedupImageWriter;
import io.medes.dedup.image.PageKind;
import io.medes.dedup.page.PageArray;
import io.medes.dedup.page.PageDigests;
import io.medes.dedup.registry.BaseInfo;
import io.medes.dedup.registry.BasePageRef;
import io.medes.dedup.registry.FingerprintRegistry;
import io.medes.dedup.select.BasePageSelector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deduplicates a CRIU checkpoint against base pages: the dedup side of Medes.
 *
 * <ol>
 *   <li>Digest every page (zero test, strong hash, sampled fingerprints), in parallel.
 *   <li>Look all fingerprints up in the {@link FingerprintRegistry} (batched), keep the bases with the
 *       most hits (at most {@code max-bases-per-image}), load their manifests.
 *   <li>Per page: zero pages need nothing; a page identical to an earlier page of the same checkpoint
 *       becomes a copy, one identical to a base page (strong hash, then byte compare) a reference;
 *       otherwise the base page sharing most fingerprints is chosen ({@link BasePageSelector}), and the
 *       same-index page of a same-function base is tried too.
 *   <li>Encode patches in parallel; a patch is kept only if shorter than {@code max-patch-bytes} and
 *       than the page compressed alone, otherwise the page is stored compressed (or raw).
 *   <li>Write the dedup image (durably), then retain every base it references in the registry.
 * </ol>
 *
 * <p>Thread-safe; one instance serves any number of concurrent dedups.
 */
public final class Deduplicator {
  private static final Logger LOG = LoggerFactory.getLogger(Deduplicator.class);
  private static final int PAGE = PageArray.PAGE_SIZE;
  /** Pages per encoding task; bounds the base-page buffer of a task to a few MiB. */
  static final int PAGES_PER_TASK = 512;

  private final DedupSettings settings;
  private final FingerprintRegistry registry;
  private final BasePageSource source;
  private final Executor executor;
  private final FetchCost fetchCost;
  private final LongSupplier nanoClock;

  public Deduplicator(DedupSettings settings, FingerprintRegistry registry, BasePageSource source, Executor executor) {
    this(settings, registry, source, executor, FetchCost.localFirst(), System::nanoTime);
  }

  public Deduplicator(DedupSettings settings, FingerprintRegistry registry, BasePageSource source, Executor executor,
      FetchCost fetchCost, LongSupplier nanoClock) {
    this.settings = settings;
    this.registry = registry;
    this.source = source;
    this.executor = executor;
    this.fetchCost = fetchCost;
    this.nanoClock = nanoClock;
  }

  /**
   * Deduplicates the checkpoint in {@code dumpDirectory} of sandbox {@code sandbox} into
   * {@code imageFile}. The dump is only read; deleting its pages images afterwards is the caller's
   * decision.
   */
  public DedupResult dedup(Path dumpDirectory, BaseInfo sandbox, Path imageFile) throws IOException {
    long t0 = nanoClock.getAsLong();
    CriuDump dump = CriuDump.open(dumpDirectory);
    MappedPages pages = MappedPages.map(dump);
    PageDigests digests = PageDigests.compute(pages, settings.scheme(), executor);
    long t1 = nanoClock.getAsLong();
    Plan plan = plan(digests, sandbox);
    long t2 = nanoClock.getAsLong();
    Encoded encoded = encode(pages, digests, plan);
    long t3 = nanoClock.getAsLong();

    // Only bases that some page really uses go into the image.
    int[] imageBaseIndex = new int[plan.bases.size()];
    Arrays.fill(imageBaseIndex, -1);
    List<DedupImage.BaseRef> usedBases = new ArrayList<>();
    int n = digests.pageCount();
    for (int p = 0; p < n; p++) {
      if (PageKind.byCode(encoded.kinds[p]).usesBase()) {
        int b = encoded.reference[p];
        if (imageBaseIndex[b] < 0) {
          imageBaseIndex[b] = usedBases.size();
          BaseInfo info = plan.bases.get(b);
          usedBases.add(new DedupImage.BaseRef(info.baseId(), info.nodeId()));
        }
        encoded.reference[p] = imageBaseIndex[b];
      }
    }
    List<DedupImage.PagesFile> files = new ArrayList<>();
    for (PagesImage image : dump.pagesImages()) files.add(new DedupImage.PagesFile(image.pagesId(), (int) image.pageCount()));
    long[] hashes = new long[2 * n];
    for (int p = 0; p < n; p++) {
      hashes[2 * p] = digests.hashLow(p);
      hashes[2 * p + 1] = digests.hashHigh(p);
    }
    DedupImage image = new DedupImage(sandbox, settings.codec(), settings.codecLevel(),
        settings.scheme().chunksPerPage(), settings.scheme().maskPointers(), usedBases, files, encoded.kinds,
        encoded.reference, encoded.basePage, encoded.offset, encoded.length, hashes, encoded.dataLength);
    long size = DedupImageWriter.write(imageFile, image, encoded.chunks);
    long t4 = nanoClock.getAsLong();
    for (DedupImage.BaseRef b : usedBases) registry.retain(b.baseId());
    DedupResult result = new DedupResult(imageFile, image, size, t1 - t0, t2 - t1, t3 - t2, t4 - t3);
    LOG.debug("{}", result);
    return result;
  }

  /** Per-page decisions that need no page bytes: lookups, identical candidates, best base page. */
  static final class Plan {
    final List<BaseInfo> bases = new ArrayList<>();
    int[] copyOf;
    long[] identical;
    long[] best;
    long[] alternative;
  }

  Plan plan(PageDigests digests, BaseInfo sandbox) {
    int n = digests.pageCount();
    Plan plan = new Plan();

    plan.copyOf = new int[n];
    HashIndex own = new HashIndex(n);
    for (int p = 0; p < n; p++) {
      plan.copyOf[p] = -1;
      if (digests.isZero(p)) continue;
      int first = own.putIfAbsent(digests.hashLow(p), digests.hashHigh(p), p);
      if (first != p) plan.copyOf[p] = first;
    }

    // Batched lookups of every fingerprint of every non-zero page.
    int total = 0;
    for (int p = 0; p < n; p++) total += digests.fingerprintCount(p);
    long[] fps = new long[total];
    int[] fpStart = new int[n + 1];
    int[] keyStart = new int[n + 1];
    int f = 0;
    for (int p = 0; p < n; p++) {
      fpStart[p] = f;
      for (int j = 0; j < digests.fingerprintCount(p); j++) fps[f++] = digests.fingerprint(p, j);
    }
    fpStart[n] = f;
    Map<String, Integer> baseIndex = new LinkedHashMap<>();
    List<BaseInfo> candidates = new ArrayList<>();
    long[] hitCounts = new long[8];
    long[] keys = new long[Math.max(16, total * 2)];
    int keyCount = 0;
    int cap = settings.maxRefsPerFingerprint();
    int fpPos = 0;
    int page = 0;
    for (int batchStart = 0; batchStart < total; batchStart += settings.lookupBatchSize()) {
      int batchEnd = Math.min(total, batchStart + settings.lookupBatchSize());
      List<List<BasePageRef>> hits =
          registry.lookup(Arrays.copyOfRange(fps, batchStart, batchEnd), sandbox, settings.sharingScope());
      if (hits.size() != batchEnd - batchStart) {
        throw new IllegalStateException("registry answered " + hits.size() + " of " + (batchEnd - batchStart) + " lookups");
      }
      for (int i = 0; i < hits.size(); i++, fpPos++) {
        while (fpPos >= fpStart[page + 1]) {
          keyStart[++page] = keyCount;
        }
        List<BasePageRef> refs = hits.get(i);
        int m = Math.min(cap, refs.size());
        for (int r = 0; r < m; r++) {
          BasePageRef ref = refs.get(r);
          Integer b = baseIndex.get(ref.baseId());
          if (b == null) {
            Optional<BaseInfo> info = registry.base(ref.baseId());
            b = candidates.size();
            baseIndex.put(ref.baseId(), b);
            candidates.add(info.orElse(null));
            if (b == hitCounts.length) hitCounts = Arrays.copyOf(hitCounts, 2 * b);
          }
          if (candidates.get(b) == null) continue; // retired since the lookup
          if (keyCount == keys.length) keys = Arrays.copyOf(keys, keys.length * 2);
          keys[keyCount++] = BasePageSelector.key(b, ref.pageIndex());
          hitCounts[b]++;
        }
      }
    }
    while (page < n) keyStart[++page] = keyCount;

    // Keep the bases with most hits whose manifest is readable and made with our fingerprint scheme.
    Integer[] order = new Integer[candidates.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    long[] hits = hitCounts;
    Arrays.sort(order, (a, b) -> Long.compare(hits[b], hits[a]));
    int[] planIndex = new int[candidates.size()];
    Arrays.fill(planIndex, -1);
    List<BaseManifest> manifests = new ArrayList<>();
    for (Integer c : order) {
      if (plan.bases.size() >= settings.maxBasesPerImage()) break;
      BaseInfo info = candidates.get(c);
      if (info == null || hits[c] == 0) continue;
      BaseManifest manifest;
      try {
        manifest = source.manifest(info.baseId());
      } catch (BaseUnavailableException e) {
        LOG.warn("base {} skipped: {}", info.baseId(), e.getMessage());
        continue;
      }
      if (!manifest.scheme().equals(settings.scheme())) {
        LOG.warn("base {} skipped: fingerprint scheme {} differs from ours ({})", info.baseId(), manifest.scheme(),
            settings.scheme());
        continue;
      }
      planIndex[c] = plan.bases.size();
      plan.bases.add(info);
      manifests.add(manifest);
    }

    // The same-function base with most hits lends its same-index pages as extra candidates.
    int home = -1;
    if (settings.sameIndexCandidate()) {
      for (int b = 0; b < plan.bases.size(); b++) {
        BaseInfo info = plan.bases.get(b);
        if (info.namespace().equals(sandbox.namespace()) && info.function().equals(sandbox.function())) {
          home = b;
          break; // plan.bases is ordered by hits
        }
      }
    }

    int indexed = 0;
    for (BaseManifest m : manifests) indexed += m.pageCount();
    HashIndex baseHashes = new HashIndex(indexed);
    List<Long> identicalKeys = new ArrayList<>();
    for (int b = 0; b < manifests.size(); b++) {
      PageDigests d = manifests.get(b).digests();
      for (int q = 0; q < d.pageCount(); q++) {
        if (d.isZero(q)) continue;
        int v = baseHashes.putIfAbsent(d.hashLow(q), d.hashHigh(q), identicalKeys.size());
        if (v == identicalKeys.size()) identicalKeys.add(BasePageSelector.key(b, q));
      }
    }

    boolean[] sameNode = new boolean[plan.bases.size()];
    double[] cost = new double[plan.bases.size()];
    for (int b = 0; b < sameNode.length; b++) {
      sameNode[b] = plan.bases.get(b).nodeId().equals(sandbox.nodeId());
      cost[b] = fetchCost.cost(sandbox, plan.bases.get(b));
    }
    BasePageSelector selector = new BasePageSelector(sameNode, cost);
    PageDigests homeDigests = home >= 0 ? manifests.get(home).digests() : null;

    plan.identical = new long[n];
    plan.best = new long[n];
    plan.alternative = new long[n];
    long[] scratch = new long[16];
    for (int p = 0; p < n; p++) {
      plan.identical[p] = BasePageSelector.NONE;
      plan.best[p] = BasePageSelector.NONE;
      plan.alternative[p] = BasePageSelector.NONE;
      if (digests.isZero(p)) continue;
      int id = baseHashes.get(digests.hashLow(p), digests.hashHigh(p));
      if (id != HashIndex.ABSENT) plan.identical[p] = identicalKeys.get(id);
      int m = 0;
      for (int k = keyStart[p]; k < keyStart[p + 1]; k++) {
        int b = planIndex[BasePageSelector.baseIndex(keys[k])];
        if (b < 0) continue;
        if (m == scratch.length) scratch = Arrays.copyOf(scratch, m * 2);
        scratch[m++] = BasePageSelector.key(b, BasePageSelector.basePage(keys[k]));
      }
      long preferred = BasePageSelector.NONE;
      int preferredCount = 0;
      if (homeDigests != null && p < homeDigests.pageCount() && !homeDigests.isZero(p)) {
        preferred = BasePageSelector.key(home, p);
        preferredCount = sharedFingerprints(digests, p, homeDigests, p);
      }
      plan.best[p] = selector.choose(scratch, m, preferred, preferredCount);
      if (preferred != BasePageSelector.NONE && preferred != plan.best[p]) plan.alternative[p] = preferred;
    }
    return plan;
  }

  private static int sharedFingerprints(PageDigests a, int pa, PageDigests b, int pb) {
    int shared = 0;
    for (int i = 0; i < a.fingerprintCount(pa); i++) {
      long fa = a.fingerprint(pa, i);
      for (int j = 0; j < b.fingerprintCount(pb); j++) {
        if (b.fingerprint(pb, j) == fa) {
          shared++;
          break;
        }
      }
    }
    return shared;
  }

  /** Encoded pages of the whole checkpoint, index arrays filled in (base indexes are plan indexes). */
  static final class Encoded {
    byte[] kinds;
    int[] reference;
    int[] basePage;
    long[] offset;
    int[] length;
    long dataLength;
    final List<DedupImageWriter.DataChunk> chunks = new ArrayList<>();
  }

  private Encoded encode(PageArray pages, PageDigests digests, Plan plan) throws IOException {
    int n = digests.pageCount();
    Encoded e = new Encoded();
    e.kinds = new byte[n];
    e.reference = new int[n];
    e.basePage = new int[n];
    e.offset = new long[n];
    e.length = new int[n];
    List<CompletableFuture<RangeOutput>> tasks = new ArrayList<>();
    for (int from = 0; from < n; from += PAGES_PER_TASK) {
      int start = from;
      int end = Math.min(n, from + PAGES_PER_TASK);
      tasks.add(CompletableFuture.supplyAsync(() -> encodeRange(pages, digests, plan, e, start, end), executor));
    }
    long base = 0;
    for (CompletableFuture<RangeOutput> task : tasks) {
      RangeOutput out;
      try {
        out = task.join();
      } catch (CompletionException ex) {
        Throwable cause = ex.getCause();
        if (cause instanceof UncheckedIOException) throw ((UncheckedIOException) cause).getCause();
        if (cause instanceof RuntimeException) throw (RuntimeException) cause;
        throw new IOException("dedup task failed", cause);
      }
      for (int p = out.from; p < out.to; p++) {
        if (PageKind.byCode(e.kinds[p]).hasData()) e.offset[p] += base;
      }
      e.chunks.add(new DedupImageWriter.DataChunk(out.data, out.size));
      base += out.size;
    }
    e.dataLength = base;
    return e;
  }

  private static final class RangeOutput {
    final int from;
    final int to;
    byte[] data = new byte[64 * 1024];
    int size;

    RangeOutput(int from, int to) {
      this.from = from;
      this.to = to;
    }

    /** Room for one more page worth of output at {@code data[size]}. */
    void reserve() {
      if (data.length - size < 2 * PAGE) data = Arrays.copyOf(data, Math.max(data.length * 2, size + 2 * PAGE));
    }
  }

  private RangeOutput encodeRange(PageArray pages, PageDigests digests, Plan plan, Encoded e, int from, int to) {
    // Fetch, grouped by base, every base page this range may need.
    long[] need = new long[3 * (to - from)];
    int needed = 0;
    for (int p = from; p < to; p++) {
      if (plan.identical[p] != BasePageSelector.NONE) need[needed++] = plan.identical[p];
      if (plan.best[p] != BasePageSelector.NONE) need[needed++] = plan.best[p];
      if (plan.alternative[p] != BasePageSelector.NONE) need[needed++] = plan.alternative[p];
    }
    Arrays.sort(need, 0, needed);
    int unique = 0;
    for (int i = 0; i < needed; i++) {
      if (unique == 0 || need[unique - 1] != need[i]) need[unique++] = need[i];
    }
    byte[] basePages = new byte[unique * PAGE];
    boolean[] fetched = new boolean[unique];
    int[] pageIndexes = new int[unique];
    for (int i = 0; i < unique; ) {
      int b = BasePageSelector.baseIndex(need[i]);
      int j = i;
      while (j < unique && BasePageSelector.baseIndex(need[j]) == b) {
        pageIndexes[j] = BasePageSelector.basePage(need[j]);
        j++;
      }
      String baseId = plan.bases.get(b).baseId();
      try {
        source.readPages(baseId, pageIndexes, i, j - i, basePages, i * PAGE);
        Arrays.fill(fetched, i, j, true);
      } catch (BaseUnavailableException ex) {
        LOG.warn("pages of base {} unavailable, storing affected pages without it: {}", baseId, ex.getMessage());
      }
      i = j;
    }

    RangeOutput out = new RangeOutput(from, to);
    byte[] target = new byte[PAGE];
    byte[] other = new byte[PAGE];
    try (PatchCodec codec = settings.codec().newCodec(settings.codecLevel())) {
      for (int p = from; p < to; p++) {
        if (digests.isZero(p)) {
          e.kinds[p] = (byte) PageKind.ZERO.code();
          continue;
        }
        pages.copyPage(p, target, 0);
        if (plan.copyOf[p] >= 0) {
          pages.copyPage(plan.copyOf[p], other, 0);
          if (Arrays.equals(target, other)) {
            e.kinds[p] = (byte) PageKind.COPY.code();
            e.reference[p] = plan.copyOf[p];
            continue;
          }
        }
        int slot = slotOf(need, unique, fetched, plan.identical[p]);
        if (slot >= 0 && Arrays.equals(target, 0, PAGE, basePages, slot * PAGE, slot * PAGE + PAGE)) {
          e.kinds[p] = (byte) PageKind.SAME.code();
          e.reference[p] = BasePageSelector.baseIndex(plan.identical[p]);
          e.basePage[p] = BasePageSelector.basePage(plan.identical[p]);
          continue;
        }
        out.reserve();
        int limit = settings.maxPatchBytes() - 1;
        int patchLength = -1;
        long patchKey = BasePageSelector.NONE;
        long first = plan.best[p];
        long second = plan.alternative[p];
        int firstSlot = slotOf(need, unique, fetched, first);
        int secondSlot = slotOf(need, unique, fetched, second);
        if (firstSlot >= 0 && secondSlot >= 0) {
          // Two candidates cost two encodes; a decisive one (as the codec judges cheaply) spares the other.
          if (codec.decisiveMatch(target, 0, basePages, firstSlot * PAGE)) {
            second = BasePageSelector.NONE;
          } else if (codec.decisiveMatch(target, 0, basePages, secondSlot * PAGE)) {
            first = second;
            second = BasePageSelector.NONE;
          }
        }
        for (long candidate : new long[] {first, second}) {
          int s = slotOf(need, unique, fetched, candidate);
          if (s < 0) continue;
          if (patchLength > 0 && patchLength <= settings.secondCandidateAbove()) break;
          int max = patchLength < 0 ? limit : patchLength - 1;
          if (max <= 0) break;
          // Encode into the spare page of room behind the kept patch; the better one moves to the front.
          int len = codec.encode(target, 0, basePages, s * PAGE, out.data, out.size + PAGE, max);
          if (len > 0) {
            System.arraycopy(out.data, out.size + PAGE, out.data, out.size, len);
            patchLength = len;
            patchKey = candidate;
          }
        }
        if (patchLength > 0 && (!settings.compressRawPages() || patchLength < settings.compareAloneAbove())) {
          emitPatch(e, out, p, patchKey, patchLength);
          continue;
        }
        int aloneLength = -1;
        if (settings.compressRawPages()) {
          int max = patchLength > 0 ? patchLength - 1 : PAGE - 1;
          aloneLength = codec.compress(target, 0, out.data, out.size + PAGE, max);
        }
        if (aloneLength > 0) {
          System.arraycopy(out.data, out.size + PAGE, out.data, out.size, aloneLength);
          e.kinds[p] = (byte) PageKind.COMPRESSED.code();
          e.offset[p] = out.size;
          e.length[p] = aloneLength;
          out.size += aloneLength;
        } else if (patchLength > 0) {
          emitPatch(e, out, p, patchKey, patchLength);
        } else {
          System.arraycopy(target, 0, out.data, out.size, PAGE);
          e.kinds[p] = (byte) PageKind.RAW.code();
          e.offset[p] = out.size;
          e.length[p] = PAGE;
          out.size += PAGE;
        }
      }
    }
    return out;
  }

  private static void emitPatch(Encoded e, RangeOutput out, int p, long key, int length) {
    e.kinds[p] = (byte) PageKind.PATCH.code();
    e.reference[p] = BasePageSelector.baseIndex(key);
    e.basePage[p] = BasePageSelector.basePage(key);
    e.offset[p] = out.size;
    e.length[p] = length;
    out.size += length;
  }

  /** Slot of {@code key} among the fetched base pages, or -1 if absent or not fetched. */
  private static int slotOf(long[] sortedKeys, int count, boolean[] fetched, long key) {
    if (key == BasePageSelector.NONE) return -1;
    int i = Arrays.binarySearch(sortedKeys, 0, count, key);
    return i >= 0 && fetched[i] ? i : -1;
  }
}
