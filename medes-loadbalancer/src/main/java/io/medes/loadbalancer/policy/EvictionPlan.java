package io.medes.loadbalancer.policy;

import io.medes.loadbalancer.state.Sandbox;
import java.util.Collections;
import java.util.List;

/**
 * How a policy makes room on one node: idle sandboxes to purge now ({@link #victims()}), and idle WARM
 * sandboxes to deduplicate ({@link #conversions()}), which free warm − dedup memory each only once their
 * checkpoints are done — the start that asked for the room waits for them. Immutable.
 */
public final class EvictionPlan {
  private static final EvictionPlan NONE = new EvictionPlan(Collections.emptyList(), 0);

  private final List<Sandbox> victims;
  private final long freedKib;
  private final List<Sandbox> conversions;
  private final long convertedKib;

  /** A purge-only plan. */
  public EvictionPlan(List<Sandbox> victims, long freedKib) {
    this(victims, freedKib, Collections.emptyList(), 0);
  }

  /** Purges {@code victims} (freeing {@code freedKib} now) and deduplicates {@code conversions} (freeing {@code convertedKib} later). */
  public EvictionPlan(List<Sandbox> victims, long freedKib, List<Sandbox> conversions, long convertedKib) {
    this.victims = Collections.unmodifiableList(victims);
    this.freedKib = freedKib;
    this.conversions = Collections.unmodifiableList(conversions);
    this.convertedKib = convertedKib;
  }

  /** A plan that evicts nothing (the memory was already free). */
  public static EvictionPlan none() {
    return NONE;
  }

  /** Idle sandboxes to purge, in order. */
  public List<Sandbox> victims() {
    return victims;
  }

  /** Memory the purges free at once, KiB. */
  public long freedKib() {
    return freedKib;
  }

  /** Idle WARM sandboxes to deduplicate instead of purging, in order. */
  public List<Sandbox> conversions() {
    return conversions;
  }

  /** Memory the conversions free once their checkpoints are done, KiB. */
  public long convertedKib() {
    return convertedKib;
  }

  /** Whether the start has to wait for checkpoints before its memory is there. */
  public boolean waitsForCheckpoints() {
    return !conversions.isEmpty();
  }

  public boolean isEmpty() {
    return victims.isEmpty() && conversions.isEmpty();
  }

  @Override
  public String toString() {
    return "EvictionPlan{purge " + victims.size() + " (" + freedKib + " KiB), dedup " + conversions.size() + " ("
        + convertedKib + " KiB)}";
  }
}
