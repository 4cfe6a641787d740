package io.medes.invoker.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.medes.concurrent.DaemonThreads;
import io.medes.invoker.action.ActionProtocolException;
import io.medes.invoker.action.ActionResponse;
import io.medes.invoker.action.ActionRuntimeClient;
import io.medes.invoker.runtime.MemoryUsage;
import io.medes.invoker.runtime.SandboxHandle;
import io.medes.invoker.runtime.SandboxRuntime;
import io.medes.invoker.runtime.SandboxRuntimeException;
import io.medes.invoker.runtime.SandboxSpec;
import io.medes.invoker.snapshot.PlainCriuSnapshotStore;
import io.medes.invoker.snapshot.SnapshotException;
import io.medes.invoker.snapshot.SnapshotStore;
import io.medes.invoker.snapshot.StoredSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every sandbox state transition, in one place.
 *
 * <p>Rules:
 * <ol>
 *   <li>Each operation checks the current state against {@link SandboxState}'s table, enters a
 *       transitional state if it has one, does its work and lands in its target state.
 *   <li>Any failure of a checkpoint, a store, a rebuild, a restore or an init purges the sandbox
 *       (processes and all stored state) and throws {@link SandboxLostException}: the caller serves the
 *       request with a cold start. A sandbox is never left half-restored or stuck in a transitional
 *       state.
 *   <li>A restored sandbox answers requests only after its pages were rebuilt and verified by the
 *       {@link SnapshotStore}.
 *   <li>Operations on one sandbox are serialised by its monitor; operations on different sandboxes run
 *       in parallel.
 * </ol>
 */
public final class SandboxStateMachine {
  private static final Logger log = LoggerFactory.getLogger(SandboxStateMachine.class);

  private final SandboxRuntime runtime;
  private final SnapshotStore snapshots;
  private final ActionRuntimeClient actions;
  private final Path checkpointRoot;
  private final Duration initTimeout;
  private final LongSupplier clockMillis;
  private final List<TransitionListener> listeners = new CopyOnWriteArrayList<>();
  /** Runs each restore's page rebuild beside the backend's restore (the rebuild's own workers are the store's). */
  private static final ExecutorService REBUILDS = Executors.newCachedThreadPool(DaemonThreads.named("medes-rebuild"));
  /**
   * Deletes the images of restored sandboxes off the request path: freeing a 200 MB image on a tmpfs
   * without huge pages takes 20-30 ms, which the first response after a restore need not wait for. One
   * thread, so {@link #awaitDiscards()} can wait for everything queued before it.
   */
  private static final ExecutorService DISCARDS = Executors.newSingleThreadExecutor(DaemonThreads.named("medes-snapshot-discard"));

  public SandboxStateMachine(
      SandboxRuntime runtime,
      SnapshotStore snapshots,
      ActionRuntimeClient actions,
      Path checkpointRoot,
      Duration initTimeout,
      LongSupplier clockMillis) {
    this.runtime = Objects.requireNonNull(runtime);
    this.snapshots = Objects.requireNonNull(snapshots);
    this.actions = Objects.requireNonNull(actions);
    this.checkpointRoot = Objects.requireNonNull(checkpointRoot);
    this.initTimeout = Objects.requireNonNull(initTimeout);
    this.clockMillis = Objects.requireNonNull(clockMillis);
  }

  public void addListener(TransitionListener listener) {
    listeners.add(listener);
  }

  public SandboxRuntime runtime() {
    return runtime;
  }

  public SnapshotStore snapshots() {
    return snapshots;
  }

  /** Cold start: create the container and {@code /init} it with the action's code. Ends RUNNING. */
  public ManagedSandbox coldStart(SandboxSpec spec, ObjectNode initValue) throws SandboxLostException {
    ManagedSandbox sandbox = new ManagedSandbox(spec, checkpointRoot.resolve(spec.sandboxId()), clockMillis.getAsLong());
    synchronized (sandbox) {
      notifyListeners(sandbox, null, SandboxState.STARTING);
      try {
        SandboxHandle handle = runtime.create(spec);
        sandbox.handle(handle);
        ActionResponse init = actions.init(handle.endpoint(), initValue, initTimeout);
        if (!init.isSuccess()) {
          throw new IllegalStateException("/init answered " + init.httpStatus() + ": " + init.rawBody());
        }
        move(sandbox, SandboxState.RUNNING);
        return sandbox;
      } catch (SandboxRuntimeException | ActionProtocolException | RuntimeException e) {
        throw purgeAfterFailure(sandbox, "cold start failed", e);
      }
    }
  }

  /** Sends one activation to a RUNNING sandbox. */
  public ActionResponse run(ManagedSandbox sandbox, ObjectNode runBody, Duration timeout)
      throws ActionProtocolException {
    SandboxHandle handle;
    synchronized (sandbox) {
      require(sandbox, SandboxState.RUNNING);
      handle = sandbox.handle();
      sandbox.lastUsedMillis(clockMillis.getAsLong());
    }
    return actions.run(handle.endpoint(), runBody, timeout);
  }

  /** After an activation: pause the sandbox; it lands WARM, or BASE if it is a base. */
  public void park(ManagedSandbox sandbox) throws SandboxLostException {
    synchronized (sandbox) {
      require(sandbox, SandboxState.RUNNING);
      try {
        runtime.pause(sandbox.handle());
        move(sandbox, sandbox.isBase() ? SandboxState.BASE : SandboxState.WARM);
      } catch (SandboxRuntimeException | RuntimeException e) {
        throw purgeAfterFailure(sandbox, "pause failed", e);
      }
    }
  }

  /** Warm start: resume a WARM or BASE sandbox. Ends RUNNING. */
  public void wake(ManagedSandbox sandbox) throws SandboxLostException {
    synchronized (sandbox) {
      SandboxState from = sandbox.state();
      if (from != SandboxState.WARM && from != SandboxState.BASE) {
        throw illegal(sandbox, "wake");
      }
      try {
        runtime.resume(sandbox.handle());
        move(sandbox, SandboxState.RUNNING);
      } catch (SandboxRuntimeException | RuntimeException e) {
        throw purgeAfterFailure(sandbox, "resume failed", e);
      }
    }
  }

  /**
   * Dedup: checkpoint a WARM sandbox (its processes exit), hand the image to the snapshot store and
   * release the memory. Ends DEDUP.
   */
  public void deduplicate(ManagedSandbox sandbox) throws SandboxLostException {
    checkpointWarm(sandbox, false, "checkpoint for dedup failed", imageDir -> {
      sandbox.handle(null);
      sandbox.snapshot(snapshots.store(sandbox.spec(), imageDir));
      return SandboxState.DEDUP;
    });
  }

  /**
   * Makes a WARM sandbox a base: checkpoint it while it keeps running, register its pages. Ends BASE
   * (paused, resident, serving requests like a warm sandbox).
   */
  public void makeBase(ManagedSandbox sandbox) throws SandboxLostException {
    checkpointWarm(sandbox, true, "checkpoint for base failed", imageDir -> {
      snapshots.registerBase(sandbox.spec(), imageDir);
      sandbox.base(true);
      return SandboxState.BASE;
    });
  }

  /** What happens to a fresh checkpoint image; returns the state the sandbox lands in. */
  private interface CheckpointOutcome {
    SandboxState apply(Path imageDir) throws SnapshotException;
  }

  private void checkpointWarm(ManagedSandbox sandbox, boolean leaveRunning, String failure, CheckpointOutcome outcome)
      throws SandboxLostException {
    synchronized (sandbox) {
      require(sandbox, SandboxState.WARM);
      move(sandbox, SandboxState.CHECKPOINTING);
      try {
        Path imageDir = freshImageDir(sandbox);
        runtime.checkpoint(sandbox.handle(), imageDir, leaveRunning);
        move(sandbox, outcome.apply(imageDir));
      } catch (SandboxRuntimeException | SnapshotException | RuntimeException e) {
        throw purgeAfterFailure(sandbox, failure, e);
      }
    }
  }

  /** Retires a base: its pages leave the registry and it becomes an ordinary WARM sandbox. */
  public void retireBase(ManagedSandbox sandbox) {
    synchronized (sandbox) {
      require(sandbox, SandboxState.BASE);
      snapshots.retireBase(sandbox.spec());
      sandbox.base(false);
      move(sandbox, SandboxState.WARM);
    }
  }

  /**
   * Dedup start: rebuild and verify the pages, then restore the processes. Ends RUNNING, already
   * initialised.
   */
  public void restore(ManagedSandbox sandbox) throws SandboxLostException {
    synchronized (sandbox) {
      require(sandbox, SandboxState.DEDUP);
      move(sandbox, SandboxState.RESTORING);
      StoredSnapshot snapshot = sandbox.snapshot();
      // The backend builds the sandbox while the pages are rebuilt; it reads them only once verified.
      // A store that only checks its files does so first: nothing to overlap.
      CompletableFuture<Void> rebuilt;
      if (snapshots.rebuildWritesPages()) {
        rebuilt = CompletableFuture.runAsync(() -> rebuildOrThrow(snapshot), REBUILDS);
      } else {
        try {
          snapshots.rebuild(snapshot);
        } catch (SnapshotException e) {
          throw purgeAfterFailure(sandbox, "restore failed", e);
        }
        rebuilt = CompletableFuture.completedFuture(null);
      }
      try {
        sandbox.handle(runtime.restore(sandbox.spec(), snapshot.imageDir(), rebuilt));
        rebuilt.join(); // complete by now; a backend that ignored a failed rebuild must not leave it running
        // The rebuilt image served its purpose; the live sandbox is the state now.
        sandbox.snapshot(null);
        DISCARDS.execute(() -> discardQuietly(snapshot));
        move(sandbox, SandboxState.RUNNING);
      } catch (SandboxRuntimeException | RuntimeException e) {
        // Purging deletes the image: the rebuild must have stopped writing it. Its failure, if any, is the cause.
        Throwable rebuildFailure = rebuilt.handle((ok, failure) -> failure).join();
        Exception cause = e;
        if (rebuildFailure instanceof CompletionException && rebuildFailure.getCause() instanceof SnapshotException) {
          SnapshotException lost = (SnapshotException) rebuildFailure.getCause();
          if (e != rebuildFailure) lost.addSuppressed(e);
          cause = lost;
        }
        throw purgeAfterFailure(sandbox, "restore failed", cause);
      }
    }
  }

  private void rebuildOrThrow(StoredSnapshot snapshot) {
    try {
      snapshots.rebuild(snapshot);
    } catch (SnapshotException e) {
      throw new CompletionException(e);
    }
  }

  /** Waits until the images of every sandbox restored so far are deleted. */
  public void awaitDiscards() {
    try {
      DISCARDS.submit(() -> { }).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the discard queue failed", e.getCause());
    }
  }

  private void discardQuietly(StoredSnapshot snapshot) {
    try {
      snapshots.discard(snapshot);
    } catch (RuntimeException e) {
      log.warn("deleting the restored image {} failed", snapshot.imageDir(), e);
    }
  }

  /** Destroys the sandbox and everything stored for it. Idempotent. */
  public void purge(ManagedSandbox sandbox) {
    synchronized (sandbox) {
      if (sandbox.state() == SandboxState.PURGED) return;
      if (sandbox.state().isTransitional()) {
        throw illegal(sandbox, "purge");
      }
      destroyEverything(sandbox);
      move(sandbox, SandboxState.PURGED);
    }
  }

  /** Measured memory of the sandbox in its current state. */
  public MemoryUsage memory(ManagedSandbox sandbox) throws SandboxRuntimeException {
    synchronized (sandbox) {
      switch (sandbox.state()) {
        case DEDUP:
          return new MemoryUsage(0, 0, sandbox.snapshot().stateBytes() + runtime.retainedBytes(sandbox.spec()));
        case PURGED:
          return MemoryUsage.NONE;
        default:
          return runtime.memory(sandbox.handle());
      }
    }
  }

  private Path freshImageDir(ManagedSandbox sandbox) throws SandboxRuntimeException {
    Path dir = sandbox.checkpointDir().resolve(Long.toString(System.nanoTime()));
    try {
      Files.createDirectories(dir);
      return dir;
    } catch (java.io.IOException e) {
      throw new SandboxRuntimeException("cannot create checkpoint directory " + dir, e);
    }
  }

  private SandboxLostException purgeAfterFailure(ManagedSandbox sandbox, String what, Exception cause) {
    log.warn("{}: {}; purging it", sandbox, what, cause);
    try {
      destroyEverything(sandbox);
    } catch (RuntimeException cleanup) {
      cause.addSuppressed(cleanup);
    }
    move(sandbox, SandboxState.PURGED);
    return new SandboxLostException(sandbox.id(), what, cause);
  }

  private void destroyEverything(ManagedSandbox sandbox) {
    runtime.destroy(sandbox.spec());
    sandbox.handle(null);
    if (sandbox.isBase()) {
      snapshots.retireBase(sandbox.spec());
      sandbox.base(false);
    }
    if (sandbox.snapshot() != null) {
      snapshots.discard(sandbox.snapshot());
      sandbox.snapshot(null);
    }
    PlainCriuSnapshotStore.deleteRecursively(sandbox.checkpointDir());
  }

  private void move(ManagedSandbox sandbox, SandboxState to) {
    SandboxState from = sandbox.state();
    if (from != to && !from.canMoveTo(to)) {
      throw new IllegalStateException(sandbox + ": illegal transition " + from + " -> " + to);
    }
    sandbox.state(to);
    notifyListeners(sandbox, from, to);
  }

  private void notifyListeners(ManagedSandbox sandbox, SandboxState from, SandboxState to) {
    for (TransitionListener l : listeners) {
      try {
        l.onTransition(sandbox, from, to);
      } catch (RuntimeException e) {
        log.warn("transition listener failed for {} {} -> {}", sandbox, from, to, e);
      }
    }
  }

  private static void require(ManagedSandbox sandbox, SandboxState expected) {
    if (sandbox.state() != expected) {
      throw new IllegalStateException(sandbox + ": expected " + expected);
    }
  }

  private static IllegalStateException illegal(ManagedSandbox sandbox, String operation) {
    return new IllegalStateException(sandbox + ": cannot " + operation + " in state " + sandbox.state());
  }
}
