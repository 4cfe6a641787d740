package io.medes.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version Maven stamped into the jar manifest. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = MedesCommand.class.getPackage().getImplementationVersion();
    return new String[] {"medes " + (v == null ? "(development build)" : v)};
  }
}
