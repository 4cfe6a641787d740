package io.medes.registry.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Embedded members on 127.0.0.1 for tests: free ports picked at start and a cluster name unique to this
 * run, so parallel test runs on the same machine never join each other.
 */
final class TestCluster implements AutoCloseable {
  final HazelcastRegistrySettings settings;
  final List<HazelcastInstance> members = new ArrayList<>();
  private final List<HazelcastInstance> clients = new ArrayList<>();

  private TestCluster(HazelcastRegistrySettings settings) {
    this.settings = settings;
  }

  /** Starts {@code size} members that form one cluster. */
  static TestCluster start(int size, int backupCount) {
    List<Integer> ports = freePorts(size);
    List<String> addresses = new ArrayList<>();
    for (int port : ports) {
      addresses.add("127.0.0.1:" + port);
    }
    HazelcastRegistrySettings settings = HazelcastRegistrySettings.builder()
        .clusterName("medes-registry-test-" + UUID.randomUUID())
        .members(addresses)
        .networkInterface("127.0.0.1")
        .backupCount(backupCount)
        .build();
    TestCluster cluster = new TestCluster(settings);
    try {
      for (int port : ports) {
        cluster.members.add(HazelcastRegistryCluster.startMember(settings.toBuilder().port(port).build()));
      }
      for (HazelcastInstance member : cluster.members) {
        awaitClusterSize(member, size);
      }
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Waits (up to a minute) until {@code member} sees {@code size} members; membership news travels asynchronously. */
  static void awaitClusterSize(HazelcastInstance member, int size) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (member.getCluster().getMembers().size() != size) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("member " + member.getName() + " sees " + member.getCluster().getMembers()
            + ", expected " + size + " members");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for the cluster to form", e);
      }
    }
  }

  HazelcastInstance client() {
    HazelcastInstance client = HazelcastRegistryCluster.startClient(
        settings.toBuilder().mode(HazelcastRegistrySettings.Mode.CLIENT).build());
    clients.add(client);
    return client;
  }

  @Override
  public void close() {
    for (HazelcastInstance client : clients) {
      client.shutdown();
    }
    // Terminating members in the middle of a migration only makes Hazelcast log errors; let it settle.
    long deadline = System.nanoTime() + 30_000_000_000L;
    for (HazelcastInstance member : members) {
      while (member.getLifecycleService().isRunning() && !member.getPartitionService().isClusterSafe()
          && System.nanoTime() < deadline) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    for (HazelcastInstance member : members) {
      if (member.getLifecycleService().isRunning()) {
        member.getLifecycleService().terminate();
      }
    }
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
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback ports", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing a probe socket; nothing to do
        }
      }
    }
    return ports;
  }
}
