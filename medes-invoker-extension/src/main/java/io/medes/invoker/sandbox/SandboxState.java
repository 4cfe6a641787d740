package io.medes.invoker.sandbox;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a Medes sandbox and which state may follow which. This table is the only definition of
 * legal transitions; {@link SandboxStateMachine} refuses everything else.
 *
 * <pre>
 *  (cold) ─► STARTING ─► RUNNING ◄──────────────┐
 *                         │   ▲                  │
 *                   pause │   │ resume           │ restore ok
 *                         ▼   │                  │
 *                        WARM ─► CHECKPOINTING ─► DEDUP ─► RESTORING
 *                         ▲  │        │
 *             retire base │  └────────┴─► BASE (paused, pages registered; serves requests)
 *  any failure, purge ─► PURGED (terminal)
 * </pre>
 */
public enum SandboxState {
  /** Container being created and {@code /init}ialised (a cold start). */
  STARTING,
  /** Unpaused, serving an activation. */
  RUNNING,
  /** Paused, memory resident: the next request is a warm start. */
  WARM,
  /** Being dumped by CRIU, for dedup or to become a base. */
  CHECKPOINTING,
  /** Processes gone; only the deduplicated checkpoint remains. The next request is a dedup start. */
  DEDUP,
  /** Pages being rebuilt and verified, then CRIU restore. */
  RESTORING,
  /** Paused and resident like WARM, and its checkpoint pages are registered as base pages. */
  BASE,
  /** Destroyed with all its state. Terminal. */
  PURGED;

  private Set<SandboxState> next;

  static {
    STARTING.next = EnumSet.of(RUNNING, PURGED);
    RUNNING.next = EnumSet.of(WARM, BASE, PURGED);
    WARM.next = EnumSet.of(RUNNING, CHECKPOINTING, PURGED);
    CHECKPOINTING.next = EnumSet.of(DEDUP, BASE, PURGED);
    DEDUP.next = EnumSet.of(RESTORING, PURGED);
    RESTORING.next = EnumSet.of(RUNNING, PURGED);
    BASE.next = EnumSet.of(RUNNING, WARM, PURGED);
    PURGED.next = EnumSet.noneOf(SandboxState.class);
  }

  public boolean canMoveTo(SandboxState target) {
    return next.contains(target);
  }

  /** States in which an operation is in progress; nothing else may start on the sandbox. */
  public boolean isTransitional() {
    return this == STARTING || this == CHECKPOINTING || this == RESTORING;
  }
}
