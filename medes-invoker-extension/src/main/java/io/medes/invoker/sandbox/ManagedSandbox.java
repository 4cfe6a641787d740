package io.medes.invoker.sandbox;

import io.medes.invoker.runtime.SandboxHandle;
import io.medes.invoker.runtime.SandboxSpec;
import io.medes.invoker.snapshot.StoredSnapshot;
import java.nio.file.Path;

/**
 * One sandbox's mutable record. Only {@link SandboxStateMachine} changes it, while holding the
 * sandbox's monitor.
 */
public final class ManagedSandbox {
  private final SandboxSpec spec;
  private final Path checkpointDir;
  private SandboxState state = SandboxState.STARTING;
  private SandboxHandle handle;
  private StoredSnapshot snapshot;
  private boolean base;
  private long lastUsedMillis;

  ManagedSandbox(SandboxSpec spec, Path checkpointDir, long nowMillis) {
    this.spec = spec;
    this.checkpointDir = checkpointDir;
    this.lastUsedMillis = nowMillis;
  }

  public SandboxSpec spec() { return spec; }
  public String id() { return spec.sandboxId(); }
  public synchronized SandboxState state() { return state; }
  public synchronized boolean isBase() { return base; }
  public synchronized long lastUsedMillis() { return lastUsedMillis; }
  /** The live handle, or null while the sandbox has no processes (DEDUP, PURGED). */
  public synchronized SandboxHandle handle() { return handle; }
  /** The stored checkpoint, or null when there is none. */
  public synchronized StoredSnapshot snapshot() { return snapshot; }
  Path checkpointDir() { return checkpointDir; }

  void state(SandboxState s) { state = s; }
  void handle(SandboxHandle h) { handle = h; }
  void snapshot(StoredSnapshot s) { snapshot = s; }
  void base(boolean b) { base = b; }
  void lastUsedMillis(long t) { lastUsedMillis = t; }

  @Override
  public synchronized String toString() {
    return "Sandbox{" + spec.sandboxId() + " " + spec.namespace() + "/" + spec.action() + " " + state + (base ? " base" : "") + "}";
  }
}
