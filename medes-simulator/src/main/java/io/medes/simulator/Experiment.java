package io.medes.simulator;

import io.medes.loadbalancer.policy.PolicySettings;
import io.medes.loadbalancer.state.FunctionCosts;
import io.medes.simulator.profile.CheckpointModel;
import io.medes.simulator.profile.CostProfile;
import io.medes.simulator.profile.FunctionMapping;
import io.medes.simulator.trace.AzureTrace;
import io.medes.simulator.trace.Workload;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.LongConsumer;

/** A prepared workload with its per-function costs, ready to be run through any policy and cluster. */
public final class Experiment {
  private final Workload workload;
  private final FunctionCosts costs;
  private final CostProfile profile;

  public Experiment(Workload workload, FunctionCosts costs, CostProfile profile) {
    this.workload = workload;
    this.costs = costs;
    this.profile = profile;
  }

  /**
   * Loads a trace (the embedded sample if {@code traceDir} is empty), spreads {@code minutes} of it into
   * requests with {@code seed}, and maps functions onto the profile's actions (checkpoint times from the
   * profile, else from {@code checkpoints}).
   */
  public static Experiment prepare(int functions, String traceDir, int minutes, long seed, String profilePath,
      FunctionMapping.MemorySource memorySource, SimulatorSettings.ExecSource execSource, CheckpointModel checkpoints) {
    AzureTrace trace = traceDir == null || traceDir.isEmpty()
        ? AzureTrace.embedded(functions)
        : AzureTrace.fromDirectory(Path.of(traceDir), String.valueOf(functions), functions);
    CostProfile profile = profilePath == null || profilePath.isEmpty() ? CostProfile.defaults() : CostProfile.fromFile(Path.of(profilePath));
    Workload workload = Workload.fromTrace(trace, minutes, seed);
    FunctionCosts costs = FunctionMapping.costs(trace, profile, memorySource, checkpoints);
    String label = "azure2019-" + trace.functions() + "-" + minutes + "m";
    if (execSource == SimulatorSettings.ExecSource.PROFILE) {
      int[] exec = new int[trace.functions()];
      for (int f = 0; f < exec.length; f++) {
        exec[f] = profile.action(FunctionMapping.actionOf(trace.functionId(f), profile.size())).execMs();
      }
      workload = workload.withExecutionTimes(exec, "");
      label += "-profile-exec";
    }
    return new Experiment(workload.named(label), costs, profile);
  }

  public Workload workload() {
    return workload;
  }

  public FunctionCosts costs() {
    return costs;
  }

  public CostProfile profile() {
    return profile;
  }

  /** Runs one policy on {@code nodes} nodes of {@code memCapMb} each. */
  public SimulationResult run(String policy, int nodes, int memCapMb, PolicySettings settings, LongConsumer progress) {
    long[] caps = new long[nodes];
    Arrays.fill(caps, memCapMb * 1024L);
    return new Simulation(workload, costs, caps, settings, policy, 0).run(progress);
  }
}
