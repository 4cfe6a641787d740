package io.medes.registry.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.medes.dedup.registry.BaseInfo;
import io.medes.dedup.registry.BasePageRef;
import io.medes.dedup.registry.FingerprintRegistry;
import io.medes.dedup.registry.InMemoryFingerprintRegistry;
import io.medes.dedup.registry.RegistrySettings;
import io.medes.dedup.registry.SharingScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A 3-member cluster with one backup per entry loses a member while lookups run: no fingerprint, base
 * or reference count of the surviving registry may be lost. Every operation is mirrored into an
 * in-memory registry, which gives the exact expected answer.
 */
@Tag("integration")
class HazelcastMemberLossTest {
  private static final RegistrySettings SETTINGS = new RegistrySettings(8);
  private static final BaseInfo REQUESTER = new BaseInfo("req", "node-0", "ns1", "f1", "python:3");
  private static final int BASES_PER_MEMBER = 2;
  private static final int PAGES = 2000;
  private static final int FINGERPRINTS_PER_PAGE = 4;

  enum Loss {
    /** {@code shutdown()}: the member hands its partitions over before leaving. */
    GRACEFUL,
    /** {@code terminate()}: the member vanishes; backups are promoted. */
    ABRUPT
  }

  @ParameterizedTest
  @EnumSource(Loss.class)
  void survivingMembersKeepEveryFingerprintAndReferenceCount(Loss loss) throws Exception {
    try (TestCluster cluster = TestCluster.start(3, 1);
        InMemoryFingerprintRegistry expected = new InMemoryFingerprintRegistry(SETTINGS)) {
      List<FingerprintRegistry> registries = new ArrayList<>();
      for (HazelcastInstance member : cluster.members) {
        registries.add(registryOn(member, cluster));
      }
      SplittableRandom random = new SplittableRandom(loss.ordinal() + 42);
      long[] sharedRuntimePages = random.longs(400).toArray();
      Set<Long> allFingerprints = new LinkedHashSet<>();
      List<String> baseIds = new ArrayList<>();

      // Bases registered from every member, sharing some fingerprints so buckets hold several bases.
      for (int m = 0; m < 3; m++) {
        for (int b = 0; b < BASES_PER_MEMBER; b++) {
          BaseInfo base = new BaseInfo("base-" + m + "-" + b, "node-" + m, "ns" + b, "f" + b, "python:3");
          long[][] fps = fingerprints(random, sharedRuntimePages);
          for (long[] page : fps) {
            for (long fp : page) {
              allFingerprints.add(fp);
            }
          }
          registries.get(m).registerBase(base, fps);
          expected.registerBase(base, fps);
          baseIds.add(base.baseId());
        }
      }
      // Reference counts taken from different members; one base retired before the loss.
      for (int i = 0; i < baseIds.size(); i++) {
        for (int r = 0; r <= i; r++) {
          registries.get((i + r) % 3).retain(baseIds.get(i));
          expected.retain(baseIds.get(i));
        }
      }
      registries.get(1).retireBase("base-2-1");
      expected.retireBase("base-2-1");
      for (int r = 0; r < 5; r++) {
        allFingerprints.add(random.nextLong()); // never registered
      }
      long[] query = allFingerprints.stream().mapToLong(Long::longValue).toArray();
      List<List<BasePageRef>> expectedAnswer = expected.lookup(query, REQUESTER, SharingScope.ANY);
      assertThat(registries.get(2).lookup(query, REQUESTER, SharingScope.ANY)).isEqualTo(expectedAnswer);

      // Lookups keep running from member 0 while member 2 goes away.
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger completeAnswers = new AtomicInteger();
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      Thread reader = new Thread(() -> {
        while (running.get()) {
          try {
            List<List<BasePageRef>> answer = registries.get(0).lookup(query, REQUESTER, SharingScope.ANY);
            if (answer.equals(expectedAnswer)) {
              completeAnswers.incrementAndGet();
            } else {
              failures.add(new AssertionError("a lookup during the member loss returned a different answer"));
            }
          } catch (RuntimeException e) {
            failures.add(e);
          }
        }
      }, "lookups-during-loss");
      reader.start();
      int before = awaitMoreAnswers(completeAnswers, 0);

      HazelcastInstance leaving = cluster.members.get(2);
      registries.get(2).close();
      if (loss == Loss.GRACEFUL) {
        leaving.shutdown();
      } else {
        leaving.getLifecycleService().terminate();
      }
      TestCluster.awaitClusterSize(cluster.members.get(0), 2);
      TestCluster.awaitClusterSize(cluster.members.get(1), 2);
      awaitMoreAnswers(completeAnswers, before);
      running.set(false);
      reader.join(60_000);

      assertThat(failures).isEmpty();
      assertThat(completeAnswers.get()).isGreaterThan(before);
      for (int survivor = 0; survivor < 2; survivor++) {
        FingerprintRegistry registry = registries.get(survivor);
        assertThat(registry.lookup(query, REQUESTER, SharingScope.ANY)).isEqualTo(expectedAnswer);
        for (String baseId : baseIds) {
          assertThat(registry.referenceCount(baseId)).as(baseId).isEqualTo(expected.referenceCount(baseId));
          assertThat(registry.base(baseId)).as(baseId).isEqualTo(expected.base(baseId));
        }
        assertThat(((HazelcastFingerprintRegistry) registry).fingerprintCount()).isEqualTo(expected.fingerprintCount());
      }

      // The cluster keeps working: the lost node's bases are retired, a new base is registered.
      for (int b = 0; b < BASES_PER_MEMBER; b++) {
        registries.get(b % 2).retireBase("base-2-" + b);
        expected.retireBase("base-2-" + b);
      }
      BaseInfo fresh = new BaseInfo("base-fresh", "node-1", "ns1", "f1", "python:3");
      long[][] freshFps = fingerprints(random, sharedRuntimePages);
      registries.get(1).registerBase(fresh, freshFps);
      expected.registerBase(fresh, freshFps);
      assertThat(registries.get(0).lookup(query, REQUESTER, SharingScope.ANY))
          .isEqualTo(expected.lookup(query, REQUESTER, SharingScope.ANY));
      assertThat(registries.get(0).retain("base-fresh")).isEqualTo(1);

      for (FingerprintRegistry registry : registries) {
        registry.close();
      }
    }
  }

  /** The control: without backups an abrupt loss does lose fingerprints, so the test above tests the backups. */
  @org.junit.jupiter.api.Test
  void withoutBackupsAnAbruptLossLosesTheLeaversShare() {
    try (TestCluster cluster = TestCluster.start(3, 0);
        InMemoryFingerprintRegistry expected = new InMemoryFingerprintRegistry(SETTINGS)) {
      FingerprintRegistry registry = registryOn(cluster.members.get(0), cluster);
      long[][] fps = fingerprints(new SplittableRandom(7), new long[] {1});
      BaseInfo base = new BaseInfo("lonely", "node-0", "ns1", "f1", "python:3");
      registry.registerBase(base, fps);
      expected.registerBase(base, fps);

      cluster.members.get(2).getLifecycleService().terminate();
      TestCluster.awaitClusterSize(cluster.members.get(0), 2);

      int left = ((HazelcastFingerprintRegistry) registry).fingerprintCount();
      assertThat(left).isPositive().isLessThan(expected.fingerprintCount());
      registry.close();
    }
  }

  private static FingerprintRegistry registryOn(HazelcastInstance member, TestCluster cluster) {
    return new HazelcastFingerprintRegistry(member, SETTINGS, cluster.settings.mapPrefix(), Duration.ofSeconds(60),
        Duration.ofSeconds(30));
  }

  /** Pages whose fingerprints come one time in three from a pool of runtime pages shared by all bases. */
  private static long[][] fingerprints(SplittableRandom random, long[] shared) {
    long[][] fps = new long[PAGES][FINGERPRINTS_PER_PAGE];
    for (long[] page : fps) {
      for (int i = 0; i < page.length; i++) {
        page[i] = random.nextInt(3) == 0 ? shared[random.nextInt(shared.length)] : random.nextLong();
      }
    }
    return fps;
  }

  private static int awaitMoreAnswers(AtomicInteger answers, int than) throws InterruptedException {
    for (int i = 0; i < 6000 && answers.get() <= than; i++) {
      Thread.sleep(10);
    }
    return answers.get();
  }
}
