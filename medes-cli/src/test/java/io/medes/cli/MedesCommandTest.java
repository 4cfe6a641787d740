package io.medes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MedesCommandTest {

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = MedesCommand.newCommandLine();
    cli.setOut(new PrintWriter(out));
    int exit = cli.execute(args);
    assertThat(exit).as("exit code of medes %s", String.join(" ", args)).isZero();
    return out.toString();
  }

  @Test
  void helpListsEverySubcommand() {
    String help = run("--help");
    for (String name : MedesCommand.newCommandLine().getSubcommands().keySet()) {
      assertThat(help).contains(name);
    }
    assertThat(help).contains("config");
  }

  @Test
  void configPrintsMedesDefaults() {
    assertThat(run("config")).contains("chunks-per-page");
  }
}
