package io.medes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cli = MedesCommand.newCommandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void smallRunPrintsOneRowPerPolicyAndWritesCsv(@TempDir Path dir) throws Exception {
    StringWriter out = new StringWriter();
    Path csv = dir.resolve("r.csv");
    int exit = run(out, new StringWriter(), "simulate", "--trace", "20", "--minutes", "30", "--nodes", "2",
        "--mem-cap-mb", "2048", "--policy", "all", "--no-progress", "--csv", csv.toString());
    assertThat(exit).isZero();
    assertThat(out.toString()).contains("fixed", "hybrid-histogram", "greedy-dual", "medes", "p99.9_ms");
    assertThat(Files.readAllLines(csv)).hasSize(5).first().isEqualTo(
        "trace,policy,nodes,mem_cap_mb,requests,cold_starts,p50_ms,p99_ms,p999_ms,mean_mem_mb,max_mem_mb");
  }

  @Test
  void unknownPolicyIsAClearError() {
    StringWriter err = new StringWriter();
    int exit = run(new StringWriter(), err, "simulate", "--policy", "lru", "--no-progress");
    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("unknown policy 'lru'");
  }

  @Test
  void aCapSmallerThanAFunctionIsAClearError() {
    StringWriter err = new StringWriter();
    int exit = run(new StringWriter(), err, "simulate", "--trace", "20", "--minutes", "5", "--mem-cap-mb", "64", "--no-progress");
    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("largest node cap is 64 MB");
  }
}
