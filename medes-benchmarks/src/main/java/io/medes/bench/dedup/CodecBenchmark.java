package io.medes.bench.dedup;

import io.medes.dedup.codec.CorruptPatchException;
import io.medes.dedup.codec.PatchCodec;
import io.medes.dedup.codec.PatchCodecKind;
import io.medes.dedup.page.HeapPages;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Speed of each patch codec on real page pairs: page i of a sandbox's dump against page i of the base's
 * dump of the same function (non-zero, non-identical pairs, the first {@value #PAIRS}). Scores are ns
 * per page on one core: {@code encode} (delta against the base page), {@code decode} (rebuild from the
 * delta), {@code compress} (the page alone). Sizes are printed by the setup; sizes with real base
 * selection come from {@code medes analyze --codec} (docs/dedup-codecs.md).
 *
 * <p>Run:
 * <pre>
 * scripts/make-python-dumps.sh /tmp/medes-dumps 3
 * mvn -B -ntp -pl medes-benchmarks -am package -DskipTests
 * java -jar medes-benchmarks/target/benchmarks.jar CodecBenchmark -p dumps=/tmp/medes-dumps
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CodecBenchmark {
  static final int PAIRS = 2000;
  private static final int PAGE = 4096;

  @Param("/tmp/medes-dumps")
  public String dumps;

  @Param("featuregen")
  public String function;

  @Param({"auto", "zstd-prefix", "sub64-zstd", "xor-zstd", "xor-lz4", "vcdiff"})
  public String codec;

  private byte[] targets;
  private byte[] bases;
  private byte[][] patches;
  private PatchCodec patchCodec;
  private final byte[] out = new byte[2 * PAGE];

  @Setup
  public void setUp() throws IOException {
    HeapPages base = RealDumps.load(RealDumps.dump(dumps, function, 1));
    HeapPages target = RealDumps.load(RealDumps.dump(dumps, function, 2));
    targets = new byte[PAIRS * PAGE];
    bases = new byte[PAIRS * PAGE];
    int n = 0;
    byte[] zero = new byte[PAGE];
    for (int p = 0; p < Math.min(base.pageCount(), target.pageCount()) && n < PAIRS; p++) {
      byte[] t = Arrays.copyOfRange(target.bytes(), p * PAGE, (p + 1) * PAGE);
      byte[] b = Arrays.copyOfRange(base.bytes(), p * PAGE, (p + 1) * PAGE);
      if (Arrays.equals(t, zero) || Arrays.equals(b, zero) || Arrays.equals(t, b)) continue;
      System.arraycopy(t, 0, targets, n * PAGE, PAGE);
      System.arraycopy(b, 0, bases, n * PAGE, PAGE);
      n++;
    }
    if (n < PAIRS) throw new IllegalStateException("only " + n + " usable page pairs in " + function);
    PatchCodecKind kind = PatchCodecKind.byName(codec);
    patchCodec = kind.newCodec(kind.defaultLevel());
    patches = new byte[PAIRS][];
    long deltaBytes = 0;
    long aloneBytes = 0;
    for (int i = 0; i < PAIRS; i++) {
      int len = patchCodec.encode(targets, i * PAGE, bases, i * PAGE, out, 0, out.length);
      patches[i] = len > 0 ? Arrays.copyOf(out, len) : null;
      deltaBytes += len > 0 ? Math.min(len, PAGE) : PAGE;
      int alone = patchCodec.compress(targets, i * PAGE, out, 0, out.length);
      aloneBytes += alone > 0 ? Math.min(alone, PAGE) : PAGE;
    }
    System.out.printf("%n%s on %d same-index pairs of %s: delta %.1f%% of raw, alone %.1f%% of raw%n", codec, PAIRS,
        function, 100.0 * deltaBytes / PAIRS / PAGE, 100.0 * aloneBytes / PAIRS / PAGE);
  }

  @TearDown
  public void tearDown() {
    patchCodec.close();
  }

  @Benchmark
  @OperationsPerInvocation(PAIRS)
  public int encode() {
    int total = 0;
    for (int i = 0; i < PAIRS; i++) total += patchCodec.encode(targets, i * PAGE, bases, i * PAGE, out, 0, out.length);
    return total;
  }

  @Benchmark
  @OperationsPerInvocation(PAIRS)
  public int decode() throws CorruptPatchException {
    int total = 0;
    for (int i = 0; i < PAIRS; i++) {
      if (patches[i] == null) continue;
      patchCodec.decode(patches[i], 0, patches[i].length, bases, i * PAGE, out, 0);
      total += out[i & 4095];
    }
    return total;
  }

  @Benchmark
  @OperationsPerInvocation(PAIRS)
  public int compress() {
    int total = 0;
    for (int i = 0; i < PAIRS; i++) total += patchCodec.compress(targets, i * PAGE, out, 0, out.length);
    return total;
  }
}
