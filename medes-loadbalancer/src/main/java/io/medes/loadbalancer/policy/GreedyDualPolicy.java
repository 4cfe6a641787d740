package io.medes.loadbalancer.policy;

import io.medes.loadbalancer.state.ClusterState;
import io.medes.loadbalancer.state.Sandbox;
import io.medes.loadbalancer.state.SandboxState;

/**
 * FaasCache's Greedy-Dual keep-alive (Fuerst & Sharma, ASPLOS'21). Sandboxes are kept until memory is
 * needed; then the idle sandbox with the lowest priority goes first, where a sandbox's priority is set
 * each time it is used to
 *
 * <pre>  priority = clock + frequency(function) * (cold start - warm start) / memory</pre>
 *
 * with {@code frequency} the number of requests served by the function's live sandboxes (it drops when
 * they are evicted) and {@code clock} raised to the priority of each evicted sandbox, which ages every
 * sandbox not used since.
 */
public final class GreedyDualPolicy implements KeepAlivePolicy {
  /** Registry name. */
  public static final String NAME = "greedy-dual";

  private final long maxIdleMs;
  private final long[] liveFrequency;
  private double clock;

  public GreedyDualPolicy(PolicySettings.GreedyDual settings, int functions) {
    this.maxIdleMs = settings.maxIdleMs();
    this.liveFrequency = new long[functions];
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The current Greedy-Dual clock (the largest priority evicted so far). */
  public double clock() {
    return clock;
  }

  /** Requests served by the live sandboxes of {@code function}, counting the ones in progress. */
  public long frequency(int function) {
    return liveFrequency[function];
  }

  /** The priority a sandbox of {@code function} gets if it is used now. */
  public double priorityOf(ClusterState state, int function) {
    double costMs = state.costs().coldMs(function) - state.costs().warmMs(function);
    double memoryMb = state.costs().warmKib(function) / 1024.0;
    return clock + liveFrequency[function] * costMs / memoryMb;
  }

  @Override
  public void onDispatch(ClusterState state, Sandbox sandbox, long now) {
    liveFrequency[sandbox.function()]++;
  }

  @Override
  public void onIdle(ClusterState state, Sandbox sandbox, long now) {
    state.setPriority(sandbox, priorityOf(state, sandbox.function()));
  }

  @Override
  public void onPurge(ClusterState state, Sandbox sandbox, boolean evicted, long now) {
    // A sandbox carries the requests it served (plus the one in flight, never for an idle sandbox).
    liveFrequency[sandbox.function()] -= sandbox.requestsServed();
    if (evicted && sandbox.priority() > clock) {
      clock = sandbox.priority();
    }
  }

  @Override
  public Decision decide(ClusterState state, Sandbox idle, long now) {
    if (maxIdleMs == 0) {
      return Decision.keep(Decision.NEVER, "Greedy-Dual keeps sandboxes until memory is needed");
    }
    long expiresAt = idle.idleSince() + maxIdleMs;
    return now >= expiresAt ? Decision.purge("idle beyond max-idle") : Decision.keep(expiresAt, "within max-idle");
  }

  @Override
  public EvictionPlan evict(ClusterState state, int node, long needKib, Sandbox keep, long now) {
    return Evictions.lowestScoreFirst(state, node, needKib, keep, Sandbox::priority, SandboxState.WARM);
  }
}
