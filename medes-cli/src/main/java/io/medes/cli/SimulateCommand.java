package io.medes.cli;

import io.medes.config.MedesConfig;
import io.medes.loadbalancer.policy.PolicySettings;
import io.medes.simulator.Experiment;
import io.medes.simulator.Progress;
import io.medes.simulator.SimulationResult;
import io.medes.simulator.SimulatorSettings;
import io.medes.simulator.Sweep;
import io.medes.simulator.profile.FunctionMapping;
import io.medes.simulator.report.ResultCsv;
import io.medes.simulator.report.ResultTable;
import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code medes simulate}: replays Azure 2019 trace samples through the keep-alive policies on a simulated
 * cluster. Defaults come from {@code whisk.medes.simulator}; options override them.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Replay an Azure Functions 2019 sample through the keep-alive/dedup policies on a simulated cluster",
      "and print cold starts, latency percentiles and memory per policy.",
      "Without options: the embedded 100-function sample, 4 hours, 4 nodes x 2048 MB, all policies.",
      "With --sweep: the memory-pressure sweep (1000 functions, one day, several caps, all policies),",
      "writing docs/results/policies*.csv, ratio tables and PNG plots."
    })
final class SimulateCommand implements Callable<Integer> {

  @Option(names = "--trace", paramLabel = "N", description = "Functions from the embedded sample (first N rows; 50/100/200/1000 are the published samples).")
  Integer trace;

  @Option(names = "--trace-dir", paramLabel = "DIR", description = "Read DIR/N_{inv,run,mem}.csv instead of the embedded sample.")
  String traceDir;

  @Option(names = "--minutes", description = "Minutes of the day to replay (1-1440).")
  Integer minutes;

  @Option(names = "--nodes", description = "Invoker nodes.")
  Integer nodes;

  @Option(names = "--mem-cap-mb", paramLabel = "MB", description = "Memory cap per node, MB.")
  Integer memCapMb;

  @Option(names = "--policy", split = ",", paramLabel = "NAME", description = "Policies to run (comma-separated, or 'all'): fixed, hybrid-histogram, greedy-dual, medes.")
  List<String> policies;

  @Option(names = "--seed", description = "Seed for arrival times and execution-time draws.")
  Long seed;

  @Option(names = "--profile", paramLabel = "FILE", description = "Cost-profile CSV (as written by 'medes bench starts'); default: the built-in profile.")
  String profile;

  @Option(names = "--memory-source", description = "Sandbox memory from the trace or the profile: ${COMPLETION-CANDIDATES}.")
  FunctionMapping.MemorySource memorySource;

  @Option(names = "--exec-source", description = "Execution times from the trace or the profile: ${COMPLETION-CANDIDATES}.")
  SimulatorSettings.ExecSource execSource;

  @Option(names = "--sweep", description = "Run the memory-pressure sweep and write CSVs and plots.")
  boolean sweep;

  @Option(names = "--caps", split = ",", paramLabel = "MB", description = "Per-node caps for --sweep (default from whisk.medes.simulator.sweep.mem-caps-mb).")
  List<Integer> caps;

  @Option(names = "--output-dir", paramLabel = "DIR", description = "Where --sweep (or --csv) writes (default whisk.medes.simulator.sweep.output-dir).")
  String outputDir;

  @Option(names = "--csv", paramLabel = "FILE", description = "Also write the results of a single run as CSV.")
  String csv;

  @Option(names = "--no-progress", description = "Do not draw progress bars.")
  boolean noProgress;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Config config = MedesConfig.load();
    SimulatorSettings s = new SimulatorSettings(config);
    PolicySettings policySettings = new PolicySettings(config);
    List<String> policyNames = policies == null ? s.policies() : SimulatorSettings.validatePolicies(policies, "--policy");
    boolean progress = !noProgress;
    if (sweep) {
      SimulatorSettings sw = overridden(config, true);
      List<Integer> capList = caps == null ? sw.sweepCapsMb() : caps;
      for (int c : capList) {
        if (c <= 0) {
          throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--caps: caps must be positive MB, got " + c);
        }
      }
      Path dir = Path.of(outputDir != null ? outputDir : sw.outputDir());
      long start = System.nanoTime();
      Sweep.run(sw, policySettings, policyNames, capList, dir, progress, out);
      out.printf(Locale.ROOT, "sweep took %.1f s%n", (System.nanoTime() - start) / 1e9);
      return 0;
    }
    SimulatorSettings r = overridden(config, false);
    long prepStart = System.nanoTime();
    Experiment exp = Experiment.prepare(r.trace(), r.traceDir(), r.minutes(), r.seed(), r.profile(), r.memorySource(), r.execSource(),
        r.checkpoints());
    out.printf(Locale.ROOT, "%s: %d requests from %d functions over %d min; %d nodes x %d MB; seed %d; profile %s (prepared in %.1f s)%n",
        exp.workload().name(), exp.workload().size(), exp.workload().functions(), r.minutes(), r.nodes(), r.memCapMb(), r.seed(),
        exp.profile().source(), (System.nanoTime() - prepStart) / 1e9);
    out.flush();
    List<SimulationResult> results = new ArrayList<>();
    for (String policy : policyNames) {
      try (Progress bar = Progress.of(String.format(Locale.ROOT, "%-16s", policy), exp.workload().size(), progress)) {
        results.add(exp.run(policy, r.nodes(), r.memCapMb(), policySettings, bar));
      }
    }
    ResultTable.print(results, out);
    if (csv != null) {
      ResultCsv.write(Path.of(csv), ResultCsv.summaryLines(results));
      out.println("wrote " + csv);
    }
    return 0;
  }

  /** The simulator settings with this command's options laid over them (and validated again). */
  private SimulatorSettings overridden(Config config, boolean forSweep) {
    java.util.Map<String, Object> o = new java.util.HashMap<>();
    String p = SimulatorSettings.PATH + ".";
    String q = forSweep ? p + "sweep." : p;
    if (trace != null) {
      o.put(q + "trace", trace);
    }
    if (minutes != null) {
      o.put(q + "minutes", minutes);
    }
    if (nodes != null) {
      o.put(q + "nodes", nodes);
    }
    if (traceDir != null) {
      o.put(p + "trace-dir", traceDir);
    }
    if (memCapMb != null) {
      o.put(p + "mem-cap-mb", memCapMb);
    }
    if (seed != null) {
      o.put(p + "seed", seed);
    }
    if (profile != null) {
      o.put(p + "profile", profile);
    }
    if (memorySource != null) {
      o.put(p + "memory-source", memorySource.name().toLowerCase(Locale.ROOT));
    }
    if (execSource != null) {
      if (forSweep) {
        o.put(p + "sweep.exec-sources", List.of(execSource.name().toLowerCase(Locale.ROOT)));
      } else {
        o.put(p + "exec-source", execSource.name().toLowerCase(Locale.ROOT));
      }
    }
    return new SimulatorSettings(com.typesafe.config.ConfigFactory.parseMap(o, "command-line options").withFallback(config));
  }
}
