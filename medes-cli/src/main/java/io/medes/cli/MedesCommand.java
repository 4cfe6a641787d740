package io.medes.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code medes} command. Each capability contributes one subcommand; the list below is the only
 * place that knows them all.
 */
@Command(
    name = "medes",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Medes for Apache OpenWhisk: memory deduplication of warm serverless sandboxes.",
    subcommands = {
      ConfigCommand.class,
      AnalyzeCommand.class,
      SimulateCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class MedesCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and the tests. */
  public static CommandLine newCommandLine() {
    return new CommandLine(new MedesCommand()).setCaseInsensitiveEnumValuesAllowed(true);
  }
}
