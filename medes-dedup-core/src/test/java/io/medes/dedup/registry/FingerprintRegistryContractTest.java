package io.medes.dedup.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link FingerprintRegistry} must show. Implementations extend this class and say
 * how to make a fresh, empty registry; medes-registry-hazelcast runs the same cases through this
 * module's test-jar.
 */
public abstract class FingerprintRegistryContractTest {
  protected static final BaseInfo REQUESTER = new BaseInfo("req", "node-0", "ns1", "f1", "python:3");

  private final List<FingerprintRegistry> opened = new ArrayList<>();

  /** A new, empty registry with these settings; each call must be independent of earlier ones. */
  protected abstract FingerprintRegistry createRegistry(RegistrySettings settings);

  protected final FingerprintRegistry newRegistry(int maxPagesPerFingerprint) {
    FingerprintRegistry registry = createRegistry(new RegistrySettings(maxPagesPerFingerprint));
    opened.add(registry);
    return registry;
  }

  @AfterEach
  void closeRegistries() {
    for (FingerprintRegistry registry : opened) {
      registry.close();
    }
    opened.clear();
  }

  protected static BaseInfo base(String id, String namespace, String function, String runtime) {
    return new BaseInfo(id, "node-" + id, namespace, function, runtime);
  }

  protected static BaseInfo pythonBase(String id) {
    return base(id, "ns1", "f1", "python:3");
  }

  private static BasePageRef ref(String baseId, int page) {
    return new BasePageRef(baseId, page);
  }

  @Test
  void lookupAnswersInQueryOrderAndBucketsInRegistrationOrder() {
    FingerprintRegistry registry = newRegistry(8);
    registry.registerBase(pythonBase("a"), new long[][] {{10, 11}, {12}, {}, {10, 13}});
    registry.registerBase(pythonBase("b"), new long[][] {{13}, {10}});

    List<List<BasePageRef>> result = registry.lookup(new long[] {13, 99, 10, 12, 11}, REQUESTER, SharingScope.ANY);

    assertThat(result).hasSize(5);
    assertThat(result.get(0)).containsExactly(ref("a", 3), ref("b", 0));
    assertThat(result.get(1)).isEmpty();
    assertThat(result.get(2)).containsExactly(ref("a", 0), ref("a", 3), ref("b", 1));
    assertThat(result.get(3)).containsExactly(ref("a", 1));
    assertThat(result.get(4)).containsExactly(ref("a", 0));
  }

  @Test
  void repeatedFingerprintsInQueryAndPageAreAnsweredEachTimeAndStoredOnce() {
    FingerprintRegistry registry = newRegistry(8);
    registry.registerBase(pythonBase("a"), new long[][] {{7, 7, 7}});

    List<List<BasePageRef>> result = registry.lookup(new long[] {7, 7}, REQUESTER, SharingScope.ANY);

    assertThat(result).containsExactly(List.of(ref("a", 0)), List.of(ref("a", 0)));
  }

  @Test
  void emptyQueriesUnknownFingerprintsAndPagesWithoutFingerprints() {
    FingerprintRegistry registry = newRegistry(8);
    assertThat(registry.lookup(new long[0], REQUESTER, SharingScope.ANY)).isEmpty();
    assertThat(registry.lookup(new long[] {1, 2}, REQUESTER, SharingScope.ANY)).containsExactly(List.of(), List.of());

    registry.registerBase(pythonBase("empty"), new long[][] {{}, {}});
    registry.registerBase(pythonBase("none"), new long[0][]);

    assertThat(registry.base("empty")).contains(pythonBase("empty"));
    assertThat(registry.base("none")).contains(pythonBase("none"));
    assertThat(registry.lookup(new long[] {0, 1}, REQUESTER, SharingScope.ANY)).containsExactly(List.of(), List.of());
    assertThat(registry.base("unknown")).isEmpty();
  }

  @Test
  void eachSharingScopeAdmitsExactlyItsBases() {
    FingerprintRegistry registry = newRegistry(8);
    long fp = 0x5eed_5eedL;
    registry.registerBase(base("same-fn", "ns1", "f1", "python:3"), new long[][] {{fp}});
    registry.registerBase(base("same-ns", "ns1", "f2", "nodejs:20"), new long[][] {{fp}});
    registry.registerBase(base("same-rt", "ns2", "f1", "python:3"), new long[][] {{fp}});
    registry.registerBase(base("foreign", "ns3", "f9", "nodejs:20"), new long[][] {{fp}});

    assertThat(registry.lookup(new long[] {fp}, REQUESTER, SharingScope.SAME_FUNCTION).get(0))
        .containsExactly(ref("same-fn", 0));
    assertThat(registry.lookup(new long[] {fp}, REQUESTER, SharingScope.SAME_NAMESPACE).get(0))
        .containsExactly(ref("same-fn", 0), ref("same-ns", 0));
    assertThat(registry.lookup(new long[] {fp}, REQUESTER, SharingScope.SAME_RUNTIME).get(0))
        .containsExactly(ref("same-fn", 0), ref("same-rt", 0));
    assertThat(registry.lookup(new long[] {fp}, REQUESTER, SharingScope.ANY).get(0))
        .containsExactly(ref("same-fn", 0), ref("same-ns", 0), ref("same-rt", 0), ref("foreign", 0));
  }

  @Test
  void capKeepsTheNewestBasesWhenEachHoldsOnePage() {
    FingerprintRegistry registry = newRegistry(3);
    for (int i = 0; i < 5; i++) {
      registry.registerBase(pythonBase("b" + i), new long[][] {{42}});
    }

    assertThat(registry.lookup(new long[] {42}, REQUESTER, SharingScope.ANY).get(0))
        .containsExactly(ref("b2", 0), ref("b3", 0), ref("b4", 0));
  }

  @Test
  void capStopsOneBaseFromCrowdingOutOthers() {
    FingerprintRegistry registry = newRegistry(3);
    registry.registerBase(pythonBase("busy"), new long[][] {{9}, {9}, {9}, {9}, {9}});
    assertThat(registry.lookup(new long[] {9}, REQUESTER, SharingScope.ANY).get(0))
        .containsExactly(ref("busy", 0), ref("busy", 1), ref("busy", 2));

    registry.registerBase(pythonBase("other"), new long[][] {{9}});

    assertThat(registry.lookup(new long[] {9}, REQUESTER, SharingScope.ANY).get(0))
        .containsExactly(ref("busy", 1), ref("busy", 2), ref("other", 0));
  }

  @Test
  void retireRemovesTheBaseAndAllOfItsEntriesOnly() {
    FingerprintRegistry registry = newRegistry(8);
    registry.registerBase(pythonBase("gone"), new long[][] {{1, 2}, {3}});
    registry.registerBase(pythonBase("kept"), new long[][] {{2}, {4}});
    registry.retain("gone");

    assertThat(registry.retireBase("gone")).isTrue();

    assertThat(registry.base("gone")).isEmpty();
    assertThat(registry.referenceCount("gone")).isZero();
    assertThat(registry.lookup(new long[] {1, 2, 3, 4}, REQUESTER, SharingScope.ANY))
        .containsExactly(List.of(), List.of(ref("kept", 0)), List.of(), List.of(ref("kept", 1)));
    assertThat(registry.retireBase("gone")).isFalse();
    assertThat(registry.retireBase("never")).isFalse();
    assertThatThrownBy(() -> registry.retain("gone")).isInstanceOf(UnknownBaseException.class).hasMessageContaining("gone");
  }

  @Test
  void retiredBaseCanBeRegisteredAgainAsNew() {
    FingerprintRegistry registry = newRegistry(8);
    registry.registerBase(pythonBase("a"), new long[][] {{1}});
    registry.retain("a");
    registry.retireBase("a");

    registry.registerBase(pythonBase("a"), new long[][] {{2}});

    assertThat(registry.referenceCount("a")).isZero();
    assertThat(registry.lookup(new long[] {1, 2}, REQUESTER, SharingScope.ANY))
        .containsExactly(List.of(), List.of(ref("a", 0)));
  }

  @Test
  void registeringAgainReplacesEntriesAndInfoButKeepsTheReferenceCount() {
    FingerprintRegistry registry = newRegistry(8);
    registry.registerBase(pythonBase("a"), new long[][] {{1, 2}, {3}});
    registry.retain("a");
    registry.retain("a");
    BaseInfo moved = new BaseInfo("a", "node-9", "ns1", "f1", "python:3");

    registry.registerBase(moved, new long[][] {{3}, {4}});

    assertThat(registry.base("a")).contains(moved);
    assertThat(registry.referenceCount("a")).isEqualTo(2);
    assertThat(registry.lookup(new long[] {1, 2, 3, 4}, REQUESTER, SharingScope.ANY))
        .containsExactly(List.of(), List.of(), List.of(ref("a", 0)), List.of(ref("a", 1)));
  }

  @Test
  void referenceCountsNeverGoBelowZeroAndUnknownBasesCountZero() {
    FingerprintRegistry registry = newRegistry(8);
    registry.registerBase(pythonBase("a"), new long[][] {{1}});

    assertThat(registry.referenceCount("a")).isZero();
    assertThat(registry.retain("a")).isEqualTo(1);
    assertThat(registry.retain("a")).isEqualTo(2);
    assertThat(registry.release("a")).isEqualTo(1);
    assertThat(registry.release("a")).isZero();
    assertThat(registry.release("a")).isZero();
    assertThat(registry.referenceCount("a")).isZero();
    assertThat(registry.retain("a")).isEqualTo(1);

    assertThat(registry.referenceCount("unknown")).isZero();
    assertThat(registry.release("unknown")).isZero();
    assertThatThrownBy(() -> registry.retain("unknown")).isInstanceOf(UnknownBaseException.class);
  }

  @Test
  void concurrentRetainsAndReleasesReachTheExactCount() throws Exception {
    FingerprintRegistry registry = newRegistry(8);
    registry.registerBase(pythonBase("hot"), new long[][] {{1}});
    int threads = 4;
    int retainsPerThread = 150;
    int releasesPerThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Callable<Void> work = () -> {
          start.await();
          for (int i = 0; i < retainsPerThread; i++) {
            registry.retain("hot");
            if (i % 3 == 0) {
              registry.release("hot"); // one release per three retains: count never reaches zero
            }
          }
          return null;
        };
        done.add(pool.submit(work));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(registry.referenceCount("hot")).isEqualTo(threads * (retainsPerThread - releasesPerThread));
  }

  @Test
  void largeBatchesAreAnsweredCompletely() {
    FingerprintRegistry registry = newRegistry(8);
    int pages = 3000;
    long[][] fingerprints = new long[pages][];
    long[] query = new long[pages * 2];
    for (int p = 0; p < pages; p++) {
      long a = 0x9E37_79B9_7F4A_7C15L * (p + 1);
      long b = a ^ 0xDEAD_BEEFL;
      fingerprints[p] = new long[] {a, b};
      query[2 * p] = b;
      query[2 * p + 1] = a + 1; // never registered
    }
    registry.registerBase(pythonBase("big"), fingerprints);

    List<List<BasePageRef>> result = registry.lookup(query, REQUESTER, SharingScope.SAME_FUNCTION);

    assertThat(result).hasSize(query.length);
    for (int p = 0; p < pages; p++) {
      assertThat(result.get(2 * p)).as("page %d", p).containsExactly(ref("big", p));
      assertThat(result.get(2 * p + 1)).as("miss %d", p).isEmpty();
    }
  }

  @Test
  void badInputIsRejectedClearly() {
    FingerprintRegistry registry = newRegistry(8);
    assertThatThrownBy(() -> registry.registerBase(pythonBase("a"), new long[][] {{1}, null}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fingerprintsPerPage[1]");
    assertThat(registry.base("a")).isEmpty();
    assertThatThrownBy(() -> registry.registerBase(null, new long[0][])).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> registry.registerBase(pythonBase("a"), null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> registry.lookup(null, REQUESTER, SharingScope.ANY)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> registry.lookup(new long[] {1}, null, SharingScope.ANY)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> registry.lookup(new long[] {1}, REQUESTER, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void closedRegistryRefusesWork() {
    FingerprintRegistry registry = newRegistry(8);
    registry.close();
    assertThatThrownBy(() -> registry.lookup(new long[] {1}, REQUESTER, SharingScope.ANY))
        .isInstanceOf(IllegalStateException.class);
  }
}
