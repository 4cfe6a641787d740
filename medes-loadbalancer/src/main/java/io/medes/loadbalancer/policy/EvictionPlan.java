package io.medes.loadbalancer.policy;

import io.medes.loadbalancer.state.Sandbox;
import java.util.Collections;
import java.util.List;

/** Idle sandboxes on one node to purge, in order, and the memory that frees. Immutable. */
public final class EvictionPlan {
  private static final EvictionPlan NONE = new EvictionPlan(Collections.emptyList(), 0);

  private final List<Sandbox> victims;
  private final long freedKib;

  public EvictionPlan(List<Sandbox> victims, long freedKib) {
    this.victims = Collections.unmodifiableList(victims);
    this.freedKib = freedKib;
  }

  /** A plan that evicts nothing (the memory was already free). */
  public static EvictionPlan none() {
    return NONE;
  }

  public List<Sandbox> victims() {
    return victims;
  }

  public long freedKib() {
    return freedKib;
  }

  public boolean isEmpty() {
    return victims.isEmpty();
  }
}
