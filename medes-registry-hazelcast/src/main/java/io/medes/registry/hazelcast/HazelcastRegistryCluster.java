package io.medes.registry.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/**
 * Makes the Hazelcast configs and instances the registry runs on: an embedded member joining over
 * TCP-IP (no multicast, no cloud auto-detection, no phone-home), or a client of such members.
 */
public final class HazelcastRegistryCluster {
  private HazelcastRegistryCluster() {}

  /** Starts the member or client {@code settings.mode()} asks for. The caller shuts it down. */
  public static HazelcastInstance start(HazelcastRegistrySettings settings) {
    return settings.mode() == HazelcastRegistrySettings.Mode.CLIENT ? startClient(settings) : startMember(settings);
  }

  /** Starts an embedded member; returns once it has joined (or formed) the cluster. */
  public static HazelcastInstance startMember(HazelcastRegistrySettings settings) {
    return Hazelcast.newHazelcastInstance(memberConfig(settings));
  }

  /** Starts a client of the members in {@code settings}. */
  public static HazelcastInstance startClient(HazelcastRegistrySettings settings) {
    return HazelcastClient.newHazelcastClient(clientConfig(settings));
  }

  /** The member config: network, join, registry map backups and serialization. */
  public static Config memberConfig(HazelcastRegistrySettings settings) {
    Config config = new Config();
    config.setClusterName(settings.clusterName());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // In 5.3 a batched getAll sends every key to every member and each partition operation scans all of
    // them, so the cost of a lookup batch grows with the partition count; the registry's cluster is a
    // handful of controllers, for which 271 partitions buy nothing (measured: docs/results/registry-lookups.md).
    config.setProperty("hazelcast.partition.count", Integer.toString(settings.partitionCount()));

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.port()).setPortAutoIncrement(settings.portAutoIncrement());
    if (!settings.networkInterface().isEmpty()) {
      network.getInterfaces().setEnabled(true).addInterface(settings.networkInterface());
      // Listen on the chosen interface only, not on every address of the host.
      config.setProperty("hazelcast.socket.bind.any", "false");
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());

    config.addMapConfig(registryMapConfig(settings));
    RegistrySerialization.register(config);
    return config;
  }

  /**
   * One config for all of the registry's maps ({@code <prefix>*}): synchronous backups so a member's
   * loss loses nothing, BINARY storage so that reads — the hot path — hand out the stored bytes without
   * serializing anything on the owner, and no per-map statistics on the lookup path.
   */
  public static MapConfig registryMapConfig(HazelcastRegistrySettings settings) {
    return new MapConfig(settings.mapPrefix() + "*")
        .setBackupCount(settings.backupCount())
        .setAsyncBackupCount(settings.asyncBackupCount())
        .setInMemoryFormat(InMemoryFormat.BINARY)
        .setStatisticsEnabled(false);
  }

  /** The client config: the members as addresses, the registry's serialization, no phone-home. */
  public static ClientConfig clientConfig(HazelcastRegistrySettings settings) {
    ClientConfig config = new ClientConfig();
    config.setClusterName(settings.clusterName());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.getNetworkConfig().setAddresses(settings.members());
    config.getNetworkConfig().getAutoDetectionConfig().setEnabled(false);
    // Give up connecting after the operation timeout instead of retrying forever.
    config.getConnectionStrategyConfig().getConnectionRetryConfig()
        .setClusterConnectTimeoutMillis(settings.operationTimeout().toMillis());
    RegistrySerialization.register(config);
    return config;
  }
}
