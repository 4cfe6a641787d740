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

  private static final Placement WAIT = new Placement(Kind.WAIT, null, -1, 0, false, EvictionPlan.none(), 0);

  private final Kind kind;
  private final Sandbox sandbox;
  private final int node;
  private final int startMs;
  private final boolean localBase;
  private final EvictionPlan eviction;
  private final int checkpointWaitMs;

  private Placement(Kind kind, Sandbox sandbox, int node, int startMs, boolean localBase, EvictionPlan eviction,
      int checkpointWaitMs) {
    this.kind = kind;
    this.sandbox = sandbox;
    this.node = node;
    this.startMs = startMs;
    this.localBase = localBase;
    this.eviction = eviction;
    this.checkpointWaitMs = checkpointWaitMs;
  }

  static Placement warm(Sandbox s, int startMs) {
    return new Placement(Kind.WARM, s, s.node(), startMs, false, EvictionPlan.none(), 0);
  }

  static Placement dedup(Sandbox s, int startMs, boolean localBase, EvictionPlan eviction, int checkpointWaitMs) {
    return new Placement(Kind.DEDUP, s, s.node(), startMs, localBase, eviction, checkpointWaitMs);
  }

  static Placement cold(int node, int startMs, EvictionPlan eviction, int checkpointWaitMs) {
    return new Placement(Kind.COLD, null, node, startMs, false, eviction, checkpointWaitMs);
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

  /** Idle sandboxes to purge (and to deduplicate) on {@link #node()} first, to make room. */
  public EvictionPlan eviction() {
    return eviction;
  }

  /**
   * How long the start waits for the checkpoints of the eviction plan's conversions before its memory
   * is free (the longest of them), ms; 0 if the plan converts nothing.
   */
  public int checkpointWaitMs() {
    return checkpointWaitMs;
  }

  @Override
  public String toString() {
    return kind + (sandbox != null ? " " + sandbox : "") + (node >= 0 ? " on node " + node : "")
        + " start " + startMs + " ms" + (eviction.isEmpty() ? "" : ", " + eviction)
        + (checkpointWaitMs == 0 ? "" : " after " + checkpointWaitMs + " ms of checkpoints");
  }
}
