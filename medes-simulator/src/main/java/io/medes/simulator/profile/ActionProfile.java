package io.medes.simulator.profile;

/**
 * Measured (or default) costs of one sample action: start latencies in ms and memory in MB. One row of a
 * cost-profile file (see docs/simulator.md for the format).
 */
public final class ActionProfile {
  private final String action;
  private final int coldMs;
  private final int warmMs;
  private final int dedupMs;
  private final int dedupRemoteMs;
  private final double warmMemMb;
  private final double dedupMemMb;
  private final int execMs;
  private final int checkpointMs;

  /** A profile row without a measured checkpoint time. */
  public ActionProfile(String action, int coldMs, int warmMs, int dedupMs, int dedupRemoteMs, double warmMemMb,
      double dedupMemMb, int execMs) {
    this(action, coldMs, warmMs, dedupMs, dedupRemoteMs, warmMemMb, dedupMemMb, execMs, -1);
  }

  /** {@code checkpointMs}: measured time to deduplicate a sandbox of {@code warmMemMb}, or -1 if not measured. */
  public ActionProfile(String action, int coldMs, int warmMs, int dedupMs, int dedupRemoteMs, double warmMemMb,
      double dedupMemMb, int execMs, int checkpointMs) {
    this.action = action;
    this.coldMs = coldMs;
    this.warmMs = warmMs;
    this.dedupMs = dedupMs;
    this.dedupRemoteMs = dedupRemoteMs;
    this.warmMemMb = warmMemMb;
    this.dedupMemMb = dedupMemMb;
    this.execMs = execMs;
    this.checkpointMs = checkpointMs;
  }

  /**
   * Measured time to checkpoint and deduplicate one warm sandbox of this action (of {@link #warmMemMb()}),
   * ms; -1 if the profile has no {@code checkpoint_ms} column.
   */
  public int checkpointMs() {
    return checkpointMs;
  }

  public String action() {
    return action;
  }

  /** Cold start: create the container, boot the runtime, /init the code. */
  public int coldMs() {
    return coldMs;
  }

  /** Warm start: unpause and hand over the request. */
  public int warmMs() {
    return warmMs;
  }

  /** Dedup start with the base on the same node. */
  public int dedupMs() {
    return dedupMs;
  }

  /** Dedup start with the base on another node. */
  public int dedupRemoteMs() {
    return dedupRemoteMs;
  }

  /** Memory of a warm (paused) sandbox. */
  public double warmMemMb() {
    return warmMemMb;
  }

  /** Memory of a dedup sandbox: patches, raw pages and pointers. */
  public double dedupMemMb() {
    return dedupMemMb;
  }

  /** Fraction of warm memory a dedup sandbox keeps ({@code dedup_mem_mb / warm_mem_mb}). */
  public double dedupFraction() {
    return dedupMemMb / warmMemMb;
  }

  /** Nominal execution time (used only when the trace gives none). */
  public int execMs() {
    return execMs;
  }

  @Override
  public String toString() {
    return action + "{cold=" + coldMs + ", warm=" + warmMs + ", dedup=" + dedupMs + "/" + dedupRemoteMs
        + " ms, mem=" + warmMemMb + "/" + dedupMemMb + " MB}";
  }
}
