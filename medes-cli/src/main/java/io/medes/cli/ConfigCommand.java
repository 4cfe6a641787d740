package io.medes.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import io.medes.config.MedesConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints the effective {@code whisk.medes} configuration, with where each value came from. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = {
      "Print the effective whisk.medes configuration (reference.conf defaults, application.conf,",
      "-D properties and CONFIG_whisk_medes_* environment variables, in increasing priority)."
    })
final class ConfigCommand implements Callable<Integer> {

  @Option(names = "--origins", description = "Annotate every value with the file or variable it came from.")
  boolean origins;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Config medes = MedesConfig.load().getConfig("whisk.medes").atPath("whisk.medes");
    ConfigRenderOptions options =
        ConfigRenderOptions.defaults().setJson(false).setOriginComments(origins).setComments(true);
    spec.commandLine().getOut().println(medes.root().render(options));
    return 0;
  }
}
