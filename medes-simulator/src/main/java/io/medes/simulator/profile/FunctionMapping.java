package io.medes.simulator.profile;

import io.medes.loadbalancer.state.FunctionCosts;
import io.medes.simulator.trace.AzureTrace;

/**
 * Maps each trace function onto one of the profile's actions and derives its costs.
 *
 * <p><b>Mapping</b>: action index = (the first 15 hex digits of the function's 64-hex HashFunction, as a
 * number) mod the number of actions. The hashes are uniformly distributed, so the actions get about
 * equal shares; the mapping depends only on the function id, not on the trace size or order.
 *
 * <p><b>Costs</b>: start latencies are the action's. Memory, in {@link MemorySource#TRACE} mode (the
 * default): warm = the function's own {@code AverageAllocatedMb} from the trace, dedup = warm times the
 * action's {@code dedup_mem_mb / warm_mem_mb}; in {@link MemorySource#PROFILE} mode both are the action's.
 * The environment of a function (whose bases it can dedup against) is its action. Checkpoint time: the
 * action's measured {@code checkpoint_ms} if the profile has one (scaled by the function's warm memory
 * over the action's in trace-memory mode: dump and patch work is per page), else the
 * {@link CheckpointModel} estimate for the function's warm memory.
 */
public final class FunctionMapping {
  /** Where sandbox memory comes from. */
  public enum MemorySource { TRACE, PROFILE }

  private FunctionMapping() {}

  /** The action index of a trace function id. */
  public static int actionOf(String functionId, int actions) {
    if (functionId.length() < 15) {
      return Math.floorMod(functionId.hashCode(), actions);
    }
    try {
      long prefix = Long.parseLong(functionId.substring(0, 15), 16);
      return (int) (prefix % actions);
    } catch (NumberFormatException e) {
      return Math.floorMod(functionId.hashCode(), actions);
    }
  }

  /** Per-function costs for every function of the trace, checkpoint times from the profile or {@code checkpoints}. */
  public static FunctionCosts costs(AzureTrace trace, CostProfile profile, MemorySource memory,
      CheckpointModel checkpoints) {
    FunctionCosts.Builder b = FunctionCosts.builder(trace.functions());
    for (int f = 0; f < trace.functions(); f++) {
      int a = actionOf(trace.functionId(f), profile.size());
      ActionProfile p = profile.action(a);
      double warmMb = memory == MemorySource.TRACE ? trace.memoryMb(f) : p.warmMemMb();
      double dedupMb = warmMb * p.dedupFraction();
      int checkpointMs = p.checkpointMs() >= 0
          ? (int) Math.round(p.checkpointMs() * warmMb / p.warmMemMb())
          : checkpoints.ms(warmMb);
      b.function(f, a, p.coldMs(), p.warmMs(), p.dedupMs(), p.dedupRemoteMs(),
          Math.round(warmMb * 1024), Math.round(dedupMb * 1024), checkpointMs);
    }
    return b.build();
  }
}
