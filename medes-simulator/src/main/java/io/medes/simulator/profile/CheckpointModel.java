package io.medes.simulator.profile;

/**
 * How long deduplicating one idle warm sandbox takes before its warm memory is released: CRIU dump,
 * fingerprints, registry lookup and patch encoding. Used for profiles without a measured
 * {@code checkpoint_ms} column: {@code fixed + warm MB / throughput}. Immutable.
 */
public final class CheckpointModel {
  private final long fixedMs;
  private final double mbPerSecond;

  /** {@code fixedMs} per sandbox plus {@code warm MB / mbPerSecond} seconds. */
  public CheckpointModel(long fixedMs, double mbPerSecond) {
    if (fixedMs < 0) {
      throw new IllegalArgumentException("checkpoint fixed time must be >= 0 ms, got " + fixedMs);
    }
    if (!(mbPerSecond > 0) || Double.isInfinite(mbPerSecond)) {
      throw new IllegalArgumentException("checkpoint throughput must be a positive MB/s, got " + mbPerSecond);
    }
    this.fixedMs = fixedMs;
    this.mbPerSecond = mbPerSecond;
  }

  public long fixedMs() {
    return fixedMs;
  }

  public double mbPerSecond() {
    return mbPerSecond;
  }

  /** Checkpoint time of a sandbox holding {@code warmMb}, ms (rounded). */
  public int ms(double warmMb) {
    return (int) Math.round(fixedMs + warmMb / mbPerSecond * 1000.0);
  }

  @Override
  public String toString() {
    return fixedMs + " ms + MB / " + mbPerSecond + " MB/s";
  }
}
