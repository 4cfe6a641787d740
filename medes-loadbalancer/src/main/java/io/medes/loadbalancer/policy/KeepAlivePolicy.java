package io.medes.loadbalancer.policy;

import io.medes.loadbalancer.state.ClusterState;
import io.medes.loadbalancer.state.Sandbox;

/**
 * A keep-alive (and dedup) policy: decides what happens to idle sandboxes and which ones to evict when a
 * node is out of memory. The live controller and the simulator drive the same instances.
 *
 * <p>Contract:
 * <ol>
 *   <li>{@link #decide} and {@link #evict} are pure: they read the cluster state and the policy's own
 *       statistics and return a value; they change nothing and never read a clock — {@code now} is
 *       passed in.</li>
 *   <li>The {@code on*} hooks are the only places where a policy updates its own statistics; the caller
 *       invokes them once per event, in time order, before acting on the next decision.</li>
 *   <li>{@link #decide} is called when a sandbox becomes idle and again at every
 *       {@link Decision#nextDecisionAt()} it asked for, as long as the sandbox stays in that state.</li>
 * </ol>
 */
public interface KeepAlivePolicy {

  /** The name this policy is registered under (see {@link PolicyRegistry}). */
  String name();

  /** What to do now with an idle sandbox (WARM, DEDUP or BASE). Pure. */
  Decision decide(ClusterState state, Sandbox idle, long now);

  /**
   * How to make at least {@code needKib} KiB free on {@code node}: idle sandboxes to purge, and (for a
   * policy that deduplicates) idle WARM sandboxes to deduplicate, whose memory is free once their
   * checkpoints are done — the start waits for them. Never includes {@code keep} (may be null) or a base
   * that dedup sandboxes still use; null if even evicting every candidate would not free enough. Pure;
   * the order of victims and conversions is the policy's own.
   */
  EvictionPlan evict(ClusterState state, int node, long needKib, Sandbox keep, long now);

  /**
   * Like {@link #evict(ClusterState, int, long, Sandbox, long)}, for a start that may wait at most
   * {@code maxCheckpointWaitMs} for checkpoints: no conversion in the plan may take longer. Policies that
   * never deduplicate on eviction need not override it. Pure.
   */
  default EvictionPlan evict(ClusterState state, int node, long needKib, Sandbox keep, long maxCheckpointWaitMs,
      long now) {
    return evict(state, node, needKib, keep, now);
  }

  /** Whether this policy ever asks for DEDUP or MAKE_BASE (the scheduler then considers dedup starts). */
  default boolean usesDedup() {
    return false;
  }

  /** A request of {@code function} arrived (called before it is placed and before state records it). */
  default void onArrival(ClusterState state, int function, long now) {}

  /** A request was handed to {@code sandbox} (warm, dedup or cold start). */
  default void onDispatch(ClusterState state, Sandbox sandbox, long now) {}

  /** {@code sandbox} finished a request and is idle again (called before {@link #decide}). */
  default void onIdle(ClusterState state, Sandbox sandbox, long now) {}

  /** {@code sandbox} is about to be purged, by a decision or by eviction. */
  default void onPurge(ClusterState state, Sandbox sandbox, boolean evicted, long now) {}
}
