package io.medes.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medes.dedup.base.BasePreparer;
import io.medes.dedup.base.LocalBasePageSource;
import io.medes.dedup.codec.PatchCodecKind;
import io.medes.dedup.image.DedupImage;
import io.medes.dedup.image.DedupImageReader;
import io.medes.dedup.image.PageKind;
import io.medes.dedup.registry.BaseInfo;
import io.medes.dedup.registry.InMemoryFingerprintRegistry;
import io.medes.dedup.registry.RegistrySettings;
import io.medes.dedup.registry.SharingScope;
import io.medes.dedup.restore.RecycledPagesFiles;
import io.medes.dedup.restore.RestoreException;
import io.medes.dedup.restore.Restorer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Dedup and restore of synthetic CRIU dumps whose pages fall into every class. */
class DedupRoundTripTest {
  private static final int PAGE = 4096;
  private static final int PAGES = 600;

  @TempDir Path tmp;
  private ExecutorService pool;
  private InMemoryFingerprintRegistry registry;
  private LocalBasePageSource source;
  private final BaseInfo base = new BaseInfo("base-1", "node-a", "ns", "fn", "python:3");
  private final BaseInfo sandbox = new BaseInfo("sandbox-2", "node-a", "ns", "fn", "python:3");
  private byte[] basePages;
  private byte[] targetPages;

  @BeforeEach
  void setUp() throws IOException {
    pool = Executors.newFixedThreadPool(3);
    registry = new InMemoryFingerprintRegistry(new RegistrySettings(8));
    source = new LocalBasePageSource();
    basePages = new byte[PAGES * PAGE];
    targetPages = new byte[PAGES * PAGE];
    Random r = new Random(42);
    for (int p = 0; p < PAGES; p++) {
      SyntheticDumps.heapPage(basePages, p * PAGE, 0x55d3_4a21_0000L, 1000 + p);
      int kind = p % 6;
      switch (kind) {
        case 0: // zero
          break;
        case 1: // identical to a base page elsewhere
          System.arraycopy(basePages, (p - 1) * PAGE, targetPages, p * PAGE, PAGE);
          break;
        case 2: // same objects, pointers moved by ASLR
          SyntheticDumps.heapPage(targetPages, p * PAGE, 0x5617_9be0_0000L, 1000 + p);
          break;
        case 3: // base content shifted by 40 bytes, with a few changed bytes
          System.arraycopy(basePages, p * PAGE, targetPages, p * PAGE + 40, PAGE - 40);
          targetPages[p * PAGE + 2000] ^= 1;
          break;
        case 4: // incompressible and unrelated
          byte[] noise = new byte[PAGE];
          r.nextBytes(noise);
          System.arraycopy(noise, 0, targetPages, p * PAGE, PAGE);
          break;
        default: // duplicate of the previous (incompressible) page of the same checkpoint
          System.arraycopy(targetPages, (p - 1) * PAGE, targetPages, p * PAGE, PAGE);
      }
    }
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
    registry.close();
  }

  private Path registerBase(BaseInfo info, byte[] pages, DedupSettings settings) throws IOException {
    Path dir = SyntheticDumps.write(tmp.resolve(info.baseId()), pages);
    BasePreparer.register(info, dir, settings.scheme(), registry, source, pool);
    return dir;
  }

  private DedupResult dedupTarget(DedupSettings settings) throws IOException {
    Path dump = SyntheticDumps.write(tmp.resolve("target"), Arrays.asList(
        Arrays.copyOfRange(targetPages, 0, 200 * PAGE), Arrays.copyOfRange(targetPages, 200 * PAGE, PAGES * PAGE)));
    Path image = Files.createDirectories(tmp.resolve("state")).resolve(DedupImage.FILE_NAME);
    return new Deduplicator(settings, registry, source, pool).dedup(dump, sandbox, image);
  }

  private byte[] restored(Path dir) throws IOException {
    byte[] a = Files.readAllBytes(dir.resolve("pages-1.img"));
    byte[] b = Files.readAllBytes(dir.resolve("pages-2.img"));
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @ParameterizedTest
  @EnumSource(PatchCodecKind.class)
  void everyPageClassRoundTripsBitExact(PatchCodecKind codec) throws Exception {
    DedupSettings settings = DedupSettings.builder().codec(codec).build();
    registerBase(base, basePages, settings);

    DedupResult result = dedupTarget(settings);

    assertThat(result.pages(PageKind.ZERO)).isEqualTo(PAGES / 6);
    assertThat(result.pages(PageKind.SAME)).isEqualTo(PAGES / 6);
    assertThat(result.pages(PageKind.COPY)).isEqualTo(PAGES / 6);
    // Moved pointers suit word-wise deltas, shifted content suits matching codecs; each codec patches
    // at least one of the two classes and stores the rest compressed or raw.
    assertThat(result.pages(PageKind.PATCH)).isGreaterThanOrEqualTo(PAGES / 6);
    assertThat(result.pages(PageKind.PATCH) + result.pages(PageKind.RAW) + result.pages(PageKind.COMPRESSED))
        .isEqualTo(3 * PAGES / 6);
    assertThat(result.imageBytes()).isLessThan(result.warmBytes() / 2);
    assertThat(registry.referenceCount(base.baseId())).isEqualTo(1);

    Path out = Files.createDirectories(tmp.resolve("restored"));
    new Restorer(source, pool).restore(result.imageFile(), out);
    assertThat(restored(out)).isEqualTo(targetPages);
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("pages-1.img", "pages-2.img");
    }
  }

  @Test
  void rebuildIntoRecycledFilesOverwritesEveryByteOfTheirOldContents() throws Exception {
    DedupSettings settings = DedupSettings.builder().build();
    registerBase(base, basePages, settings);
    DedupResult result = dedupTarget(settings);
    RecycledPagesFiles recycled = new RecycledPagesFiles(tmp.resolve("kept"), 64L << 20);
    // Another sandbox's pages: larger than either file to rebuild, and nowhere zero.
    byte[] foreign = new byte[(PAGES + 100) * PAGE];
    Arrays.fill(foreign, (byte) 0xA5);
    recycled.recycle(Files.write(tmp.resolve("foreign-1.img"), foreign));
    recycled.recycle(Files.write(tmp.resolve("foreign-2.img"), foreign));

    Path out = Files.createDirectories(tmp.resolve("restored"));
    new Restorer(source, pool, recycled).restore(result.imageFile(), out);
    assertThat(recycled.keptFiles()).as("both files taken").isZero();
    assertThat(restored(out)).isEqualTo(targetPages);
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("pages-1.img", "pages-2.img");
    }
  }

  @Test
  void defaultCodecPatchesShiftedContentAndSub64PatchesMovedPointers() throws Exception {
    DedupSettings settings = DedupSettings.builder().build();
    registerBase(base, basePages, settings);
    DedupResult zstd = dedupTarget(settings);
    DedupResult sub64 = dedupTarget(settings.toBuilder().codec(PatchCodecKind.SUB64_ZSTD).build());
    int patched = 0;
    for (int p = 3; p < PAGES; p += 6) {
      if (zstd.image().kind(p) == PageKind.PATCH) patched++;
      assertThat(sub64.image().kind(p - 1)).isEqualTo(PageKind.PATCH);
      assertThat(sub64.image().basePage(p - 1)).isEqualTo(p - 1);
    }
    assertThat(patched).isEqualTo(PAGES / 6);
  }

  @Test
  void basesOfOtherFunctionsAreUsedOnlyWhenTheScopeAllows() throws Exception {
    BaseInfo foreign = new BaseInfo("base-x", "node-a", "other-tenant", "their-fn", "python:3");
    DedupSettings strict = DedupSettings.builder().sharingScope(SharingScope.SAME_FUNCTION).build();
    registerBase(foreign, basePages, strict);

    DedupResult isolated = dedupTarget(strict);
    assertThat(isolated.image().bases()).isEmpty();
    assertThat(isolated.pages(PageKind.SAME) + isolated.pages(PageKind.PATCH)).isZero();

    DedupResult shared = dedupTarget(strict.toBuilder().sharingScope(SharingScope.ANY).build());
    assertThat(shared.image().bases()).extracting(DedupImage.BaseRef::baseId).containsExactly("base-x");
    assertThat(shared.pages(PageKind.PATCH)).isPositive();

    Path out = Files.createDirectories(tmp.resolve("restored"));
    new Restorer(source, pool).restore(isolated.imageFile(), out);
    assertThat(restored(out)).isEqualTo(targetPages);
  }

  @Test
  void missingBaseIsATypedFailureAndLeavesNoFiles() throws Exception {
    DedupSettings settings = DedupSettings.builder().build();
    registerBase(base, basePages, settings);
    DedupResult result = dedupTarget(settings);
    Path out = Files.createDirectories(tmp.resolve("restored"));

    assertThatThrownBy(() -> new Restorer(new LocalBasePageSource(), pool).restore(result.imageFile(), out))
        .isInstanceOf(RestoreException.class)
        .satisfies(e -> assertThat(((RestoreException) e).reason()).isEqualTo(RestoreException.Reason.BASE_UNAVAILABLE));
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void changedBasePagesFailVerification() throws Exception {
    DedupSettings settings = DedupSettings.builder().build();
    Path baseDir = registerBase(base, basePages, settings);
    DedupResult result = dedupTarget(settings);
    // The base's checkpoint changes under the dedup image (e.g. replaced by another dump).
    byte[] changed = basePages.clone();
    for (int i = 0; i < changed.length; i += 512) changed[i] ^= 0x40;
    Files.write(baseDir.resolve("pages-1.img"), changed);
    source.addBase(base.baseId(), baseDir); // drop the old mapping

    assertThatThrownBy(() -> new Restorer(source, pool).restore(result.imageFile(), tmp))
        .isInstanceOf(RestoreException.class)
        .satisfies(e -> assertThat(((RestoreException) e).reason())
            .isIn(RestoreException.Reason.HASH_MISMATCH, RestoreException.Reason.CORRUPT_PATCH));
  }

  @Test
  void corruptedDataSectionIsDetected() throws Exception {
    DedupSettings settings = DedupSettings.builder().build();
    registerBase(base, basePages, settings);
    DedupResult result = dedupTarget(settings);
    long dataOffset = DedupImageReader.read(result.imageFile()).dataOffset();
    byte[] bytes = Files.readAllBytes(result.imageFile());
    bytes[(int) (dataOffset + result.dataBytes() / 2)] ^= 0x01;
    Files.write(result.imageFile(), bytes);

    assertThatThrownBy(() -> new Restorer(source, pool).restore(result.imageFile(), tmp))
        .isInstanceOf(RestoreException.class)
        .satisfies(e -> {
          RestoreException r = (RestoreException) e;
          assertThat(r.reason()).isIn(RestoreException.Reason.HASH_MISMATCH, RestoreException.Reason.CORRUPT_PATCH);
          assertThat(r.page()).isBetween(0, PAGES - 1);
        });
  }

  @Test
  void truncatedImageIsABadImage() throws Exception {
    DedupSettings settings = DedupSettings.builder().build();
    registerBase(base, basePages, settings);
    DedupResult result = dedupTarget(settings);
    byte[] bytes = Files.readAllBytes(result.imageFile());
    Files.write(result.imageFile(), Arrays.copyOf(bytes, bytes.length - 10));

    assertThatThrownBy(() -> new Restorer(source, pool).restore(result.imageFile(), tmp))
        .isInstanceOf(RestoreException.class)
        .satisfies(e -> assertThat(((RestoreException) e).reason()).isEqualTo(RestoreException.Reason.BAD_IMAGE));
  }

  @Test
  void withoutAnyBasePagesAreCompressedOrRaw() throws Exception {
    DedupSettings settings = DedupSettings.builder().build();
    DedupResult result = dedupTarget(settings);
    assertThat(result.image().bases()).isEmpty();
    assertThat(result.pages(PageKind.ZERO)).isEqualTo(PAGES / 6);
    Path out = Files.createDirectories(tmp.resolve("restored"));
    new Restorer(source, pool).restore(result.imageFile(), out);
    assertThat(restored(out)).isEqualTo(targetPages);
  }
}
