package io.medes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.medes.dedup.criu.CriuImageFormat;
import io.medes.dedup.criu.CriuImageWriter;
import io.medes.dedup.criu.PagemapRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AnalyzeCommandTest {
  @TempDir Path tmp;

  /** A CRIU-format dump of one process whose pages are structured like a heap with ASLR-moved pointers. */
  private static void dump(Path dir, long mappingBase) throws IOException {
    int pages = 64;
    byte[] bytes = new byte[pages * 4096];
    for (int p = 0; p < pages; p++) {
      Random r = new Random(p);
      for (int i = 0; i < 4096; i += 16) {
        long refcount = 1 + r.nextInt(8);
        long pointer = mappingBase + 64L * r.nextInt(4096);
        for (int b = 0; b < 8; b++) {
          bytes[p * 4096 + i + b] = (byte) (refcount >>> (8 * b));
          bytes[p * 4096 + i + 8 + b] = (byte) (pointer >>> (8 * b));
        }
      }
    }
    Files.createDirectories(dir);
    CriuImageWriter.writeInventory(dir, CriuImageFormat.IMAGES_V1_1);
    CriuImageWriter.writePagemap(dir.resolve("pagemap-1.img"), 1,
        List.of(new PagemapRun(mappingBase, pages, CriuImageFormat.PE_PRESENT)));
    Files.write(dir.resolve("pages-1.img"), bytes);
  }

  @Test
  void reportsSavingsAgainstBaselinesAndWritesTheCsv() throws IOException {
    dump(tmp.resolve("dumps/fn/1"), 0x55d3_4a21_0000L);
    dump(tmp.resolve("dumps/fn/2"), 0x5617_9be0_0000L);
    dump(tmp.resolve("dumps/fn/3"), 0x5588_0000_0000L);
    Path csv = tmp.resolve("out/savings.csv");
    StringWriter out = new StringWriter();
    CommandLine cli = MedesCommand.newCommandLine();
    cli.setOut(new PrintWriter(out));

    int exit = cli.execute("analyze", "--csv", csv.toString(), "--threads", "2",
        tmp.resolve("dumps/fn/1").toString(), tmp.resolve("dumps/fn/2").toString(), tmp.resolve("dumps/fn/3").toString());

    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString()).contains("restored and verified 64 pages").contains("average over 1 functions");
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo(AnalyzeCommand.CSV_HEADER);
    assertThat(lines).hasSize(2);
    String[] row = lines.get(1).split(",");
    assertThat(row[0]).isEqualTo("fn");
    assertThat(row[1]).isEqualTo("2");
    assertThat(Long.parseLong(row[2])).isEqualTo(2L * 64 * 4096);
    long dedup = Long.parseLong(row[3]);
    long compressOnly = Long.parseLong(row[5]);
    assertThat(dedup).isLessThan(compressOnly);
    assertThat(Long.parseLong(row[9])).as("patched pages").isEqualTo(128);
  }
}
