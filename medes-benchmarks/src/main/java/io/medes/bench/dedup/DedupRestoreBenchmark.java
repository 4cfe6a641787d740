package io.medes.bench.dedup;

import io.medes.dedup.DedupResult;
import io.medes.dedup.DedupSettings;
import io.medes.dedup.Deduplicator;
import io.medes.dedup.base.BasePreparer;
import io.medes.dedup.base.LocalBasePageSource;
import io.medes.dedup.codec.PatchCodecKind;
import io.medes.dedup.image.DedupImage;
import io.medes.dedup.registry.BaseInfo;
import io.medes.dedup.registry.InMemoryFingerprintRegistry;
import io.medes.dedup.registry.RegistrySettings;
import io.medes.dedup.registry.SharingScope;
import io.medes.dedup.restore.RestoreException;
import io.medes.dedup.restore.RestoreResult;
import io.medes.dedup.restore.Restorer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End-to-end dedup and restore of a real CRIU dump against a local base of the same function, with
 * the in-memory registry and {@code threads} worker threads. {@code dedup}: open the dump, digest,
 * look up, select, encode, write the dedup image (fsync'd) to tmpfs. {@code restore}: read the image,
 * fetch base pages, decode, verify every page hash, write the pages images. Score: ms per image;
 * MB/s = image size (printed by the setup) / score.
 *
 * <p>Run (dumps and work directory on tmpfs, as the pages of a paused sandbox would be):
 * <pre>
 * scripts/make-python-dumps.sh /dev/shm/medes-dumps 3
 * mvn -B -ntp -pl medes-benchmarks -am package -DskipTests
 * java -jar medes-benchmarks/target/benchmarks.jar DedupRestoreBenchmark -p dumps=/dev/shm/medes-dumps
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class DedupRestoreBenchmark {
  @Param("/dev/shm/medes-dumps")
  public String dumps;

  @Param("/dev/shm")
  public String workRoot;

  @Param({"rnnmodel", "featuregen"})
  public String function;

  @Param({"2"})
  public int threads;

  /** Patch codec ({@code whisk.medes.dedup.codec}): decode speed against image size. */
  @Param({"auto"})
  public String codec;

  /** The codec's compression level ({@code whisk.medes.dedup.codec-level}); 0 = its default. */
  @Param({"0"})
  public int level;

  private ExecutorService pool;
  private InMemoryFingerprintRegistry registry;
  private Deduplicator deduplicator;
  private Restorer restorer;
  private Path dump;
  private Path work;
  private Path image;
  private Path restored;
  private BaseInfo sandbox;

  @Setup
  public void setUp() throws IOException {
    pool = Executors.newFixedThreadPool(threads);
    registry = new InMemoryFingerprintRegistry(new RegistrySettings(8));
    LocalBasePageSource source = new LocalBasePageSource();
    DedupSettings settings = DedupSettings.builder().sharingScope(SharingScope.SAME_FUNCTION)
        .codec(PatchCodecKind.byName(codec), level == 0 ? PatchCodecKind.byName(codec).defaultLevel() : level).build();
    work = Files.createTempDirectory(Path.of(workRoot), "medes-bench");
    Path baseDump = RealDumps.dump(dumps, function, 1);
    BaseInfo base = new BaseInfo("base", "local", "bench", function, "python:3");
    BasePreparer.register(base, baseDump, work.resolve("base.manifest"), settings.scheme(), registry, source, pool);
    dump = RealDumps.dump(dumps, function, 2);
    sandbox = new BaseInfo("sandbox", "local", "bench", function, "python:3");
    deduplicator = new Deduplicator(settings, registry, source, pool);
    restorer = new Restorer(source, pool);
    image = work.resolve(DedupImage.FILE_NAME);
    restored = Files.createDirectories(work.resolve("restored"));
    DedupResult first = deduplicator.dedup(dump, sandbox, image);
    System.out.printf("%n%s%n", first);
  }

  @TearDown
  public void tearDown() throws IOException {
    pool.shutdownNow();
    registry.close();
    try (Stream<Path> walk = Files.walk(work)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public DedupResult dedup() throws IOException {
    return deduplicator.dedup(dump, sandbox, image);
  }

  @Benchmark
  public RestoreResult restore() throws RestoreException {
    return restorer.restore(image, restored);
  }
}
