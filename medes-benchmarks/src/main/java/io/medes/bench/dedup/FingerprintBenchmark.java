package io.medes.bench.dedup;

import io.medes.dedup.page.FingerprintScheme;
import io.medes.dedup.page.HeapPages;
import io.medes.dedup.page.PageDigests;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Page digesting on one core (zero test, XXH3-128 page hash, pointer masking, Gear bottom-k sampling
 * of 64-byte windows, XXH3-64 of the kept windows) over every page of a real CRIU dump held on the
 * heap. Score: ms per image; GB/s per core = image bytes / score (the setup prints the image size).
 *
 * <p>Run:
 * <pre>
 * scripts/make-python-dumps.sh /tmp/medes-dumps 3
 * mvn -B -ntp -pl medes-benchmarks -am package -DskipTests
 * java -jar medes-benchmarks/target/benchmarks.jar FingerprintBenchmark -p dumps=/tmp/medes-dumps
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class FingerprintBenchmark {
  @Param("/tmp/medes-dumps")
  public String dumps;

  @Param({"rnnmodel", "featuregen"})
  public String function;

  @Param({"true", "false"})
  public boolean maskPointers;

  private HeapPages pages;
  private FingerprintScheme scheme;

  @Setup
  public void setUp() throws IOException {
    pages = RealDumps.load(RealDumps.dump(dumps, function, 2));
    scheme = new FingerprintScheme(5, maskPointers);
    System.out.printf("%n%s: %d pages, %d bytes%n", function, pages.pageCount(), pages.bytes().length);
  }

  @Benchmark
  public PageDigests digestImage() {
    return PageDigests.compute(pages, scheme);
  }
}
