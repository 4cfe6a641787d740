package io.medes.loadbalancer.state;

/**
 * The lifecycle state of one sandbox as the controller sees it. A sandbox is in exactly one state at a
 * time; {@link ClusterState} keeps one index list per (function, state) and per (node, state), so a
 * sandbox is also in exactly one of those lists.
 *
 * <pre>
 *   (cold start) STARTING ──▶ RUNNING ──▶ WARM ──▶ CHECKPOINTING ──▶ DEDUP ──▶ RESTORING ──▶ RUNNING
 *                                 ▲   │      │                      │  ╲          ▲
 *                                 │   ▼      │                      │   ▶ PURGED  │
 *                                 └── BASE ◀─┘                      ▼             │
 *                                                            RESTORE_PENDING ─────┘
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
  /**
   * Being deduplicated: checkpoint, fingerprints, base lookup and patches are under way. Holds its full
   * warm memory until the dump is done, references its base already, and can neither serve a request nor
   * be evicted (the container has been frozen for the dump).
   */
  CHECKPOINTING,
  /**
   * A DEDUP sandbox claimed by a request whose restore has to wait (for memory being freed by checkpoints
   * on its node, or for a restore slot). Holds dedup memory and its base reference; not idle.
   */
  RESTORE_PENDING,
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
    return this == STARTING || this == RESTORING || this == RUNNING || this == RESTORE_PENDING;
  }
}
