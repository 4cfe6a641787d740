package io.medes.simulator.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AzureTraceTest {

  @Test
  void embeddedSamplesHaveThePublishedTotals() {
    // totals of the invitro samples (README of the data set): 50 -> 26,940 ... 1000 -> 608,228
    assertThat(AzureTrace.embedded(50).totalInvocations(1440)).isEqualTo(26_940);
    assertThat(AzureTrace.embedded(100).totalInvocations(1440)).isEqualTo(86_751);
    assertThat(AzureTrace.embedded(200).totalInvocations(1440)).isEqualTo(155_469);
    AzureTrace all = AzureTrace.embedded(1000);
    assertThat(all.totalInvocations(1440)).isEqualTo(608_228);
    assertThat(all.minutes()).isEqualTo(1440);
    // first row of _run: every percentile 224 ms; of _mem: 188 MB
    assertThat(all.durationAt(0, 0.5)).isEqualTo(224.0);
    assertThat(all.memoryMb(0)).isEqualTo(188);
  }

  @Test
  void durationsInterpolateBetweenPercentiles() {
    AzureTrace t = AzureTrace.embedded(1000);
    for (int f = 0; f < 50; f++) {
      double p25 = t.durationAt(f, 0.25);
      double p50 = t.durationAt(f, 0.50);
      double mid = t.durationAt(f, 0.375);
      assertThat(mid).isBetween(Math.min(p25, p50), Math.max(p25, p50));
      assertThat(mid).isCloseTo((p25 + p50) / 2, org.assertj.core.api.Assertions.within(1e-6));
    }
  }

  @Test
  void mismatchedFilesAreReportedWithTheirRow(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("2_inv.csv"), "HashFunction,HashOwner,HashApp,minute_1,minute_2\naa,aa,aa,1,2\nbb,bb,bb,0,3\n");
    Files.writeString(dir.resolve("2_run.csv"), "h\naa,aa,aa,1,1,1,1,1,1,1,1,1,1,1\ncc,cc,cc,1,1,1,1,1,1,1,1,1,1,1\n");
    Files.writeString(dir.resolve("2_mem.csv"), "h\naa,aa,1,128,1,1,1,1,1,1,1,1\nbb,bb,1,128,1,1,1,1,1,1,1,1\n");
    assertThatThrownBy(() -> AzureTrace.fromDirectory(dir, "2", 0))
        .isInstanceOf(TraceFormatException.class).hasMessageContaining("2_run.csv row 2").hasMessageContaining("cc");
    Files.writeString(dir.resolve("2_inv.csv"), "HashFunction,HashOwner,HashApp,minute_1,minute_2\naa,aa,aa,1,x\n");
    assertThatThrownBy(() -> AzureTrace.fromDirectory(dir, "2", 0)).hasMessageContaining("minute 2").hasMessageContaining("'x'");
    assertThatThrownBy(() -> AzureTrace.fromDirectory(dir, "9", 0)).hasMessageContaining("9_inv.csv");
  }

  @Test
  void workloadKeepsEveryMinutesCountAndSortsArrivals() {
    AzureTrace t = AzureTrace.embedded(50);
    Workload w = Workload.fromTrace(t, 30, 1);
    assertThat(w.size()).isEqualTo(t.totalInvocations(30));
    int[][] perMinute = new int[50][30];
    for (int i = 0; i < w.size(); i++) {
      if (i > 0) {
        assertThat(w.arrivalMs(i)).isGreaterThanOrEqualTo(w.arrivalMs(i - 1));
      }
      perMinute[w.function(i)][(int) (w.arrivalMs(i) / 60_000)]++;
      assertThat(w.executionMs(i)).isGreaterThanOrEqualTo(0);
    }
    for (int f = 0; f < 50; f++) {
      for (int m = 0; m < 30; m++) {
        assertThat(perMinute[f][m]).isEqualTo(t.invocations(f, m));
      }
    }
  }
}
