package io.medes.registry.hazelcast;

import io.medes.dedup.registry.FingerprintRegistry;
import io.medes.dedup.registry.FingerprintRegistryContractTest;
import io.medes.dedup.registry.RegistrySettings;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The registry contract on a real 3-member cluster (one JVM, loopback), each test on fresh maps, with
 * calls spread over the members so most operations cross the network.
 */
@Tag("integration")
class HazelcastFingerprintRegistryTest extends FingerprintRegistryContractTest {
  private static TestCluster cluster;
  private static final AtomicInteger REGISTRIES = new AtomicInteger();

  @BeforeAll
  static void startCluster() {
    cluster = TestCluster.start(3, 1);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected FingerprintRegistry createRegistry(RegistrySettings settings) {
    int n = REGISTRIES.incrementAndGet();
    return new HazelcastFingerprintRegistry(cluster.members.get(n % 3), settings,
        cluster.settings.mapPrefix() + "-t" + n, Duration.ofSeconds(60), Duration.ofSeconds(30));
  }
}
