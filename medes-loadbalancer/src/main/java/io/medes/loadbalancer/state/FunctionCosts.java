package io.medes.loadbalancer.state;

import java.util.Arrays;

/**
 * What starting and keeping a sandbox of each function costs: start latencies (cold, warm, dedup with a
 * local base, dedup with a remote base) in ms, memory (warm, dedup) in KiB, the time to checkpoint and
 * deduplicate one warm sandbox in ms, plus the function's environment — the runtime and library stack whose base sandboxes its dedup sandboxes can use.
 * Immutable; build one with {@link #builder(int)}.
 */
public final class FunctionCosts {
  private final int[] environment;
  private final int[] coldMs;
  private final int[] warmMs;
  private final int[] dedupLocalMs;
  private final int[] dedupRemoteMs;
  private final long[] warmKib;
  private final long[] dedupKib;
  private final int[] checkpointMs;
  private final int environments;

  private FunctionCosts(Builder b) {
    this.environment = b.environment.clone();
    this.coldMs = b.coldMs.clone();
    this.warmMs = b.warmMs.clone();
    this.dedupLocalMs = b.dedupLocalMs.clone();
    this.dedupRemoteMs = b.dedupRemoteMs.clone();
    this.warmKib = b.warmKib.clone();
    this.dedupKib = b.dedupKib.clone();
    this.checkpointMs = b.checkpointMs.clone();
    this.environments = Arrays.stream(environment).max().orElse(-1) + 1;
  }

  public static Builder builder(int functions) {
    return new Builder(functions);
  }

  public int functions() {
    return environment.length;
  }

  /** Number of distinct environments (max environment id + 1). */
  public int environments() {
    return environments;
  }

  public int environment(int function) {
    return environment[function];
  }

  public int coldMs(int function) {
    return coldMs[function];
  }

  public int warmMs(int function) {
    return warmMs[function];
  }

  public int dedupMs(int function, boolean localBase) {
    return localBase ? dedupLocalMs[function] : dedupRemoteMs[function];
  }

  public long warmKib(int function) {
    return warmKib[function];
  }

  public long dedupKib(int function) {
    return dedupKib[function];
  }

  /**
   * How long deduplicating one idle warm sandbox takes (checkpoint, fingerprints, base lookup, patches)
   * before its warm memory is released, ms. 0 = instantaneous (not modelled).
   */
  public int checkpointMs(int function) {
    return checkpointMs[function];
  }

  /** Fills per-function costs; every function must be set before {@link #build()}. */
  public static final class Builder {
    final int[] environment;
    final int[] coldMs;
    final int[] warmMs;
    final int[] dedupLocalMs;
    final int[] dedupRemoteMs;
    final long[] warmKib;
    final long[] dedupKib;
    final int[] checkpointMs;
    private final boolean[] set;

    Builder(int functions) {
      if (functions <= 0) {
        throw new IllegalArgumentException("need at least one function, got " + functions);
      }
      environment = new int[functions];
      coldMs = new int[functions];
      warmMs = new int[functions];
      dedupLocalMs = new int[functions];
      dedupRemoteMs = new int[functions];
      warmKib = new long[functions];
      dedupKib = new long[functions];
      checkpointMs = new int[functions];
      set = new boolean[functions];
    }

    /** Sets one function's costs with an instantaneous checkpoint (see the 9-argument form). */
    public Builder function(int function, int environmentId, int cold, int warm, int dedupLocal, int dedupRemote,
        long warmMemoryKib, long dedupMemoryKib) {
      return function(function, environmentId, cold, warm, dedupLocal, dedupRemote, warmMemoryKib, dedupMemoryKib, 0);
    }

    /** Sets one function's costs, validating that dedup sits between warm and cold. */
    public Builder function(int function, int environmentId, int cold, int warm, int dedupLocal, int dedupRemote,
        long warmMemoryKib, long dedupMemoryKib, int checkpoint) {
      String where = "function " + function;
      require(environmentId >= 0, where + ": environment must be >= 0, got " + environmentId);
      require(warm >= 0 && cold >= 0 && dedupLocal >= 0 && dedupRemote >= 0,
          where + ": start latencies must be >= 0");
      require(warm <= dedupLocal && dedupLocal <= dedupRemote,
          where + ": need warm <= dedup-local <= dedup-remote ms, got " + warm + ", " + dedupLocal + ", "
              + dedupRemote);
      require(warmMemoryKib > 0, where + ": warm memory must be > 0 KiB, got " + warmMemoryKib);
      require(dedupMemoryKib >= 0 && dedupMemoryKib <= warmMemoryKib,
          where + ": dedup memory must be within [0, warm], got " + dedupMemoryKib + " of " + warmMemoryKib);
      require(checkpoint >= 0, where + ": checkpoint time must be >= 0 ms, got " + checkpoint);
      environment[function] = environmentId;
      coldMs[function] = cold;
      warmMs[function] = warm;
      dedupLocalMs[function] = dedupLocal;
      dedupRemoteMs[function] = dedupRemote;
      warmKib[function] = warmMemoryKib;
      dedupKib[function] = dedupMemoryKib;
      checkpointMs[function] = checkpoint;
      set[function] = true;
      return this;
    }

    public FunctionCosts build() {
      for (int f = 0; f < set.length; f++) {
        require(set[f], "function " + f + " has no costs");
      }
      return new FunctionCosts(this);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
