package io.medes.simulator.report;

import io.medes.simulator.SimulationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes results as CSV: the summary format of docs/results/policies.csv and a detailed companion. */
public final class ResultCsv {
  /** The header of docs/results/policies.csv (fixed by the issue). */
  public static final String HEADER =
      "trace,policy,nodes,mem_cap_mb,requests,cold_starts,p50_ms,p99_ms,p999_ms,mean_mem_mb,max_mem_mb";
  /** The header of the detailed companion file. */
  public static final String DETAIL_HEADER = HEADER
      + ",warm_starts,dedup_starts,dedup_remote_starts,waited,evictions,policy_purges,dedup_transitions,"
      + "bases_made,prewarms,mean_dedup,max_dedup,mean_bases,max_bases,mean_latency_ms,evict_dedups,checkpoint_waits,"
      + "extended_checkpoint_waits,abandoned_checkpoints,restore_limited_colds,max_restores_per_node,wall_ms";

  private ResultCsv() {}

  public static List<String> summaryLines(List<SimulationResult> results) {
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    for (SimulationResult r : results) {
      lines.add(summaryRow(r));
    }
    return lines;
  }

  private static String summaryRow(SimulationResult r) {
    return String.format(Locale.ROOT, "%s,%s,%d,%.0f,%d,%d,%.0f,%.0f,%.0f,%.1f,%.1f", r.trace(), r.policy(), r.nodes(),
        r.memCapMb(), r.requests(), r.coldStarts(), r.p50Ms(), r.p99Ms(), r.p999Ms(), r.meanMemoryMb(), r.maxMemoryMb());
  }

  public static List<String> detailLines(List<SimulationResult> results) {
    List<String> lines = new ArrayList<>();
    lines.add(DETAIL_HEADER);
    for (SimulationResult r : results) {
      lines.add(summaryRow(r) + String.format(Locale.ROOT, ",%d,%d,%d,%d,%d,%d,%d,%d,%d,%.1f,%d,%.1f,%d,%.1f,%d,%d,%d,%d,%d,%d,%d",
          r.warmStarts(), r.dedupStarts(), r.dedupStartsRemote(), r.waited(), r.evictions(), r.policyPurges(),
          r.dedupTransitions(), r.basesMade(), r.prewarms(), r.meanDedup(), r.maxDedup(), r.meanBases(), r.maxBases(),
          r.meanLatencyMs(), r.evictionDedups(), r.checkpointWaits(),
          r.extendedCheckpointWaits(), r.abandonedCheckpoints(), r.restoreLimitedColdStarts(), r.maxActiveRestores(), r.wallMs()));
    }
    return lines;
  }

  public static void write(Path file, List<String> lines) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
