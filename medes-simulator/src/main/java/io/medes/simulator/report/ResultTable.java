package io.medes.simulator.report;

import io.medes.simulator.SimulationResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Prints results as an aligned text table, one row per run. */
public final class ResultTable {
  private ResultTable() {}

  public static void print(List<SimulationResult> results, PrintWriter out) {
    String header = String.format(Locale.ROOT, "%-17s %5s %7s %8s %8s %8s %7s %7s %9s %9s %10s %9s %9s %11s %9s %7s",
        "policy", "nodes", "cap_mb", "requests", "cold", "warm", "dedup", "waited", "p50_ms", "p99_ms", "p99.9_ms",
        "mean_mb", "max_mb", "dedup_avg/mx", "base_avg/mx", "wall_ms");
    out.println(header);
    out.println("-".repeat(header.length()));
    for (SimulationResult r : results) {
      out.println(String.format(Locale.ROOT,
          "%-17s %5d %7.0f %8d %8d %8d %7d %7d %9.0f %9.0f %10.0f %9.0f %9.0f %11s %9s %7d",
          r.policy(), r.nodes(), r.memCapMb(), r.requests(), r.coldStarts(), r.warmStarts(), r.dedupStarts(), r.waited(),
          r.p50Ms(), r.p99Ms(), r.p999Ms(), r.meanMemoryMb(), r.maxMemoryMb(),
          String.format(Locale.ROOT, "%.0f/%d", r.meanDedup(), r.maxDedup()),
          String.format(Locale.ROOT, "%.0f/%d", r.meanBases(), r.maxBases()), r.wallMs()));
    }
    out.flush();
  }
}
