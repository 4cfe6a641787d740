package io.medes.loadbalancer.schedule;

import io.medes.loadbalancer.policy.EvictionPlan;
import io.medes.loadbalancer.state.Sandbox;

/** Where and how one request starts; what {@link Scheduler#place} returns. Immutable. */
public final class Placement {
  /** How the request starts. */
  public enum Kind {
    /** On an idle warm sandbox (or an idle base) of its function. */
    WARM,
    /** By restoring a dedup sandbox of its function. */
    DEDUP,
    /** In a new sandbox (a cold start). */
    COLD,
    /** Nowhere right now: every node is full of busy sandboxes; the request has to wait. */
    WAIT
  }

  private static final Placement WAIT = new Placement(Kind.WAIT, null, -1, 0, false, EvictionPlan.none());

  private final Kind kind;
  private final Sandbox sandbox;
  private final int node;
  private final int startMs;
  private final boolean localBase;
  private final EvictionPlan eviction;

  private Placement(Kind kind, Sandbox sandbox, int node, int startMs, boolean localBase, EvictionPlan eviction) {
    this.kind = kind;
    this.sandbox = sandbox;
    this.node = node;
    this.startMs = startMs;
    this.localBase = localBase;
    this.eviction = eviction;
  }

  static Placement warm(Sandbox s, int startMs) {
    return new Placement(Kind.WARM, s, s.node(), startMs, false, EvictionPlan.none());
  }

  static Placement dedup(Sandbox s, int startMs, boolean localBase, EvictionPlan eviction) {
    return new Placement(Kind.DEDUP, s, s.node(), startMs, localBase, eviction);
  }

  static Placement cold(int node, int startMs, EvictionPlan eviction) {
    return new Placement(Kind.COLD, null, node, startMs, false, eviction);
  }

  static Placement waiting() {
    return WAIT;
  }

  public Kind kind() {
    return kind;
  }

  /** The sandbox to use (WARM, DEDUP), or null. */
  public Sandbox sandbox() {
    return sandbox;
  }

  /** The node the request runs on, or -1 for WAIT. */
  public int node() {
    return node;
  }

  /** Start latency before the request begins executing, ms. */
  public int startMs() {
    return startMs;
  }

  /** For DEDUP: whether the base is on the same node (a local restore). */
  public boolean localBase() {
    return localBase;
  }

  /** Idle sandboxes to purge on {@link #node()} first, to make room. */
  public EvictionPlan eviction() {
    return eviction;
  }

  @Override
  public String toString() {
    return kind + (sandbox != null ? " " + sandbox : "") + (node >= 0 ? " on node " + node : "")
        + " start " + startMs + " ms" + (eviction.isEmpty() ? "" : ", evicting " + eviction.victims().size());
  }
}
