package io.medes.registry.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import io.medes.dedup.registry.FingerprintRegistry;
import io.medes.dedup.registry.FingerprintRegistryContractTest;
import io.medes.dedup.registry.RegistrySettings;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The registry contract through a Hazelcast client of a 3-member cluster (the registry's client mode). */
@Tag("integration")
class HazelcastClientRegistryTest extends FingerprintRegistryContractTest {
  private static TestCluster cluster;
  private static HazelcastInstance client;
  private static final AtomicInteger REGISTRIES = new AtomicInteger();

  @BeforeAll
  static void startCluster() {
    cluster = TestCluster.start(3, 1);
    client = cluster.client();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected FingerprintRegistry createRegistry(RegistrySettings settings) {
    return new HazelcastFingerprintRegistry(client, settings,
        cluster.settings.mapPrefix() + "-c" + REGISTRIES.incrementAndGet(), Duration.ofSeconds(60), Duration.ofSeconds(30));
  }
}
