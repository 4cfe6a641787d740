package io.medes.registry.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.typesafe.config.ConfigFactory;
import io.medes.config.MedesConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HazelcastRegistrySettingsTest {
  private static HazelcastRegistrySettings parse(String overrides) {
    return HazelcastRegistrySettings.fromConfig(
        ConfigFactory.parseString(overrides).withFallback(MedesConfig.load(Map.of())).resolve());
  }

  @Test
  void defaultsComeFromReferenceConf() {
    HazelcastRegistrySettings s = HazelcastRegistrySettings.fromConfig(MedesConfig.load(Map.of()));
    assertThat(s.mode()).isEqualTo(HazelcastRegistrySettings.Mode.MEMBER);
    assertThat(s.clusterName()).isEqualTo("medes");
    assertThat(s.members()).containsExactly("127.0.0.1:5701");
    assertThat(s.port()).isEqualTo(5701);
    assertThat(s.backupCount()).isEqualTo(1);
    assertThat(s.mapPrefix()).isEqualTo("medes.registry");
    assertThat(s.partitionCount()).isEqualTo(31);
    assertThat(s.operationTimeout()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void environmentOverridesApply() {
    HazelcastRegistrySettings s = HazelcastRegistrySettings.fromConfig(MedesConfig.load(Map.of(
        "CONFIG_whisk_medes_registry_hazelcast_backupCount", "2",
        "CONFIG_whisk_medes_registry_hazelcast_mode", "client")));
    assertThat(s.backupCount()).isEqualTo(2);
    assertThat(s.mode()).isEqualTo(HazelcastRegistrySettings.Mode.CLIENT);
  }

  @Test
  void portRangesAndBadValuesAreRejectedNamingTheKey() {
    assertThatThrownBy(() -> parse("whisk.medes.registry.hazelcast.members = [\"127.0.0.1:5701-5703\"]"))
        .hasMessageContaining("members").hasMessageContaining("port range");
    assertThatThrownBy(() -> parse("whisk.medes.registry.hazelcast.members = [\"127.0.0.1:http\"]"))
        .hasMessageContaining("members");
    assertThatThrownBy(() -> parse("whisk.medes.registry.hazelcast.members = []")).hasMessageContaining("members");
    assertThatThrownBy(() -> parse("whisk.medes.registry.hazelcast.backup-count = 7")).hasMessageContaining("backup-count");
    assertThatThrownBy(() -> parse("whisk.medes.registry.hazelcast.async-backup-count = 6"))
        .hasMessageContaining("async-backup-count");
    assertThatThrownBy(() -> parse("whisk.medes.registry.hazelcast.port = 0")).hasMessageContaining("port");
    assertThatThrownBy(() -> parse("whisk.medes.registry.hazelcast.partition-count = 0")).hasMessageContaining("partition-count");
    assertThatThrownBy(() -> parse("whisk.medes.registry.hazelcast.mode = peer")).hasMessageContaining("mode");
    assertThatThrownBy(() -> parse("whisk.medes.registry.hazelcast.map-prefix = \"a*\"")).hasMessageContaining("map-prefix");
    assertThatThrownBy(() -> parse("whisk.medes.registry.hazelcast.lock-timeout = 0s")).hasMessageContaining("lock-timeout");
    assertThatThrownBy(() -> parse("whisk.medes.registry.hazelcast.port = many")).hasMessageContaining("port");
  }

  @Test
  void memberConfigJoinsOnlyTheListedMembersOverTcp() {
    HazelcastRegistrySettings s = parse(
        "whisk.medes.registry.hazelcast { members = [\"127.0.0.1:5801\", \"127.0.0.1:5802\"], port = 5802, backup-count = 2 }");
    Config config = HazelcastRegistryCluster.memberConfig(s);

    assertThat(config.getClusterName()).isEqualTo("medes");
    assertThat(config.getProperty("hazelcast.partition.count")).isEqualTo("31");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("0");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5802);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    assertThat(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getJoin().getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1:5801", "127.0.0.1:5802");
    MapConfig fingerprints = config.findMapConfig("medes.registry.fingerprints");
    assertThat(fingerprints.getBackupCount()).isEqualTo(2);
    assertThat(fingerprints.getInMemoryFormat()).isEqualTo(InMemoryFormat.BINARY);
    assertThat(config.getSerializationConfig().getDataSerializableFactories())
        .containsKey(RegistrySerialization.FACTORY_ID);
  }

  @Test
  void clientConfigConnectsToTheListedMembers() {
    ClientConfig config = HazelcastRegistryCluster.clientConfig(parse("whisk.medes.registry.hazelcast.mode = client"));
    assertThat(config.getClusterName()).isEqualTo("medes");
    assertThat(config.getNetworkConfig().getAddresses()).isEqualTo(List.of("127.0.0.1:5701"));
    assertThat(config.getSerializationConfig().getDataSerializableFactories())
        .containsKey(RegistrySerialization.FACTORY_ID);
  }
}
