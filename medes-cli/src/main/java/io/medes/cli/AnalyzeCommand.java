package io.medes.cli;

import com.typesafe.config.Config;
import io.medes.concurrent.DaemonThreads;
import io.medes.config.MedesConfig;
import io.medes.dedup.DedupResult;
import io.medes.dedup.DedupSettings;
import io.medes.dedup.Deduplicator;
import io.medes.dedup.analysis.Baselines;
import io.medes.dedup.base.BaseManifest;
import io.medes.dedup.base.BasePreparer;
import io.medes.dedup.base.LocalBasePageSource;
import io.medes.dedup.codec.PatchCodecKind;
import io.medes.dedup.criu.CriuDump;
import io.medes.dedup.criu.MappedPages;
import io.medes.dedup.criu.PagesImage;
import io.medes.dedup.image.DedupImage;
import io.medes.dedup.image.PageKind;
import io.medes.dedup.page.PageDigests;
import io.medes.dedup.registry.BaseInfo;
import io.medes.dedup.registry.FingerprintRegistry;
import io.medes.dedup.registry.InMemoryFingerprintRegistry;
import io.medes.dedup.registry.RegistrySettings;
import io.medes.dedup.registry.SharingScope;
import io.medes.dedup.restore.RestoreException;
import io.medes.dedup.restore.RestoreResult;
import io.medes.dedup.restore.Restorer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Measures what Medes saves on real CRIU dumps: designates bases, deduplicates every other dump against
 * them, restores and verifies each one bit-exact, and reports per function the dedup size next to the
 * compress-only and identical-only baselines measured on the same dumps.
 */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Deduplicate CRIU dumps against base dumps, restore and verify them, and report per function:",
      "warm bytes, dedup bytes (patches + raw + index), saving, compress-only and identical-only",
      "baselines, pages by class, dedup and restore time.",
      "Dumps are grouped by function (by default the name of each dump directory's parent, as written",
      "by scripts/make-python-dumps.sh); the first dump of each function is its base unless --base is given."
    })
final class AnalyzeCommand implements Callable<Integer> {
  static final String CSV_HEADER = "function,images,warm_bytes,dedup_bytes,saving_pct,compress_only_bytes,"
      + "identical_only_bytes,zero_pages,identical_pages,patched_pages,raw_pages,dedup_ms,restore_ms";

  enum FunctionFrom { parent, name }

  @Parameters(arity = "1..*", paramLabel = "DUMP_DIR", description = "CRIU dump directories.")
  List<Path> dumps;

  @Option(names = "--base", paramLabel = "DUMP_DIR",
      description = "A dump to use as base (repeatable). Default: the first dump of each function.")
  List<Path> bases = new ArrayList<>();

  @Option(names = "--function-from", defaultValue = "parent",
      description = "How a dump's function is named: parent (its parent directory) or name (its own directory). Default: ${DEFAULT-VALUE}.")
  FunctionFrom functionFrom;

  @Option(names = "--scope", paramLabel = "SCOPE",
      description = "Sharing scope: same-function, same-namespace, same-runtime or any (default: whisk.medes.dedup.sharing-scope).")
  String scope;

  @Option(names = "--codec", paramLabel = "CODEC",
      description = "Patch codec: zstd-prefix, sub64-zstd, xor-zstd, xor-lz4 or vcdiff (default: whisk.medes.dedup.codec).")
  String codec;

  @Option(names = "--level", paramLabel = "N", description = "Codec compression level (default: the codec's).")
  Integer level;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: whisk.medes.dedup.threads).")
  Integer threads;

  @Option(names = "--csv", paramLabel = "FILE",
      description = "Also write the per-function results as CSV (e.g. docs/results/dedup-savings.csv).")
  Path csv;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Where dedup images and restored pages go (kept). Default: a temporary directory, deleted afterwards.")
  Path workDir;

  @Spec CommandSpec spec;

  /** Per-function totals. */
  static final class FunctionTotals {
    final String function;
    int images;
    long warmBytes;
    long dedupBytes;
    long compressOnlyBytes;
    long identicalOnlyBytes;
    long zero;
    long identical;
    long patched;
    long raw;
    double dedupMs;
    double restoreMs;

    FunctionTotals(String function) {
      this.function = function;
    }

    double savingPct() {
      return warmBytes == 0 ? 0 : 100.0 * (warmBytes - dedupBytes) / warmBytes;
    }

    String csvRow() {
      return String.format(Locale.ROOT, "%s,%d,%d,%d,%.2f,%d,%d,%d,%d,%d,%d,%.1f,%.1f", function, images, warmBytes,
          dedupBytes, savingPct(), compressOnlyBytes, identicalOnlyBytes, zero, identical, patched, raw, dedupMs,
          restoreMs);
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Config config = MedesConfig.load();
    DedupSettings.Builder builder = DedupSettings.fromConfig(config).toBuilder();
    if (scope != null) builder.sharingScope(SharingScope.valueOf(scope.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
    if (codec != null) {
      PatchCodecKind kind = PatchCodecKind.byName(codec);
      builder.codec(kind, level != null ? level : kind.defaultLevel());
    } else if (level != null) {
      builder.codec(DedupSettings.fromConfig(config).codec(), level);
    }
    if (threads != null) builder.threads(threads);
    DedupSettings settings = builder.build();

    Map<String, List<Path>> byFunction = new LinkedHashMap<>();
    for (Path d : dumps) byFunction.computeIfAbsent(functionOf(d), k -> new ArrayList<>()).add(d.toAbsolutePath().normalize());
    Set<Path> baseDirs = new HashSet<>();
    if (bases.isEmpty()) {
      for (List<Path> group : byFunction.values()) baseDirs.add(group.get(0));
    } else {
      for (Path b : bases) baseDirs.add(b.toAbsolutePath().normalize());
    }

    boolean temporary = workDir == null;
    Path work = temporary ? Files.createTempDirectory("medes-analyze") : Files.createDirectories(workDir);
    ExecutorService pool = Executors.newFixedThreadPool(settings.effectiveThreads(), DaemonThreads.named("medes-analyze"));
    try (FingerprintRegistry registry = new InMemoryFingerprintRegistry(RegistrySettings.fromConfig(config))) {
      LocalBasePageSource source = new LocalBasePageSource();
      Map<BaseInfo, BaseManifest> baseManifests = new LinkedHashMap<>();
      int baseNo = 0;
      for (Map.Entry<String, List<Path>> e : byFunction.entrySet()) {
        for (Path d : e.getValue()) {
          if (!baseDirs.contains(d)) continue;
          BaseInfo info = sandbox(d, e.getKey());
          Path manifestFile = work.resolve("base-" + (baseNo++) + ".manifest");
          baseManifests.put(info, BasePreparer.register(info, d, manifestFile, settings.scheme(), registry, source, pool));
        }
      }
      out.printf("%d bases, scope %s, codec %s:%d, fingerprints %s, %d threads%n", baseManifests.size(),
          settings.sharingScope(), settings.codec().configName(), settings.codecLevel(), settings.scheme(),
          settings.effectiveThreads());

      Deduplicator deduplicator = new Deduplicator(settings, registry, source, pool);
      Restorer restorer = new Restorer(source, pool);
      List<FunctionTotals> totals = new ArrayList<>();
      int imageNo = 0;
      for (Map.Entry<String, List<Path>> e : byFunction.entrySet()) {
        FunctionTotals t = new FunctionTotals(e.getKey());
        for (Path d : e.getValue()) {
          if (baseDirs.contains(d)) continue;
          BaseInfo sandbox = sandbox(d, e.getKey());
          Path dir = Files.createDirectories(work.resolve("image-" + (imageNo++)));
          Path imageFile = dir.resolve(DedupImage.FILE_NAME);
          long t0 = System.nanoTime();
          DedupResult result = deduplicator.dedup(d, sandbox, imageFile);
          long t1 = System.nanoTime();
          Path restored = Files.createDirectories(dir.resolve("restored"));
          RestoreResult restore;
          try {
            restore = restorer.restore(imageFile, restored);
          } catch (RestoreException ex) {
            out.printf("%s: RESTORE FAILED: %s%n", d, ex.getMessage());
            return 2;
          }
          long t2 = System.nanoTime();
          String mismatch = compareRestored(d, restored);
          if (mismatch != null) {
            out.printf("%s: RESTORED PAGES DIFFER: %s%n", d, mismatch);
            return 2;
          }
          Baselines baselines = baselines(d, sandbox, settings, baseManifests, pool);
          t.images++;
          t.warmBytes += result.warmBytes();
          t.dedupBytes += result.imageBytes();
          t.compressOnlyBytes += baselines.compressOnlyBytes();
          t.identicalOnlyBytes += baselines.identicalOnlyBytes();
          t.zero += result.pages(PageKind.ZERO);
          t.identical += result.pages(PageKind.SAME) + result.pages(PageKind.COPY);
          t.patched += result.pages(PageKind.PATCH);
          t.raw += result.pages(PageKind.RAW) + result.pages(PageKind.COMPRESSED);
          t.dedupMs += (t1 - t0) / 1e6;
          t.restoreMs += (t2 - t1) / 1e6;
          out.printf("  %-40s %s, restored and verified %d pages in %.1f ms%n", d, result, restore.pageCount(),
              (t2 - t1) / 1e6);
          deleteTree(restored);
        }
        if (t.images > 0) totals.add(t);
      }
      print(out, totals);
      if (csv != null) writeCsv(csv, totals);
      return 0;
    } finally {
      pool.shutdownNow();
      if (temporary) deleteTree(work);
    }
  }

  private String functionOf(Path dump) {
    Path abs = dump.toAbsolutePath().normalize();
    Path named = functionFrom == FunctionFrom.parent ? abs.getParent() : abs;
    return named == null || named.getFileName() == null ? abs.toString() : named.getFileName().toString();
  }

  private static BaseInfo sandbox(Path dump, String function) {
    return new BaseInfo(dump.toString(), "local", "analyze", function, "python:3");
  }

  private static Baselines baselines(Path dump, BaseInfo sandbox, DedupSettings settings,
      Map<BaseInfo, BaseManifest> baseManifests, ExecutorService pool) throws IOException {
    Set<Baselines.HashPair> baseHashes = new HashSet<>();
    for (Map.Entry<BaseInfo, BaseManifest> b : baseManifests.entrySet()) {
      if (!settings.sharingScope().admits(sandbox, b.getKey())) continue;
      PageDigests d = b.getValue().digests();
      for (int p = 0; p < d.pageCount(); p++) {
        if (!d.isZero(p)) baseHashes.add(new Baselines.HashPair(d.hashLow(p), d.hashHigh(p)));
      }
    }
    MappedPages pages = MappedPages.map(CriuDump.open(dump));
    PageDigests digests = PageDigests.compute(pages, settings.scheme(), pool);
    return Baselines.measure(pages, digests, baseHashes, settings.codec(), settings.codecLevel(), pool);
  }

  /** Null if every pages image in {@code restored} equals the original in {@code dump}, else what differs. */
  static String compareRestored(Path dump, Path restored) throws IOException {
    for (PagesImage image : CriuDump.open(dump).pagesImages()) {
      Path original = image.pagesFile();
      Path rebuilt = restored.resolve(image.pagesFileName());
      if (!Files.exists(original) && image.pageCount() == 0) continue;
      if (!Files.exists(rebuilt)) return rebuilt.getFileName() + " missing";
      long at = Files.mismatch(original, rebuilt);
      if (at >= 0) return rebuilt.getFileName() + " differs at byte " + at;
    }
    return null;
  }

  private static void print(PrintWriter out, List<FunctionTotals> totals) {
    out.printf("%n%-12s %6s %12s %12s %8s %12s %8s %12s %8s %7s %7s %7s %7s %9s %9s%n", "function", "images", "warm",
        "dedup", "saving", "compress", "saving", "identical", "saving", "zero", "ident", "patch", "raw", "dedup ms",
        "rest. ms");
    double ratioSum = 0;
    double savingSum = 0;
    for (FunctionTotals t : totals) {
      out.printf(Locale.ROOT, "%-12s %6d %12d %12d %7.1f%% %12d %7.1f%% %12d %7.1f%% %7d %7d %7d %7d %9.1f %9.1f%n",
          t.function, t.images, t.warmBytes, t.dedupBytes, t.savingPct(), t.compressOnlyBytes,
          pct(t.warmBytes, t.compressOnlyBytes), t.identicalOnlyBytes, pct(t.warmBytes, t.identicalOnlyBytes), t.zero,
          t.identical, t.patched, t.raw, t.dedupMs / t.images, t.restoreMs / t.images);
      ratioSum += (double) t.dedupBytes / t.compressOnlyBytes;
      savingSum += t.savingPct();
    }
    if (!totals.isEmpty()) {
      out.printf(Locale.ROOT, "%naverage over %d functions: saving %.1f%%, dedup bytes = %.3f x compress-only bytes%n",
          totals.size(), savingSum / totals.size(), ratioSum / totals.size());
    }
  }

  private static double pct(long warm, long left) {
    return warm == 0 ? 0 : 100.0 * (warm - left) / warm;
  }

  private static void writeCsv(Path file, List<FunctionTotals> totals) throws IOException {
    if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
    List<String> lines = new ArrayList<>();
    lines.add(CSV_HEADER);
    for (FunctionTotals t : totals) lines.add(t.csvRow());
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) return;
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // leftovers in a temporary directory are harmless
    }
  }
}
