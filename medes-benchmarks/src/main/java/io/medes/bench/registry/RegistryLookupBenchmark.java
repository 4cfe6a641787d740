package io.medes.bench.registry;

import com.hazelcast.core.HazelcastInstance;
import io.medes.dedup.registry.BaseInfo;
import io.medes.dedup.registry.BasePageRef;
import io.medes.dedup.registry.FingerprintRegistry;
import io.medes.dedup.registry.InMemoryFingerprintRegistry;
import io.medes.dedup.registry.RegistrySettings;
import io.medes.dedup.registry.SharingScope;
import io.medes.registry.hazelcast.HazelcastFingerprintRegistry;
import io.medes.registry.hazelcast.HazelcastRegistryCluster;
import io.medes.registry.hazelcast.HazelcastRegistrySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Batched fingerprint lookups per second against the in-memory registry and a 3-member Hazelcast
 * registry (all three members in the benchmark JVM, on loopback TCP), asked from one member or from a
 * client. The primary score is batches/s; the {@code lookups} secondary score is fingerprints/s
 * (batches × batch size).
 *
 * <p>Table: 16 bases × 4096 pages × 5 fingerprints (a third of them drawn from a pool of 2000 "runtime"
 * fingerprints every base shares, so popular buckets are full), cap 8 per fingerprint. Each batch asks
 * 75 % registered and 25 % unknown fingerprints, scope SAME_RUNTIME (every base admitted).
 *
 * <p>Run:
 * <pre>
 * mvn -B -ntp -pl medes-benchmarks -am package -DskipTests
 * java -jar medes-benchmarks/target/benchmarks.jar RegistryLookup -wi 2 -i 3 -f 1 -t 1
 * java -jar medes-benchmarks/target/benchmarks.jar RegistryLookup -wi 2 -i 3 -f 1 -t 4
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g",
    "--add-modules", "java.se",
    "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens", "java.base/java.lang=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens", "java.management/sun.management=ALL-UNNAMED",
    "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED"})
public class RegistryLookupBenchmark {
  private static final int BASES = 16;
  private static final int PAGES_PER_BASE = 4096;
  private static final int FINGERPRINTS_PER_PAGE = 5;
  private static final int SHARED_POOL = 2000;
  private static final int BATCHES = 64;
  private static final BaseInfo REQUESTER = new BaseInfo("requester", "node-0", "ns-r", "fn-r", "python:3");

  /** inMemory: one JVM map. hazelcast3: 3 members, asked from member 0. hazelcast3client: asked from a client. */
  @Param({"inMemory", "hazelcast3", "hazelcast3client"})
  public String impl;

  /** Partitions of the Hazelcast cluster (the registry's default is 31; Hazelcast's own is 271). */
  @Param({"31"})
  public int partitions;

  /** Fingerprints per lookup call. */
  @Param({"1024"})
  public int batchSize;

  private final List<HazelcastInstance> instances = new ArrayList<>();
  private FingerprintRegistry registry;
  private long[][] batches;

  @Setup(Level.Trial)
  public void setUp() {
    RegistrySettings settings = new RegistrySettings(8);
    switch (impl) {
      case "inMemory":
        registry = new InMemoryFingerprintRegistry(settings);
        break;
      case "hazelcast3":
      case "hazelcast3client":
        HazelcastRegistrySettings cluster = startCluster(3);
        HazelcastInstance asker = instances.get(0);
        if (impl.equals("hazelcast3client")) {
          asker = HazelcastRegistryCluster.startClient(
              cluster.toBuilder().mode(HazelcastRegistrySettings.Mode.CLIENT).build());
          instances.add(0, asker);
        }
        registry = new HazelcastFingerprintRegistry(asker, settings, cluster);
        break;
      default:
        throw new IllegalArgumentException("unknown impl " + impl);
    }
    SplittableRandom random = new SplittableRandom(2022);
    long[] shared = random.longs(SHARED_POOL).toArray();
    long[] registered = new long[BASES * PAGES_PER_BASE * FINGERPRINTS_PER_PAGE];
    int n = 0;
    for (int b = 0; b < BASES; b++) {
      long[][] fps = new long[PAGES_PER_BASE][FINGERPRINTS_PER_PAGE];
      for (long[] page : fps) {
        for (int i = 0; i < page.length; i++) {
          page[i] = random.nextInt(3) == 0 ? shared[random.nextInt(SHARED_POOL)] : random.nextLong();
          registered[n++] = page[i];
        }
      }
      registry.registerBase(new BaseInfo("base-" + b, "node-" + (b % 3), "ns-" + b, "fn-" + b, "python:3"), fps);
    }
    batches = new long[BATCHES][batchSize];
    for (long[] batch : batches) {
      for (int i = 0; i < batch.length; i++) {
        batch[i] = random.nextInt(4) == 0 ? random.nextLong() : registered[random.nextInt(registered.length)];
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    registry.close();
    for (HazelcastInstance instance : instances) {
      instance.getLifecycleService().terminate();
    }
    instances.clear();
  }

  /** Per-thread cursor over the query batches, and the fingerprint counter reported as "lookups". */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Lookups {
    private int next;
    /** Fingerprints looked up; JMH reports it per second. */
    public long lookups;
  }

  @Benchmark
  public List<List<BasePageRef>> lookupBatch(Lookups counter) {
    long[] batch = batches[counter.next++ & (BATCHES - 1)];
    List<List<BasePageRef>> answer = registry.lookup(batch, REQUESTER, SharingScope.SAME_RUNTIME);
    counter.lookups += batch.length;
    return answer;
  }

  private HazelcastRegistrySettings startCluster(int size) {
    List<Integer> ports = freePorts(size);
    List<String> members = new ArrayList<>();
    for (int port : ports) {
      members.add("127.0.0.1:" + port);
    }
    HazelcastRegistrySettings settings = HazelcastRegistrySettings.builder()
        .clusterName("medes-bench-" + UUID.randomUUID())
        .members(members)
        .backupCount(1)
        .partitionCount(partitions)
        .operationTimeout(Duration.ofMinutes(5))
        .build();
    for (int port : ports) {
      instances.add(HazelcastRegistryCluster.startMember(settings.toBuilder().port(port).build()));
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    for (HazelcastInstance member : instances) {
      while (member.getCluster().getMembers().size() != size) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cluster did not form: " + member.getCluster().getMembers());
        }
        Thread.onSpinWait();
      }
    }
    return settings;
  }

  private static List<Integer> freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports.add(socket.getLocalPort());
      }
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback ports", e);
    }
    return ports;
  }
}
