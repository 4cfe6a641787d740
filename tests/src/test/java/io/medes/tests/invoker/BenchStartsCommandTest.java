package io.medes.tests.invoker;

import static org.assertj.core.api.Assertions.assertThat;

import io.medes.cli.MedesCommand;
import io.medes.simulator.profile.ActionProfile;
import io.medes.simulator.profile.CostProfile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code medes bench starts} end to end on the real runc backend: one repetition of the built-in action,
 * and the three files it writes.
 */
@Tag("integration")
class BenchStartsCommandTest {
  @TempDir Path dir;

  /** {@code -Dmedes.test.image} / {@code MEDES_TEST_IMAGE}, else scripts/setup's {@code medes/python3-action:latest}. */
  private static String pythonImage() throws Exception {
    String configured = System.getProperty("medes.test.image", System.getenv("MEDES_TEST_IMAGE"));
    String image = configured != null && !configured.isBlank() ? configured : "medes/python3-action:latest";
    Process p = new ProcessBuilder("docker", "image", "inspect", image).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0)) {
      throw new IllegalStateException("runtime image " + image + " missing: run scripts/setup or set -Dmedes.test.image");
    }
    return image;
  }

  @Test
  void measuresEveryStartKindAndWritesSummarySamplesAndProfile() throws Exception {
    Path summary = dir.resolve("starts.csv");
    Path samples = dir.resolve("samples.csv");
    Path profile = dir.resolve("profile.csv");
    Path markdown = dir.resolve("starts.md");
    CommandLine cli = MedesCommand.newCommandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));

    int exit = cli.execute("bench", "starts", "--backend", "runc", "--reps", "1", "--warmup", "1",
        "--manifest", dir.resolve("no-manifest.json").toString(), "--python-image", pythonImage(),
        "--out", summary.toString(), "--samples-out", samples.toString(), "--profile-out", profile.toString(),
        "--markdown-out", markdown.toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(err.toString()).contains("built-in trivial action");
    List<String> rows = Files.readAllLines(summary);
    assertThat(rows.get(0)).isEqualTo(
        "action,backend,cold_p50_ms,cold_p95_ms,warm_p50_ms,dedup_p50_ms,dedup_p95_ms,criu_p50_ms,warm_mem_bytes,dedup_mem_bytes");
    assertThat(rows).hasSize(2);
    String[] cells = rows.get(1).split(",", -1);
    assertThat(cells[0]).isEqualTo("builtin");
    assertThat(cells[1]).isEqualTo("runc");
    for (int i = 2; i < cells.length; i++) {
      assertThat(Double.parseDouble(cells[i])).as("column %d of %s", i, rows.get(1)).isPositive();
    }
    long warmMem = Long.parseLong(cells[8]);
    long dedupMem = Long.parseLong(cells[9]);
    assertThat(warmMem).as("warm sandbox holds the action's 4 MiB").isGreaterThan(4L << 20);
    assertThat(dedupMem).as("dedup state: the CRIU image of it").isGreaterThan(4L << 20);

    assertThat(Files.readAllLines(samples)).anyMatch(l -> l.startsWith("builtin,runc,criu,1,"))
        .anyMatch(l -> l.startsWith("builtin,runc,exec,1,"));
    assertThat(Files.readAllLines(samples).stream().filter(l -> l.startsWith("builtin,runc,cold,")))
        .as("the warm-up repetition is not recorded").hasSize(1);
    assertThat(err.toString()).contains("warm-up rep 1");
    // The profile is the contract with the simulator: it must load in the simulator's own parser,
    // with the measured checkpoint time instead of the simulator's estimate.
    CostProfile loaded = CostProfile.fromFile(profile);
    assertThat(loaded.actions()).hasSize(1);
    ActionProfile builtin = loaded.action(0);
    assertThat(builtin.action()).isEqualTo("builtin");
    assertThat(builtin.checkpointMs()).as("measured checkpoint_ms").isPositive();
    assertThat(Files.readString(markdown)).contains("## runc").contains("| builtin |");
  }
}
