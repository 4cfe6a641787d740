package io.medes.loadbalancer.policy;

import io.medes.loadbalancer.state.ClusterState;
import io.medes.loadbalancer.state.Sandbox;

/**
 * Fixed keep-alive, OpenWhisk's default: an idle sandbox stays warm for a fixed time after its last
 * request and is then purged; under memory pressure the least recently used idle sandbox goes first
 * (as in OpenWhisk's {@code ContainerPool.remove}).
 */
public final class FixedKeepAlivePolicy implements KeepAlivePolicy {
  /** Registry name. */
  public static final String NAME = "fixed";

  private final long keepAliveMs;

  public FixedKeepAlivePolicy(PolicySettings.Fixed settings) {
    this.keepAliveMs = settings.keepAliveMs();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Decision decide(ClusterState state, Sandbox idle, long now) {
    long expiresAt = idle.idleSince() + keepAliveMs;
    if (now >= expiresAt) {
      return Decision.purge("idle for the keep-alive of " + keepAliveMs + " ms");
    }
    return Decision.keep(expiresAt, "within keep-alive");
  }

  @Override
  public EvictionPlan evict(ClusterState state, int node, long needKib, Sandbox keep, long now) {
    return Evictions.leastRecentlyUsedWarm(state, node, needKib, keep);
  }
}
