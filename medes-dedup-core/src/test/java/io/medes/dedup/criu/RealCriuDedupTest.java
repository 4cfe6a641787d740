package io.medes.dedup.criu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.medes.dedup.DedupResult;
import io.medes.dedup.DedupSettings;
import io.medes.dedup.Deduplicator;
import io.medes.dedup.analysis.Baselines;
import io.medes.dedup.base.BaseManifest;
import io.medes.dedup.base.BasePreparer;
import io.medes.dedup.base.LocalBasePageSource;
import io.medes.dedup.image.DedupImage;
import io.medes.dedup.image.PageKind;
import io.medes.dedup.page.PageDigests;
import io.medes.dedup.registry.BaseInfo;
import io.medes.dedup.registry.InMemoryFingerprintRegistry;
import io.medes.dedup.registry.RegistrySettings;
import io.medes.dedup.registry.SharingScope;
import io.medes.dedup.restore.Restorer;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real CRIU dumps of real Python processes (ASLR on): two sandboxes of a numpy function and one of a
 * plain-Python function are dumped, deduplicated against a base, restored bit-exact, and a restored
 * HTTP-serving sandbox is brought back to life by CRIU from a rebuilt dedup image.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealCriuDedupTest {
  @TempDir static Path tmp;
  private ExecutorService pool;
  private Path linalg1;
  private Path linalg2;
  private Path vanilla;

  @BeforeAll
  void dumpSandboxes() throws Exception {
    assumeTrue(PythonSandbox.available(), "needs root, CRIU at whisk.medes.criu.binary and python3-numpy");
    assertThat(Files.readString(Paths.get("/proc/sys/kernel/randomize_va_space")).trim())
        .as("ASLR must stay on").isEqualTo("2");
    pool = Executors.newFixedThreadPool(2);
    linalg1 = dump("linalg", "linalg-1");
    linalg2 = dump("linalg", "linalg-2");
    vanilla = dump("vanilla", "vanilla-1");
  }

  @AfterAll
  void shutdown() {
    if (pool != null) pool.shutdownNow();
  }

  private Path dump(String function, String name) throws Exception {
    Path dir = tmp.resolve(name);
    try (PythonSandbox sandbox = PythonSandbox.start(function, tmp, null)) {
      sandbox.dump(dir, false);
    }
    return dir;
  }

  private static BaseInfo info(String id, String function) {
    return new BaseInfo(id, "node-1", "guest", function, "python:3");
  }

  private static Set<Long> vaddrs(Path dump) throws IOException {
    Set<Long> v = new HashSet<>();
    for (PagesImage image : CriuDump.open(dump).pagesImages()) {
      for (PagemapRun run : image.runs()) v.add(run.vaddr());
    }
    return v;
  }

  private static void assertSamePages(Path original, Path restored) throws IOException {
    for (PagesImage image : CriuDump.open(original).pagesImages()) {
      Path rebuilt = restored.resolve(image.pagesFileName());
      assertThat(java.util.Arrays.equals(Files.readAllBytes(image.pagesFile()), Files.readAllBytes(rebuilt)))
          .as(rebuilt + " equals " + image.pagesFile()).isTrue();
    }
  }

  @Test
  void numpySandboxesDedupAgainstEachOtherAndRestoreBitExact() throws Exception {
    // ASLR: the two sandboxes of one function map their memory at different addresses.
    Set<Long> shared = vaddrs(linalg1);
    shared.retainAll(vaddrs(linalg2));
    assertThat(shared.size()).isLessThan(vaddrs(linalg2).size() / 2);

    DedupSettings settings = DedupSettings.builder().sharingScope(SharingScope.SAME_FUNCTION).build();
    try (InMemoryFingerprintRegistry registry = new InMemoryFingerprintRegistry(new RegistrySettings(8))) {
      LocalBasePageSource source = new LocalBasePageSource();
      BaseInfo base = info("linalg-1", "linalg");
      BaseManifest manifest = BasePreparer.register(base, linalg1, tmp.resolve("linalg-1.manifest"), settings.scheme(),
          registry, source, pool);

      Path state = Files.createDirectories(tmp.resolve("state-linalg-2"));
      DedupResult result = new Deduplicator(settings, registry, source, pool)
          .dedup(linalg2, info("linalg-2", "linalg"), state.resolve(DedupImage.FILE_NAME));

      MappedPages pages = MappedPages.map(CriuDump.open(linalg2));
      Set<Baselines.HashPair> baseHashes = new HashSet<>();
      for (int p = 0; p < manifest.pageCount(); p++) {
        baseHashes.add(new Baselines.HashPair(manifest.digests().hashLow(p), manifest.digests().hashHigh(p)));
      }
      Baselines baselines = Baselines.measure(pages, PageDigests.compute(pages, settings.scheme(), pool), baseHashes,
          settings.codec(), settings.codecLevel(), pool);
      assertThat(result.imageBytes()).isLessThan(baselines.compressOnlyBytes());
      assertThat(result.imageBytes()).isLessThan(baselines.identicalOnlyBytes() / 4);
      assertThat(result.pages(PageKind.PATCH) + result.pages(PageKind.SAME)).isGreaterThan(pages.pageCount() / 2);

      Path restored = Files.createDirectories(tmp.resolve("restored-linalg-2"));
      new Restorer(source, pool).restore(result.imageFile(), restored);
      assertSamePages(linalg2, restored);
    }
  }

  @Test
  void anotherFunctionUsesTheBaseOnlyWhenTheScopeAllows() throws Exception {
    try (InMemoryFingerprintRegistry registry = new InMemoryFingerprintRegistry(new RegistrySettings(8))) {
      LocalBasePageSource source = new LocalBasePageSource();
      DedupSettings isolated = DedupSettings.builder().sharingScope(SharingScope.SAME_FUNCTION).build();
      BasePreparer.register(info("linalg-1", "linalg"), linalg1, tmp.resolve("base.manifest"), isolated.scheme(),
          registry, source, pool);
      BaseInfo sandbox = info("vanilla-1", "vanilla");

      DedupResult alone = new Deduplicator(isolated, registry, source, pool)
          .dedup(vanilla, sandbox, Files.createDirectories(tmp.resolve("v-iso")).resolve(DedupImage.FILE_NAME));
      DedupResult sharedRuntime = new Deduplicator(isolated.toBuilder().sharingScope(SharingScope.SAME_RUNTIME).build(),
          registry, source, pool)
          .dedup(vanilla, sandbox, Files.createDirectories(tmp.resolve("v-rt")).resolve(DedupImage.FILE_NAME));

      assertThat(alone.image().bases()).isEmpty();
      assertThat(sharedRuntime.image().bases()).extracting(DedupImage.BaseRef::baseId).containsExactly("linalg-1");
      // The interpreter and standard library pages are shared across functions of one runtime.
      assertThat(sharedRuntime.imageBytes()).isLessThan(alone.imageBytes() * 3 / 4);

      for (DedupResult r : new DedupResult[] {alone, sharedRuntime}) {
        Path restored = Files.createDirectories(r.imageFile().resolveSibling("restored"));
        new Restorer(source, pool).restore(r.imageFile(), restored);
        assertSamePages(vanilla, restored);
      }
    }
  }

  @Test
  void criuRestoresASandboxRebuiltFromItsDedupImage() throws Exception {
    int basePort = freePort();
    int port = freePort();
    Path baseDump = tmp.resolve("http-base");
    Path dump = tmp.resolve("http-sandbox");
    try (PythonSandbox base = PythonSandbox.start("linalg", tmp, basePort)) {
      base.dump(baseDump, false);
    }
    try (PythonSandbox sandbox = PythonSandbox.start("linalg", tmp, port)) {
      assertThat(get(port)).contains("\"result\"");
      sandbox.dump(dump, false);
    }

    DedupSettings settings = DedupSettings.builder().build();
    try (InMemoryFingerprintRegistry registry = new InMemoryFingerprintRegistry(new RegistrySettings(8))) {
      LocalBasePageSource source = new LocalBasePageSource();
      BasePreparer.register(info("http-base", "linalg"), baseDump, tmp.resolve("http-base.manifest"), settings.scheme(),
          registry, source, pool);
      // The dedup state: the dump without its pages images, plus the dedup image.
      Path state = Files.createDirectories(tmp.resolve("http-state"));
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dump)) {
        for (Path f : files) {
          if (!f.getFileName().toString().startsWith("pages-")) Files.copy(f, state.resolve(f.getFileName()));
        }
      }
      DedupResult result = new Deduplicator(settings, registry, source, pool)
          .dedup(dump, info("http-sandbox", "linalg"), state.resolve(DedupImage.FILE_NAME));
      assertThat(result.pages(PageKind.PATCH) + result.pages(PageKind.SAME)).isPositive();

      new Restorer(source, pool).restore(state.resolve(DedupImage.FILE_NAME), state);
      long pid = PythonSandbox.restoreDetached(state, tmp.resolve("http-restore.log"));
      try {
        assertThat(get(port)).contains("\"result\"");
      } finally {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String get(int port) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/").openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(30000);
    assertThat(c.getResponseCode()).isEqualTo(200);
    try (InputStream in = c.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
