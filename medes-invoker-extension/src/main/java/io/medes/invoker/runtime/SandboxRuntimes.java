package io.medes.invoker.runtime;

import io.medes.invoker.runtime.docker.DockerSandboxRuntime;
import io.medes.invoker.runtime.runc.RuncSandboxRuntime;

/** Builds the configured sandbox backend ({@code whisk.medes.invoker.backend}). */
public final class SandboxRuntimes {
  private SandboxRuntimes() {}

  public static SandboxRuntime create(InvokerSettings settings) {
    switch (settings.backend()) {
      case RUNC:
        return new RuncSandboxRuntime(settings);
      case DOCKER:
        return new DockerSandboxRuntime(settings);
      default:
        throw new IllegalArgumentException("unknown backend " + settings.backend());
    }
  }
}
