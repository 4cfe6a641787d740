package io.medes.invoker.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.medes.invoker.action.ActionProtocolException;
import io.medes.invoker.action.ActionResponse;
import io.medes.invoker.action.ActionRuntimeClient;
import io.medes.invoker.runtime.MemoryUsage;
import io.medes.invoker.runtime.SandboxRuntime;
import io.medes.invoker.runtime.SandboxRuntimeException;
import io.medes.invoker.runtime.SandboxSpec;
import io.medes.invoker.sandbox.ManagedSandbox;
import io.medes.invoker.sandbox.SandboxLostException;
import io.medes.invoker.sandbox.SandboxState;
import io.medes.invoker.sandbox.SandboxStateMachine;
import io.medes.invoker.snapshot.PlainCriuSnapshotStore;
import io.medes.invoker.snapshot.SnapshotStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Measures the four ways a request can find its sandbox, on a real backend: cold start (create +
 * {@code /init} + {@code /run}), warm start (resume + {@code /run}), dedup start (rebuild through the
 * snapshot store under test + restore + {@code /run}) and plain CRIU restore (the same through an
 * untouched CRIU image), each from the request to the first successful response. Every repetition uses
 * a fresh sandbox, so each cold start is a real one.
 */
public final class StartBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SandboxRuntime runtime;
  private final SandboxStateMachine underTest;
  private final SandboxStateMachine plainCriu;
  private final ActionRuntimeClient client = new ActionRuntimeClient();
  private final Consumer<String> progress;

  public StartBenchmark(SandboxRuntime runtime, SnapshotStore store, Path checkpointRoot, Duration initTimeout, Consumer<String> progress) {
    this.runtime = runtime;
    this.progress = progress;
    this.underTest = new SandboxStateMachine(runtime, store, client, checkpointRoot, initTimeout, System::currentTimeMillis);
    this.plainCriu = new SandboxStateMachine(runtime, new PlainCriuSnapshotStore(), client, checkpointRoot, initTimeout, System::currentTimeMillis);
  }

  /**
   * Measures {@code reps} repetitions after {@code warmups} whose samples are dropped (their failures are
   * kept): the first restores of a fresh JVM run the rebuild interpreted, unlike a long-running invoker.
   */
  public StartMeasurements measure(BenchAction action, int warmups, int reps) {
    StartMeasurements m = new StartMeasurements(action.name(), runtime.name(), underTest.snapshots().name());
    ManagedSandbox base = startBase(action, m);
    try {
      if (warmups > 0) {
        StartMeasurements dropped = new StartMeasurements(action.name(), runtime.name(), underTest.snapshots().name());
        measureRepetitions(action, warmups, dropped, "warm-up ");
        dropped.failures.forEach(f -> m.failures.add("warm-up " + f));
      }
      measureRepetitions(action, reps, m, "");
    } finally {
      if (base != null && base.state() == SandboxState.BASE) {
        underTest.retireBase(base);
      }
      if (base != null && base.state() != SandboxState.PURGED && !base.state().isTransitional()) {
        underTest.purge(base);
      }
    }
    return m;
  }

  /**
   * One base sandbox of the action, as the Medes policy would designate one per function: cold start,
   * one run, pause, checkpoint while it keeps running, pages registered. Dedup starts are measured
   * against it (same-function, local base). Null, with the failure recorded, if it could not be made.
   */
  private ManagedSandbox startBase(BenchAction action, StartMeasurements m) {
    SandboxSpec spec = new SandboxSpec("bench-" + action.name() + "-" + runtime.name() + "-" + ProcessHandle.current().pid() + "-base",
        action.image(), "guest", action.name(), action.memoryLimitMb(), Map.of());
    try {
      ManagedSandbox base = underTest.coldStart(spec, initValue(action));
      runChecked(underTest, base, action);
      underTest.park(base);
      underTest.makeBase(base);
      return base;
    } catch (SandboxLostException | ActionProtocolException | IllegalStateException e) {
      m.failures.add("base: " + e.getMessage());
      progress.accept(action.name() + "/" + runtime.name() + " base FAILED: " + e.getMessage());
      return null;
    }
  }

  private void measureRepetitions(BenchAction action, int reps, StartMeasurements m, String label) {
    for (int rep = 0; rep < reps; rep++) {
      SandboxSpec spec = new SandboxSpec("bench-" + action.name() + "-" + runtime.name() + "-" + ProcessHandle.current().pid() + "-"
          + (label.isEmpty() ? "" : "w") + rep,
          action.image(), "guest", action.name(), action.memoryLimitMb(), Map.of());
      ManagedSandbox s = null;
      try {
        long t0 = System.nanoTime();
        s = underTest.coldStart(spec, initValue(action));
        m.coldSetup.add(ms(t0));
        runChecked(underTest, s, action);
        m.cold.add(ms(t0));
        t0 = System.nanoTime();
        runChecked(underTest, s, action);
        m.exec.add(ms(t0));

        underTest.park(s);
        MemoryUsage warm = underTest.memory(s);
        m.warmMemory.add(warm.totalBytes());
        m.warmRss.add(warm.rssBytes());
        t0 = System.nanoTime();
        underTest.wake(s);
        m.warmSetup.add(ms(t0));
        runChecked(underTest, s, action);
        m.warm.add(ms(t0));
        underTest.park(s);

        t0 = System.nanoTime();
        underTest.deduplicate(s);
        m.checkpoint.add(ms(t0));
        m.dedupMemory.add(underTest.memory(s).totalBytes());
        t0 = System.nanoTime();
        underTest.restore(s);
        m.dedupSetup.add(ms(t0));
        runChecked(underTest, s, action);
        m.dedup.add(ms(t0));
        underTest.park(s);

        plainCriu.deduplicate(s);
        m.criuImage.add(s.snapshot().stateBytes());
        t0 = System.nanoTime();
        plainCriu.restore(s);
        m.criuSetup.add(ms(t0));
        runChecked(plainCriu, s, action);
        m.criu.add(ms(t0));
        progress.accept(String.format("%s/%s %srep %d: cold %.0f ms, warm %.1f ms, dedup %.0f ms, criu %.0f ms, warm %.1f MiB, dedup %.1f MiB",
            action.name(), runtime.name(), label, rep + 1, last(m.cold), last(m.warm), last(m.dedup), last(m.criu),
            m.warmMemory.get(m.warmMemory.size() - 1) / 1048576.0, m.dedupMemory.get(m.dedupMemory.size() - 1) / 1048576.0));
      } catch (SandboxLostException | ActionProtocolException | SandboxRuntimeException | IllegalStateException e) {
        m.failures.add("rep " + (rep + 1) + ": " + e.getMessage() + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""));
        progress.accept(action.name() + "/" + runtime.name() + " " + label + "rep " + (rep + 1) + " FAILED: " + e.getMessage());
      } finally {
        if (s != null && s.state() != SandboxState.PURGED && !s.state().isTransitional()) {
          underTest.purge(s);
        }
      }
    }
  }

  private void runChecked(SandboxStateMachine machine, ManagedSandbox s, BenchAction action) throws ActionProtocolException {
    ActionResponse r = machine.run(s, runBody(action), action.timeout());
    if (!r.isSuccess()) {
      throw new IllegalStateException(action.name() + ": /run answered " + r.httpStatus() + ": " + abbreviate(r.rawBody()));
    }
  }

  private static ObjectNode initValue(BenchAction action) {
    ObjectNode v = JSON.createObjectNode();
    v.put("name", action.name());
    v.put("main", action.main());
    v.put("code", action.code());
    v.put("binary", false);
    v.putObject("env");
    return v;
  }

  private static ObjectNode runBody(BenchAction action) {
    ObjectNode body = JSON.createObjectNode();
    body.set("value", action.params().deepCopy());
    body.put("namespace", "guest");
    body.put("action_name", "/guest/" + action.name());
    body.put("activation_id", "00000000000000000000000000000000");
    body.put("transaction_id", "bench");
    body.put("deadline", Long.toString(System.currentTimeMillis() + action.timeout().toMillis()));
    return body;
  }

  private static double ms(long t0) {
    return (System.nanoTime() - t0) / 1e6;
  }

  private static double last(java.util.List<Double> l) {
    return l.isEmpty() ? Double.NaN : l.get(l.size() - 1);
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
