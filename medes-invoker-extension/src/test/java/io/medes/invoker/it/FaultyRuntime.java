package io.medes.invoker.it;

import io.medes.invoker.runtime.MemoryUsage;
import io.medes.invoker.runtime.SandboxHandle;
import io.medes.invoker.runtime.SandboxRuntime;
import io.medes.invoker.runtime.SandboxRuntimeException;
import io.medes.invoker.runtime.SandboxSpec;
import java.nio.file.Path;

/** A real backend whose checkpoint fails after CRIU wrote a complete image (a crash at the worst moment). */
final class FaultyRuntime implements SandboxRuntime {
  private final SandboxRuntime real;

  FaultyRuntime(SandboxRuntime real) {
    this.real = real;
  }

  @Override public String name() { return real.name() + "-faulty"; }
  @Override public SandboxHandle create(SandboxSpec spec) throws SandboxRuntimeException { return real.create(spec); }
  @Override public void pause(SandboxHandle s) throws SandboxRuntimeException { real.pause(s); }
  @Override public void resume(SandboxHandle s) throws SandboxRuntimeException { real.resume(s); }

  @Override
  public void checkpoint(SandboxHandle s, Path imageDir, boolean leaveRunning) throws SandboxRuntimeException {
    real.checkpoint(s, imageDir, true);
    throw new SandboxRuntimeException("injected: checkpoint of " + s.spec().sandboxId() + " failed after the dump");
  }

  @Override public SandboxHandle restore(SandboxSpec spec, Path imageDir) throws SandboxRuntimeException { return real.restore(spec, imageDir); }
  @Override public void destroy(SandboxSpec spec) { real.destroy(spec); }
  @Override public MemoryUsage memory(SandboxHandle s) throws SandboxRuntimeException { return real.memory(s); }
  @Override public long retainedBytes(SandboxSpec spec) { return real.retainedBytes(spec); }
}
