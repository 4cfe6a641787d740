package io.medes.cli;

import com.typesafe.config.Config;
import io.medes.config.MedesConfig;
import io.medes.invoker.bench.ActionManifest;
import io.medes.invoker.bench.BenchAction;
import io.medes.invoker.bench.StartBenchmark;
import io.medes.invoker.bench.StartMeasurements;
import io.medes.invoker.runtime.InvokerSettings;
import io.medes.invoker.runtime.SandboxRuntime;
import io.medes.invoker.runtime.SandboxRuntimes;
import io.medes.invoker.runtime.runc.RuncSandboxRuntime;
import io.medes.invoker.snapshot.SnapshotStore;
import io.medes.invoker.snapshot.SnapshotStores;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code medes bench}: measurements on the real machine. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure Medes on this machine's real Docker, runc and CRIU.",
    subcommands = {BenchCommand.Starts.class})
final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code medes bench starts}: cold, warm, dedup and plain CRIU starts of every sample action. */
  @Command(
      name = "starts",
      mixinStandardHelpOptions = true,
      description = {
        "Start latency (request to first successful /run) and state memory of every sample action on every backend: "
            + "cold start, warm start (unpause), dedup start (restore through --store) and plain CRIU restore.",
        "Writes p50/p95 per action and backend, every sample, and a cost profile for `medes simulate --profile`."
      })
  static final class Starts implements Callable<Integer> {
    @Option(names = "--backend", split = ",", description = "Backends to measure (default: ${DEFAULT-VALUE}).", defaultValue = "runc,docker")
    List<InvokerSettings.Backend> backends;

    @Option(names = "--reps", description = "Repetitions per action and backend, each with a fresh sandbox (default: ${DEFAULT-VALUE}).", defaultValue = "10")
    int reps;

    @Option(names = "--warmup", description = "Unrecorded repetitions per action and backend before the measured ones, so that "
        + "the JIT has compiled the invoker's own code as in a long-running invoker (default: ${DEFAULT-VALUE}).", defaultValue = "3")
    int warmup;

    @Option(names = "--store", description = "Snapshot store of the dedup column: plain-criu, plain-criu-verified, or medes once installed (default: ${DEFAULT-VALUE}).",
        defaultValue = "plain-criu")
    String store;

    @Option(names = "--manifest", description = "Sample action manifest (default: ${DEFAULT-VALUE}); a built-in trivial action if it does not exist.",
        defaultValue = "runtime-patches/actions/manifest.json")
    Path manifest;

    @Option(names = "--actions", split = ",", description = "Only these actions of the manifest.")
    List<String> only;

    @Option(names = "--python-image", description = "Runtime image of python:3 actions (default: ${DEFAULT-VALUE}).", defaultValue = "medes/python3-action:latest")
    String pythonImage;

    @Option(names = "--nodejs-image", description = "Runtime image of nodejs actions (default: ${DEFAULT-VALUE}).", defaultValue = "medes/nodejs-action:latest")
    String nodejsImage;

    @Option(names = "--out", description = "Summary CSV (default: ${DEFAULT-VALUE}).", defaultValue = "docs/results/starts.csv")
    Path out;

    @Option(names = "--samples-out", description = "Every sample (default: ${DEFAULT-VALUE}).", defaultValue = "docs/results/starts-samples.csv")
    Path samplesOut;

    @Option(names = "--profile-out", description = "Cost profile for the simulator (default: ${DEFAULT-VALUE}).", defaultValue = "docs/results/starts-profile.csv")
    Path profileOut;

    @Option(names = "--markdown-out", description = "Tables for docs (default: ${DEFAULT-VALUE}).", defaultValue = "docs/results/starts.md")
    Path markdownOut;

    @Option(names = "--profile-backend", description = "Backend whose numbers go into the profile (default: ${DEFAULT-VALUE}).", defaultValue = "runc")
    InvokerSettings.Backend profileBackend;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (reps < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--reps must be at least 1, got " + reps);
      if (warmup < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--warmup must not be negative, got " + warmup);
      PrintWriter log = spec.commandLine().getErr();
      Config config = MedesConfig.load();
      InvokerSettings base = InvokerSettings.from(config);
      long recycledPages = SnapshotStores.recycledPagesCapacity(config);
      List<BenchAction> actions = actions(log);
      List<StartMeasurements> results = new ArrayList<>();
      for (InvokerSettings.Backend backend : backends) {
        InvokerSettings settings = base.withBackend(backend);
        try (SnapshotStore snapshots = SnapshotStores.create(store, config);
            SandboxRuntime runtime = SandboxRuntimes.create(settings)) {
          StartBenchmark bench = new StartBenchmark(runtime, snapshots, settings.checkpointRoot(), settings.initTimeout(), log::println);
          for (BenchAction a : actions) {
            if (runtime instanceof RuncSandboxRuntime runc) runc.prepareImage(a.image());
            log.println("== " + a.name() + " on " + backend.configName() + " (" + warmup + " warm-up + " + reps + " reps, store "
                + snapshots.name() + ")");
            log.flush();
            results.add(bench.measure(a, warmup, reps));
          }
        }
      }
      String command = "medes " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
      writeSummary(results, command);
      writeSamples(results, command);
      writeProfile(results, command);
      writeMarkdown(results, command, recycledPages);
      for (StartMeasurements m : results) {
        for (String f : m.failures) log.println("FAILED " + m.action + "/" + m.backend + " " + f);
      }
      spec.commandLine().getOut().println("wrote " + out + ", " + samplesOut + ", " + profileOut + ", " + markdownOut);
      return results.stream().allMatch(m -> m.failures.isEmpty()) ? 0 : 1;
    }

    private List<BenchAction> actions(PrintWriter log) throws IOException {
      if (!Files.isRegularFile(manifest)) {
        log.println("no action manifest at " + manifest + "; measuring the built-in trivial action");
        return List.of(ActionManifest.builtin(pythonImage));
      }
      List<BenchAction> all = ActionManifest.load(manifest, Map.of("python:3", pythonImage, "nodejs", nodejsImage, "nodejs:20", nodejsImage));
      if (only == null || only.isEmpty()) return all;
      List<BenchAction> picked = new ArrayList<>();
      for (String name : only) {
        picked.add(all.stream().filter(a -> a.name().equals(name)).findFirst()
            .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(), "--actions: no action '" + name + "' in " + manifest)));
      }
      return picked;
    }

    private void writeSummary(List<StartMeasurements> results, String command) throws IOException {
      StringBuilder csv = new StringBuilder();
      csv.append("action,backend,cold_p50_ms,cold_p95_ms,warm_p50_ms,dedup_p50_ms,dedup_p95_ms,criu_p50_ms,warm_mem_bytes,dedup_mem_bytes\n");
      for (StartMeasurements m : results) {
        csv.append(m.action).append(',').append(m.backend).append(',')
            .append(f(StartMeasurements.percentile(m.cold, 50))).append(',')
            .append(f(StartMeasurements.percentile(m.cold, 95))).append(',')
            .append(f(StartMeasurements.percentile(m.warm, 50))).append(',')
            .append(f(StartMeasurements.percentile(m.dedup, 50))).append(',')
            .append(f(StartMeasurements.percentile(m.dedup, 95))).append(',')
            .append(f(StartMeasurements.percentile(m.criu, 50))).append(',')
            .append(bytes(StartMeasurements.percentile(m.warmMemory, 50))).append(',')
            .append(bytes(StartMeasurements.percentile(m.dedupMemory, 50))).append('\n');
      }
      write(out, csv.toString());
    }

    private void writeSamples(List<StartMeasurements> results, String command) throws IOException {
      StringBuilder csv = new StringBuilder();
      csv.append("# ").append(command).append(" at ").append(Instant.now()).append("; dedup store: ").append(store).append('\n');
      csv.append("# kind: cold|warm|dedup|criu = request to first successful /run, exec = one /run on a running sandbox,\n");
      csv.append("# *_setup = the start step alone without its /run (create+/init, resume, rebuild+restore, restore), all in ms;\n");
      csv.append("# warm_mem|warm_rss|dedup_mem|criu_image in bytes\n");
      csv.append("action,backend,kind,rep,value\n");
      for (StartMeasurements m : results) {
        samples(csv, m, "cold", m.cold);
        samples(csv, m, "warm", m.warm);
        samples(csv, m, "dedup", m.dedup);
        samples(csv, m, "criu", m.criu);
        samples(csv, m, "exec", m.exec);
        samples(csv, m, "cold_setup", m.coldSetup);
        samples(csv, m, "warm_setup", m.warmSetup);
        samples(csv, m, "dedup_setup", m.dedupSetup);
        samples(csv, m, "criu_setup", m.criuSetup);
        samples(csv, m, "warm_mem", m.warmMemory);
        samples(csv, m, "warm_rss", m.warmRss);
        samples(csv, m, "dedup_mem", m.dedupMemory);
        samples(csv, m, "criu_image", m.criuImage);
      }
      write(samplesOut, csv.toString());
    }

    /**
     * The simulator's cost profile: start costs without the action's own execution (which it adds from
     * exec_ms) — the p50 of each start step measured alone — memory in MB. dedup_remote_ms is not measured
     * here (no second node): dedup_ms + 100 ms.
     */
    private void writeProfile(List<StartMeasurements> results, String command) throws IOException {
      StringBuilder csv = new StringBuilder();
      csv.append("# Measured by: ").append(command).append(" at ").append(Instant.now()).append('\n');
      csv.append("# Backend ").append(profileBackend.configName()).append(", dedup store ").append(store)
          .append(". cold/warm/dedup_ms = p50 of the start step alone (create+/init, resume, rebuild+restore),\n");
      csv.append("# without its /run; exec_ms = p50 of one /run on a running sandbox; checkpoint_ms = p50 of checkpointing a\n");
      csv.append("# warm sandbox and storing it through the dedup store (what freeing its memory costs).\n");
      csv.append("# dedup_remote_ms is NOT measured (single node): dedup_ms + 100. warm_mem_mb = PSS of the paused sandbox +\n");
      csv.append("# its tmpfs writable layer; dedup_mem_mb = stored snapshot + writable layer (capped at warm_mem_mb).\n");
      csv.append("action,cold_ms,warm_ms,dedup_ms,dedup_remote_ms,warm_mem_mb,dedup_mem_mb,exec_ms,checkpoint_ms\n");
      for (StartMeasurements m : results) {
        if (!m.backend.equals(profileBackend.configName()) || m.cold.isEmpty()) continue;
        double exec = StartMeasurements.percentile(m.exec, 50);
        long cold = Math.round(StartMeasurements.percentile(m.coldSetup, 50));
        long warm = Math.round(StartMeasurements.percentile(m.warmSetup, 50));
        long dedup = Math.max(warm, Math.round(StartMeasurements.percentile(m.dedupSetup, 50)));
        double warmMb = StartMeasurements.percentile(m.warmMemory, 50) / 1048576.0;
        double dedupMb = Math.min(warmMb, StartMeasurements.percentile(m.dedupMemory, 50) / 1048576.0);
        csv.append(m.action).append(',').append(cold).append(',').append(warm).append(',').append(dedup).append(',')
            .append(dedup + 100).append(',').append(String.format(Locale.ROOT, "%.2f", warmMb)).append(',')
            .append(String.format(Locale.ROOT, "%.2f", dedupMb)).append(',').append(Math.round(exec)).append(',')
            .append(Math.round(StartMeasurements.percentile(m.checkpoint, 50))).append('\n');
      }
      write(profileOut, csv.toString());
    }

    private void writeMarkdown(List<StartMeasurements> results, String command, long recycledPages) throws IOException {
      StringBuilder md = new StringBuilder();
      md.append("# Start latency and state memory per action and backend\n\n");
      md.append("Produced by `").append(command).append("` at ").append(Instant.now()).append(" (dedup store `").append(store)
          .append("`, ").append(reps).append(" repetitions after ").append(warmup)
          .append(" unrecorded warm-up repetition(s), each with a fresh sandbox). Raw samples: `")
          .append(samplesOut.getFileName()).append("`.\n\n");
      md.append("Latencies in ms, p50 unless noted. *request→response*: from the request to the first successful `/run`, ")
          .append("the action's execution included; *step*: the start step alone (create + `/init`, resume, rebuild + restore); ")
          .append("*exec*: one `/run` on a running sandbox. Memory in MiB: warm = PSS of the paused processes + tmpfs ")
          .append("writable layer; dedup = stored snapshot + writable layer (no processes). The pages files the medes store ")
          .append("keeps for rebuilds to write into (`whisk.medes.invoker.recycled-pages`, ").append(recycledPages / 1048576)
          .append(" MiB here) are a fixed reserve of the invoker, in no sandbox's figure.\n");
      for (InvokerSettings.Backend backend : backends) {
        md.append("\n## ").append(backend.configName()).append("\n\n");
        md.append("| action | cold | cold p95 | warm | dedup | dedup p95 | CRIU | exec | cold step | warm step | dedup step | CRIU step | warm MiB | dedup MiB | dedup/warm | failed |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (StartMeasurements m : results) {
          if (!m.backend.equals(backend.configName())) continue;
          double warmMb = StartMeasurements.percentile(m.warmMemory, 50) / 1048576.0;
          double dedupMb = StartMeasurements.percentile(m.dedupMemory, 50) / 1048576.0;
          md.append("| ").append(m.action);
          for (double v : new double[] {
              StartMeasurements.percentile(m.cold, 50), StartMeasurements.percentile(m.cold, 95),
              StartMeasurements.percentile(m.warm, 50), StartMeasurements.percentile(m.dedup, 50),
              StartMeasurements.percentile(m.dedup, 95), StartMeasurements.percentile(m.criu, 50),
              StartMeasurements.percentile(m.exec, 50), StartMeasurements.percentile(m.coldSetup, 50),
              StartMeasurements.percentile(m.warmSetup, 50), StartMeasurements.percentile(m.dedupSetup, 50),
              StartMeasurements.percentile(m.criuSetup, 50)}) {
            md.append(" | ").append(Double.isNaN(v) ? "" : String.format(Locale.ROOT, v < 10 ? "%.1f" : "%.0f", v));
          }
          md.append(String.format(Locale.ROOT, " | %.1f | %.1f | %.2f | %d |%n", warmMb, dedupMb, dedupMb / warmMb, m.failures.size()));
        }
      }
      write(markdownOut, md.toString());
    }

    private static void samples(StringBuilder csv, StartMeasurements m, String kind, List<? extends Number> values) {
      for (int i = 0; i < values.size(); i++) {
        Number v = values.get(i);
        csv.append(m.action).append(',').append(m.backend).append(',').append(kind).append(',').append(i + 1).append(',')
            .append(v instanceof Double d ? f(d) : v.toString()).append('\n');
      }
    }

    private static String f(double v) {
      return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String bytes(double v) {
      return Double.isNaN(v) ? "" : Long.toString(Math.round(v));
    }

    private static void write(Path file, String content) throws IOException {
      if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    }
  }
}
