package io.medes.invoker.it;

import io.medes.invoker.runtime.InvokerSettings;

/** The state machine's transitions and failure paths on the runc + CRIU backend. */
class RuncSandboxLifecycleTest extends SandboxLifecycleContract {
  @Override
  InvokerSettings.Backend backend() {
    return InvokerSettings.Backend.RUNC;
  }
}
