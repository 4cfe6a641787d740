package io.medes.simulator;

import io.medes.loadbalancer.policy.MedesPolicy;
import io.medes.loadbalancer.policy.PolicySettings;
import io.medes.simulator.report.Plots;
import io.medes.simulator.report.ResultCsv;
import io.medes.simulator.report.ResultTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The memory-pressure sweep: every policy at every per-node cap, once per execution-time source; writes
 * the CSVs, a ratio table (markdown) and PNG plots into the output directory.
 */
public final class Sweep {
  /** The paper's headline numbers, printed next to ours (mission.md). */
  static final String PAPER_NOTE = "Paper (EuroSys'22): up to 1.85x fewer cold starts than fixed keep-alive, "
      + "3.9x than its adaptive baseline; p99.9 end-to-end latency 1-2.25x better, up to 3.8x under memory pressure.";

  private Sweep() {}

  /** Runs the sweep; returns all results (trace-exec runs first). */
  public static List<SimulationResult> run(SimulatorSettings s, PolicySettings policySettings, List<String> policies,
      List<Integer> capsMb, Path outputDir, boolean progress, PrintWriter out) {
    List<SimulationResult> all = new ArrayList<>();
    for (SimulatorSettings.ExecSource source : s.sweepExecSources()) {
      Experiment exp = Experiment.prepare(s.sweepTrace(), s.traceDir(), s.sweepMinutes(), s.seed(), s.profile(),
          s.memorySource(), source, s.checkpoints());
      out.printf(Locale.ROOT, "%n== %s: %d requests, %d nodes, caps %s MB, seed %d, profile %s%n",
          exp.workload().name(), exp.workload().size(), s.sweepNodes(), capsMb, s.seed(), exp.profile().source());
      out.flush();
      List<SimulationResult> results = new ArrayList<>();
      for (int cap : capsMb) {
        for (String policy : policies) {
          String task = String.format(Locale.ROOT, "%-16s %6d MB", policy, cap);
          try (Progress bar = Progress.of(task, exp.workload().size(), progress)) {
            results.add(exp.run(policy, s.sweepNodes(), cap, policySettings, bar));
          }
        }
      }
      ResultTable.print(results, out);
      String stem = source == SimulatorSettings.ExecSource.TRACE ? "policies" : "policies-profile-exec";
      ResultCsv.write(outputDir.resolve(stem + ".csv"), ResultCsv.summaryLines(results));
      ResultCsv.write(outputDir.resolve(stem + "-detail.csv"), ResultCsv.detailLines(results));
      List<String> ratios = ratioTable(results);
      ResultCsv.write(outputDir.resolve(stem + "-ratios.md"), ratios);
      ratios.forEach(out::println);
      plots(results, outputDir, stem);
      out.printf("wrote %s/%s{.csv,-detail.csv,-ratios.md,-*.png}%n", outputDir, stem);
      out.flush();
      all.addAll(results);
    }
    return all;
  }

  /**
   * Per cap: each baseline's cold starts and p99.9 divided by Medes' (above 1 = Medes better), and in
   * words whether Medes has fewer / as many / more cold starts and a lower / equal / higher p99.9.
   */
  public static List<String> ratioTable(List<SimulationResult> results) {
    List<String> lines = new ArrayList<>();
    lines.add("| cap MB/node | baseline | cold starts baseline / medes | p99.9 baseline / medes | medes cold starts | medes p99.9 |");
    lines.add("|---:|---|---:|---:|---|---|");
    for (SimulationResult m : results) {
      if (!m.policy().equals(MedesPolicy.NAME)) {
        continue;
      }
      for (SimulationResult b : results) {
        if (b.policy().equals(MedesPolicy.NAME) || b.memCapMb() != m.memCapMb() || b.nodes() != m.nodes()) {
          continue;
        }
        double cold = m.coldStarts() == 0 ? Double.POSITIVE_INFINITY : (double) b.coldStarts() / m.coldStarts();
        double tail = m.p999Ms() == 0 ? Double.POSITIVE_INFINITY : b.p999Ms() / m.p999Ms();
        lines.add(String.format(Locale.ROOT, "| %.0f | %s | %.2f | %.4f | %s | %s |", m.memCapMb(), b.policy(), cold, tail,
            compare(m.coldStarts(), b.coldStarts(), "fewer", "as many", "more"),
            compare(m.p999Ms(), b.p999Ms(), "lower", "equal", "higher")));
      }
    }
    lines.add("");
    lines.add(PAPER_NOTE);
    return lines;
  }

  private static String compare(double medes, double baseline, String less, String same, String more) {
    return medes < baseline ? "**" + less + "**" : (medes == baseline ? same : more);
  }

  private static void plots(List<SimulationResult> results, Path dir, String stem) {
    String trace = results.isEmpty() ? "" : results.get(0).trace();
    Plots.metricVsCap(results, "Cold starts vs memory cap (" + trace + ")", "cold starts", SimulationResult::coldStarts,
        true, dir.resolve(stem + "-cold-starts.png"));
    Plots.metricVsCap(results, "p99.9 end-to-end latency vs memory cap (" + trace + ")", "p99.9 latency (ms)",
        SimulationResult::p999Ms, true, dir.resolve(stem + "-p999.png"));
    Plots.metricVsCap(results, "p99 end-to-end latency vs memory cap (" + trace + ")", "p99 latency (ms)",
        SimulationResult::p99Ms, true, dir.resolve(stem + "-p99.png"));
    Plots.metricVsCap(results, "Mean cluster memory in use vs memory cap (" + trace + ")", "mean memory (MB)",
        SimulationResult::meanMemoryMb, false, dir.resolve(stem + "-mean-memory.png"));
    // Memory over time at the tightest cap where Medes is not queueing-bound: the middle of the sweep.
    List<Double> caps = new ArrayList<>();
    for (SimulationResult r : results) {
      if (!caps.contains(r.memCapMb())) {
        caps.add(r.memCapMb());
      }
    }
    if (caps.isEmpty()) {
      return;
    }
    double cap = caps.get(caps.size() / 2);
    List<SimulationResult> atCap = new ArrayList<>();
    for (SimulationResult r : results) {
      if (r.memCapMb() == cap) {
        atCap.add(r);
        if (r.policy().equals(MedesPolicy.NAME)) {
          Plots.dedupOverTime(r, dir.resolve(stem + "-medes-dedup-bases.png"));
        }
      }
    }
    Plots.memoryOverTime(atCap, dir.resolve(stem + "-memory-over-time.png"));
  }
}
