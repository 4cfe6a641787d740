package io.medes.invoker.runtime;

import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A container backend able to create, pause, checkpoint and restore action sandboxes.
 *
 * <p>Contract with the sandbox state machine (the only caller):
 * <ol>
 *   <li>{@link #create} returns once the runtime process is started; it does not call {@code /init}.
 *   <li>{@link #checkpoint} writes a CRIU image directory. With {@code leaveRunning = false} the
 *       sandbox's processes are gone afterwards (its memory is freed) but the backend keeps whatever it
 *       needs to {@link #restore} it (network namespace, bundle); with {@code true} the sandbox keeps
 *       running (paused state is preserved).
 *   <li>{@link #restore} brings a sandbox back from an image directory whose {@code pages-*.img} files are
 *       complete; the restored runtime is already initialised (no {@code /init}).
 *   <li>{@link #destroy} is idempotent and never throws for a sandbox that is already gone.
 *   <li>Every blocking operation is bounded by a timeout; none waits forever.
 * </ol>
 */
public interface SandboxRuntime extends AutoCloseable {

  /** Short backend name, as used in configuration and reports ({@code docker}, {@code runc}). */
  String name();

  SandboxHandle create(SandboxSpec spec) throws SandboxRuntimeException;

  void pause(SandboxHandle sandbox) throws SandboxRuntimeException;

  void resume(SandboxHandle sandbox) throws SandboxRuntimeException;

  void checkpoint(SandboxHandle sandbox, Path imageDir, boolean leaveRunning) throws SandboxRuntimeException;

  SandboxHandle restore(SandboxSpec spec, Path imageDir) throws SandboxRuntimeException;

  /**
   * Like {@link #restore(SandboxSpec, Path)} for an image whose {@code pages-*.img} files are still being
   * written: {@code pagesReady} completes once they are complete and verified, or exceptionally if they
   * never will be (the caller completes it within bounded time). A backend may create the sandbox
   * meanwhile but reads no page before; if {@code pagesReady} fails, the restore fails and nothing of the
   * sandbox runs. This default simply waits for the pages first.
   */
  default SandboxHandle restore(SandboxSpec spec, Path imageDir, CompletableFuture<Void> pagesReady)
      throws SandboxRuntimeException {
    try {
      pagesReady.join();
    } catch (CompletionException | CancellationException e) {
      throw new SandboxRuntimeException("the pages of " + spec.sandboxId() + " were not rebuilt", e.getCause() != null ? e.getCause() : e);
    }
    return restore(spec, imageDir);
  }

  void destroy(SandboxSpec spec);

  /** Measured memory of a running or paused sandbox's processes. */
  MemoryUsage memory(SandboxHandle sandbox) throws SandboxRuntimeException;

  /**
   * Bytes the backend keeps on memory-backed storage for a sandbox besides its processes and its
   * checkpoint (e.g. the runc backend's tmpfs writable layer, kept while the sandbox is checkpointed).
   */
  default long retainedBytes(SandboxSpec spec) {
    return 0;
  }

  @Override
  default void close() {}
}
