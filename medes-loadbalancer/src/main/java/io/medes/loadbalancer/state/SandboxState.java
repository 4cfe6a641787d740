package io.medes.loadbalancer.state;

/**
 * The lifecycle state of one sandbox as the controller sees it. A sandbox is in exactly one state at a
 * time; {@link ClusterState} keeps one index list per (function, state) and per (node, state), so a
 * sandbox is also in exactly one of those lists.
 *
 * <pre>
 *   (cold start) STARTING ──▶ RUNNING ──▶ WARM ──▶ DEDUP ──▶ RESTORING ──▶ RUNNING
 *                                 ▲   │      │  ╲       ╲
 *                                 │   ▼      │   ▶ BASE   ▶ PURGED
 *                                 └── BASE ◀─┘
 * </pre>
 */
public enum SandboxState {
  /** A cold start is under way: container created, runtime booting, code loading. */
  STARTING,
  /** A dedup start is under way: base pages read, patches applied, checkpoint restored. */
  RESTORING,
  /** Executing a request (a base may run too; it stays a base). */
  RUNNING,
  /** Idle and paused, holding its full memory: a request here is a warm start. */
  WARM,
  /** Idle and deduplicated against a base: holds only patches and pointers. */
  DEDUP,
  /** Idle base sandbox: warm, and its checkpoint pages are the reference for dedup sandboxes. */
  BASE,
  /** Gone; terminal. Kept only so a stale id can be recognised. */
  PURGED;

  /** Number of states, for per-state arrays. */
  public static final int COUNT = values().length;

  private static final SandboxState[] VALUES = values();

  /** The state with the given ordinal. */
  public static SandboxState of(int ordinal) {
    return VALUES[ordinal];
  }

  /** Whether a sandbox in this state is idle (a candidate for a policy decision or eviction). */
  public boolean isIdle() {
    return this == WARM || this == DEDUP || this == BASE;
  }

  /** Whether a sandbox in this state is serving or about to serve a request. */
  public boolean isBusy() {
    return this == STARTING || this == RESTORING || this == RUNNING;
  }
}
