package io.medes.loadbalancer.policy;

/**
 * What a policy wants done with one idle sandbox now, and when it wants to be asked again.
 * Immutable.
 */
public final class Decision {
  /** "Never ask again" (until the sandbox changes state). */
  public static final long NEVER = Long.MAX_VALUE;

  /** The transition a policy asks for. */
  public enum Action {
    /** Leave the sandbox as it is (warm stays warm, dedup stays dedup, a base stays a base). */
    KEEP,
    /** Deduplicate a WARM sandbox against a base of its environment. */
    DEDUP,
    /** Designate a WARM sandbox as a base of its environment. */
    MAKE_BASE,
    /** Retire a BASE that no dedup sandbox references (it is purged). */
    RETIRE_BASE,
    /** Turn a BASE that no dedup sandbox references back into a plain WARM sandbox. */
    DEMOTE_BASE,
    /** Remove the sandbox. */
    PURGE
  }

  private final Action action;
  private final long nextDecisionAt;
  private final long prewarmAt;
  private final String reason;

  private Decision(Action action, long nextDecisionAt, long prewarmAt, String reason) {
    this.action = action;
    this.nextDecisionAt = nextDecisionAt;
    this.prewarmAt = prewarmAt;
    this.reason = reason;
  }

  public static Decision keep(long nextDecisionAt, String reason) {
    return new Decision(Action.KEEP, nextDecisionAt, NEVER, reason);
  }

  public static Decision dedup(long nextDecisionAt, String reason) {
    return new Decision(Action.DEDUP, nextDecisionAt, NEVER, reason);
  }

  public static Decision makeBase(long nextDecisionAt, String reason) {
    return new Decision(Action.MAKE_BASE, nextDecisionAt, NEVER, reason);
  }

  public static Decision demoteBase(long nextDecisionAt, String reason) {
    return new Decision(Action.DEMOTE_BASE, nextDecisionAt, NEVER, reason);
  }

  public static Decision retireBase(String reason) {
    return new Decision(Action.RETIRE_BASE, NEVER, NEVER, reason);
  }

  public static Decision purge(String reason) {
    return new Decision(Action.PURGE, NEVER, NEVER, reason);
  }

  /**
   * Purge now and start a fresh sandbox of the same function in the background at {@code prewarmAt}
   * (the hybrid-histogram policy's "unload, then pre-warm").
   */
  public static Decision purgeThenPrewarm(long prewarmAt, String reason) {
    return new Decision(Action.PURGE, NEVER, prewarmAt, reason);
  }

  public Action action() {
    return action;
  }

  /** When to ask the policy again about this sandbox, or {@link #NEVER}. */
  public long nextDecisionAt() {
    return nextDecisionAt;
  }

  /** When to pre-warm a new sandbox of the function, or {@link #NEVER}. */
  public long prewarmAt() {
    return prewarmAt;
  }

  /** A short human-readable why, for logs and tests. */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return action + (nextDecisionAt == NEVER ? "" : " next@" + nextDecisionAt)
        + (prewarmAt == NEVER ? "" : " prewarm@" + prewarmAt) + " (" + reason + ")";
  }
}
