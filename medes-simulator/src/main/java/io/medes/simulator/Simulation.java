package io.medes.simulator;

import io.medes.loadbalancer.policy.Decision;
import io.medes.loadbalancer.policy.KeepAlivePolicy;
import io.medes.loadbalancer.policy.PolicyRegistry;
import io.medes.loadbalancer.policy.PolicySettings;
import io.medes.loadbalancer.schedule.Placement;
import io.medes.loadbalancer.schedule.Scheduler;
import io.medes.loadbalancer.state.ClusterState;
import io.medes.loadbalancer.state.FunctionCosts;
import io.medes.loadbalancer.state.Sandbox;
import io.medes.loadbalancer.state.SandboxList;
import io.medes.loadbalancer.state.SandboxState;
import io.medes.simulator.trace.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * One discrete-event run of a workload through one policy on one cluster. Drives the live system's
 * {@link KeepAlivePolicy} and {@link Scheduler} against a {@link ClusterState}, and applies what they
 * decide the way the invokers would: instantly for state changes (purge, dedup, base), after the start
 * latency for starts, after the execution time for requests.
 *
 * <p>Events, in time order (ties: first scheduled first; internal events before arrivals at the same
 * millisecond, so a finishing sandbox is free for a request arriving then):
 * <ul>
 *   <li>arrival — place the request: warm, dedup, cold (evicting by the policy if needed), or wait in a
 *       FIFO queue while every node is full of busy sandboxes;</li>
 *   <li>start done — a cold start or restore finished, the request starts executing;</li>
 *   <li>execution done — the sandbox goes idle, the policy decides about it, waiting requests retry;</li>
 *   <li>decision — a timer the policy asked for;</li>
 *   <li>pre-warm / pre-warm done — a background cold start the hybrid-histogram policy asked for.</li>
 * </ul>
 * End-to-end latency of a request = waiting time + start latency + execution time. Memory statistics are
 * time-weighted over the replayed period.
 */
public final class Simulation {
  private static final int START_DONE = 0;
  private static final int EXEC_DONE = 1;
  private static final int DECISION = 2;
  private static final int PREWARM = 3;
  private static final int PREWARM_DONE = 4;
  private static final int CHECKPOINT_DONE = 5;
  private static final int DEFERRED_START = 6;
  private static final long PROGRESS_EVERY = 1 << 14;

  private final Workload workload;
  private final ClusterState state;
  private final KeepAlivePolicy policy;
  private final Scheduler scheduler;
  private final long endMs;
  private final EventQueue events = new EventQueue();
  private final int[] latencyMs;
  private final byte[] startKind;
  private final byte[] served;
  private final int[] prewarmToken;
  private int[] queue = new int[256];
  private int queueHead;
  private int queueSize;
  private final int verifyEvery;

  // metrics
  private long lastT;
  private double memoryIntegral;
  private double dedupIntegral;
  private double baseIntegral;
  private long maxUsedKib;
  private int maxDedup;
  private int maxBases;
  private final double[] memorySeriesMb;
  private final int[] dedupSeries;
  private final int[] baseSeries;
  private long completed;
  private long warmStarts;
  private long dedupStartsLocal;
  private long dedupStartsRemote;
  private long coldStarts;
  private long waited;
  private long evictions;
  private long policyPurges;
  private long dedupTransitions;
  private long basesMade;
  private long prewarms;
  private long evictionDedups;
  private long checkpointWaits;
  private long abandonedCheckpoints;
  private long extendedCheckpointWaits;
  private final List<int[]>[] blocked;
  private long restoreLimitedColdStarts;
  private int maxActiveRestores;
  private long events_;

  /**
   * A run of {@code workload} through the policy {@code policyName} on nodes with the given memory caps.
   * {@code verifyEvery} > 0 checks every index and memory invariant of the cluster state after that many
   * events (slow; for tests).
   */
  public Simulation(Workload workload, FunctionCosts costs, long[] nodeCapsKib, PolicySettings settings,
      String policyName, int verifyEvery) {
    if (costs.functions() != workload.functions()) {
      throw new IllegalArgumentException("costs cover " + costs.functions() + " functions, workload has " + workload.functions());
    }
    long largestCap = 0;
    for (long c : nodeCapsKib) {
      largestCap = Math.max(largestCap, c);
    }
    for (int f = 0; f < costs.functions(); f++) {
      if (costs.warmKib(f) > largestCap) {
        throw new IllegalArgumentException("function " + f + " needs " + costs.warmKib(f) / 1024 + " MB warm but the largest node cap is "
            + largestCap / 1024 + " MB: it could never run");
      }
    }
    this.workload = workload;
    this.state = new ClusterState(nodeCapsKib, costs, settings.medes().rateWindowMinutes());
    this.policy = PolicyRegistry.create(policyName, settings, workload.functions());
    this.scheduler = new Scheduler(settings.scheduler());
    this.endMs = workload.durationMs();
    int n = workload.size();
    this.latencyMs = new int[n];
    this.startKind = new byte[n];
    this.served = new byte[n];
    this.prewarmToken = new int[workload.functions()];
    int minutes = (int) ((endMs + 59_999) / 60_000);
    this.memorySeriesMb = new double[minutes];
    this.dedupSeries = new int[minutes];
    this.baseSeries = new int[minutes];
    this.verifyEvery = verifyEvery;
    @SuppressWarnings("unchecked")
    List<int[]>[] lists = new List[nodeCapsKib.length];
    for (int i = 0; i < lists.length; i++) {
      lists[i] = new ArrayList<>();
    }
    this.blocked = lists;
  }

  /** Runs to completion; {@code progress} (may be null) gets the number of arrivals processed so far. */
  public SimulationResult run(LongConsumer progress) {
    long wallStart = System.nanoTime();
    int n = workload.size();
    int next = 0;
    while (next < n || !events.isEmpty()) {
      boolean internal = !events.isEmpty() && (next >= n || events.peekTime() <= workload.arrivalMs(next));
      if (internal) {
        long t = events.peekTime();
        if (next >= n && completed == n && t > endMs) {
          break; // only policy timers remain after the replayed period
        }
        int type = events.peekType();
        int x = events.peekA();
        int y = events.peekB();
        events.pop();
        advance(t);
        handle(type, x, y, t);
      } else {
        long t = workload.arrivalMs(next);
        advance(t);
        arrive(next, t);
        next++;
        if (progress != null && (next % PROGRESS_EVERY == 0 || next == n)) {
          progress.accept(next);
        }
      }
      maxUsedKib = Math.max(maxUsedKib, state.usedKib());
      maxDedup = Math.max(maxDedup, state.count(SandboxState.DEDUP));
      maxBases = Math.max(maxBases, state.baseCount());
      events_++;
      if (verifyEvery > 0 && events_ % verifyEvery == 0) {
        state.verify();
      }
    }
    if (completed != n) {
      throw new IllegalStateException("simulation ended with " + (n - completed) + " of " + n + " requests unfinished");
    }
    advance(Math.max(endMs, lastT));
    if (verifyEvery > 0) {
      state.verify();
      for (int i = 0; i < state.nodeCount(); i++) {
        if (state.node(i).reservedKib() != 0 || state.node(i).activeRestores() != 0) {
          throw new IllegalStateException("node " + i + " still reserves " + state.node(i).reservedKib() + " KiB and "
              + state.node(i).activeRestores() + " restore slots after every request finished");
        }
      }
    }
    long wallMs = (System.nanoTime() - wallStart) / 1_000_000;
    return new SimulationResult(this, wallMs);
  }

  // ---------------------------------------------------------------- events

  private void arrive(int request, long t) {
    int f = workload.function(request);
    policy.onArrival(state, f, t);
    state.recordArrival(f, t);
    prewarmToken[f]++; // a request cancels a pending pre-warm; its own completion may ask for a new one
    Placement p = scheduler.place(state, policy, f, t);
    if (p.kind() == Placement.Kind.WAIT || (queueSize > 0 && p.kind() != Placement.Kind.WARM)) {
      enqueue(request);
    } else {
      dispatch(request, p, t);
    }
  }

  private void handle(int type, int x, int y, long t) {
    switch (type) {
      case START_DONE: {
        Sandbox s = state.sandbox(x);
        state.finishStart(s, t);
        events.push(t + workload.executionMs(y), EXEC_DONE, x, y);
        break;
      }
      case EXEC_DONE: {
        Sandbox s = state.sandbox(x);
        state.finishExecution(s, t, workload.executionMs(y));
        completed++;
        policy.onIdle(state, s, t);
        decideAndApply(s, t);
        drainQueue(t);
        break;
      }
      case DECISION: {
        Sandbox s = state.sandbox(x);
        if (s != null && s.generation() == y && s.state().isIdle()) {
          decideAndApply(s, t);
          drainQueue(t);
        }
        break;
      }
      case PREWARM:
        prewarm(x, y, t);
        break;
      case PREWARM_DONE: {
        Sandbox s = state.sandbox(x);
        state.finishPrewarm(s, t);
        policy.onIdle(state, s, t);
        decideAndApply(s, t);
        drainQueue(t);
        break;
      }
      case CHECKPOINT_DONE: {
        Sandbox s = state.sandbox(x);
        if (s == null || s.generation() != y) {
          break; // abandoned for a request
        }
        state.finishDedup(s, t);
        List<int[]> waiting = blocked[s.node()];
        if (!waiting.isEmpty() && state.node(s.node()).freeKib() >= 0) {
          // releasing a reservation and charging it changes nothing else: all of them can start now
          List<int[]> ready = new ArrayList<>(waiting);
          waiting.clear();
          for (int[] w : ready) {
            startDeferred(w[0], w[1], t);
          }
        }
        decideAndApply(s, t);
        drainQueue(t);
        break;
      }
      case DEFERRED_START:
        startDeferred(x, y, t);
        break;
      default:
        throw new IllegalStateException("unknown event type " + type);
    }
  }

  private void dispatch(int request, Placement p, long t) {
    for (Sandbox v : p.eviction().victims()) {
      policy.onPurge(state, v, true, t);
      state.purge(v, t);
      evictions++;
    }
    if (t > workload.arrivalMs(request)) {
      waited++;
    }
    if (p.eviction().waitsForCheckpoints()) {
      defer(request, p, t);
      return;
    }
    int f = workload.function(request);
    Sandbox s;
    switch (p.kind()) {
      case WARM:
        s = p.sandbox();
        if (s.state() == SandboxState.CHECKPOINTING) {
          state.abandonDedup(s, t);
          abandonedCheckpoints++;
        }
        state.beginWarmStart(s, t);
        break;
      case DEDUP:
        s = p.sandbox();
        state.beginRestore(s, t);
        break;
      case COLD:
        s = state.startCold(f, p.node(), t);
        break;
      default:
        throw new IllegalStateException("cannot dispatch a " + p.kind() + " placement");
    }
    started(request, s, p.kind(), p.startMs(), p.localBase(), t);
  }

  /**
   * The placement's eviction deduplicates sandboxes: their checkpoints begin now, the start's memory is
   * reserved on the node (and, for a restore, its sandbox claimed and a restore slot held), and the start
   * begins when the last checkpoint is done.
   */
  private void defer(int request, Placement p, long t) {
    int f = workload.function(request);
    int node = p.node();
    for (Sandbox c : p.eviction().conversions()) {
      beginCheckpoint(c, t, true);
      evictionDedups++;
    }
    checkpointWaits++;
    int target;
    if (p.kind() == Placement.Kind.DEDUP) {
      Sandbox s = p.sandbox();
      state.claimForRestore(s, t);
      state.holdRestoreSlot(node);
      state.reserveMemory(node, state.costs().warmKib(f) - s.memoryKib());
      target = s.id();
    } else if (p.kind() == Placement.Kind.COLD) {
      state.reserveMemory(node, state.costs().warmKib(f));
      target = -1 - node;
    } else {
      throw new IllegalStateException("a " + p.kind() + " placement cannot wait for checkpoints");
    }
    events.push(t + p.checkpointWaitMs(), DEFERRED_START, request, target);
  }

  /**
   * The checkpoints a deferred start waited for are done: release its reservation and start it — unless
   * other starts' reservations on the node still wait for their own checkpoints and hold the memory
   * (the node's free memory, reservations included, is negative); then it waits for the next checkpoint
   * on the node to finish.
   */
  private void startDeferred(int request, int target, long t) {
    int node = target >= 0 ? state.sandbox(target).node() : -1 - target;
    if (state.node(node).freeKib() < 0) {
      if (state.node(node).promisedKib() == 0) {
        throw new IllegalStateException("node " + node + " is over-reserved with no checkpoint under way: " + state.node(node).freeKib() + " KiB free");
      }
      blocked[node].add(new int[] {request, target});
      extendedCheckpointWaits++;
      return;
    }
    int f = workload.function(request);
    if (target >= 0) {
      Sandbox s = state.sandbox(target);
      state.releaseMemory(s.node(), state.costs().warmKib(f) - s.memoryKib());
      Sandbox base = state.sandbox(s.dedupBase());
      boolean local = base.node() == s.node();
      state.beginRestore(s, t, true);
      started(request, s, Placement.Kind.DEDUP, state.costs().dedupMs(f, local), local, t);
    } else {
      state.releaseMemory(node, state.costs().warmKib(f));
      Sandbox s = state.startCold(f, node, t);
      started(request, s, Placement.Kind.COLD, state.costs().coldMs(f), false, t);
    }
  }

  private void started(int request, Sandbox s, Placement.Kind kind, int startMs, boolean localBase, long t) {
    int exec = workload.executionMs(request);
    switch (kind) {
      case WARM:
        events.push(t + startMs + exec, EXEC_DONE, s.id(), request);
        warmStarts++;
        startKind[request] = SimulationResult.WARM;
        break;
      case DEDUP:
        events.push(t + startMs, START_DONE, s.id(), request);
        maxActiveRestores = Math.max(maxActiveRestores, state.node(s.node()).activeRestores());
        if (localBase) {
          dedupStartsLocal++;
        } else {
          dedupStartsRemote++;
        }
        startKind[request] = SimulationResult.DEDUP;
        break;
      default:
        if (onlyDedupAtRestoreLimit(s.function())) {
          restoreLimitedColdStarts++;
        }
        events.push(t + startMs, START_DONE, s.id(), request);
        coldStarts++;
        startKind[request] = SimulationResult.COLD;
        break;
    }
    state.recordDispatch(s.function());
    policy.onDispatch(state, s, t);
    long latency = (t - workload.arrivalMs(request)) + startMs + exec;
    latencyMs[request] = (int) Math.min(Integer.MAX_VALUE, latency);
    served[request]++;
  }

  /**
   * Whether {@code function} has idle DEDUP sandboxes but every one of them is on a node whose restore
   * slots are all taken — a cold start the restore limit caused.
   */
  private boolean onlyDedupAtRestoreLimit(int function) {
    SandboxList dedup = state.sandboxes(function, SandboxState.DEDUP);
    if (dedup.isEmpty()) {
      return false;
    }
    for (Sandbox d = dedup.oldest(); d != null; d = dedup.newer(d)) {
      if (state.node(d.node()).activeRestores() < scheduler.restoresPerNode()) {
        return false;
      }
    }
    return true;
  }

  /** Begins deduplicating an idle warm sandbox against a base chosen by the scheduler's rule. */
  private void beginCheckpoint(Sandbox s, long t, boolean promised) {
    Sandbox base = Scheduler.chooseBase(state, s);
    if (base == null) {
      throw new IllegalStateException(policy.name() + " asked to dedup " + s + " but its environment has no base");
    }
    state.beginDedup(s, base, t, promised);
    dedupTransitions++;
    events.push(t + state.costs().checkpointMs(s.function()), CHECKPOINT_DONE, s.id(), s.generation());
  }

  private void decideAndApply(Sandbox s, long t) {
    Decision d = policy.decide(state, s, t);
    switch (d.action()) {
      case KEEP:
        break;
      case DEDUP:
        beginCheckpoint(s, t, false);
        return; // asked again when the checkpoint is done
      case MAKE_BASE:
        state.makeBase(s, t);
        basesMade++;
        break;
      case DEMOTE_BASE:
        state.demoteBase(s, t);
        decideAndApply(s, t); // judged again as the warm sandbox it now is
        return;
      case RETIRE_BASE:
      case PURGE:
        policy.onPurge(state, s, false, t);
        state.purge(s, t);
        policyPurges++;
        if (d.prewarmAt() != Decision.NEVER) {
          int f = s.function();
          prewarmToken[f]++;
          events.push(Math.max(d.prewarmAt(), t), PREWARM, f, prewarmToken[f]);
        }
        return;
      default:
        throw new IllegalStateException("unknown action " + d.action());
    }
    if (d.nextDecisionAt() != Decision.NEVER) {
      if (d.nextDecisionAt() <= t) {
        throw new IllegalStateException(policy.name() + " asked to be called again at " + d.nextDecisionAt()
            + " which is not after now (" + t + ") for " + s + ": " + d);
      }
      events.push(d.nextDecisionAt(), DECISION, s.id(), s.generation());
    }
  }

  private void prewarm(int function, int token, long t) {
    if (token != prewarmToken[function]) {
      return; // cancelled by an arrival or superseded
    }
    long need = state.costs().warmKib(function);
    int nodes = state.nodeCount();
    int home = Scheduler.homeNode(function, nodes);
    for (int i = 0; i < nodes; i++) {
      int node = (home + i) % nodes;
      if (state.node(node).freeKib() >= need) {
        Sandbox s = state.startCold(function, node, t);
        events.push(t + state.costs().coldMs(function), PREWARM_DONE, s.id(), 0);
        prewarms++;
        return;
      }
    }
    // No free memory: a pre-warm never evicts (it is speculative).
  }

  private void enqueue(int request) {
    if (queueSize == queue.length) {
      int[] bigger = new int[queue.length * 2];
      for (int i = 0; i < queueSize; i++) {
        bigger[i] = queue[(queueHead + i) % queue.length];
      }
      queue = bigger;
      queueHead = 0;
    }
    queue[(queueHead + queueSize) % queue.length] = request;
    queueSize++;
  }

  private void drainQueue(long t) {
    while (queueSize > 0) {
      int request = queue[queueHead];
      Placement p = scheduler.place(state, policy, workload.function(request), t);
      if (p.kind() == Placement.Kind.WAIT) {
        return;
      }
      queueHead = (queueHead + 1) % queue.length;
      queueSize--;
      dispatch(request, p, t);
    }
  }

  private void advance(long t) {
    long to = Math.min(t, endMs);
    if (to <= lastT) {
      return;
    }
    long used = state.usedKib();
    int dedups = state.count(SandboxState.DEDUP);
    int bases = state.baseCount();
    long dt = to - lastT;
    memoryIntegral += (double) used * dt;
    dedupIntegral += (double) dedups * dt;
    baseIntegral += (double) bases * dt;
    // The value held at the end of each minute crossed.
    for (long m = lastT / 60_000 + 1; m * 60_000 <= to; m++) {
      int i = (int) m - 1;
      if (i < memorySeriesMb.length) {
        memorySeriesMb[i] = used / 1024.0;
        dedupSeries[i] = dedups;
        baseSeries[i] = bases;
      }
    }
    lastT = to;
  }

  // ---------------------------------------------------------------- accessors for SimulationResult

  Workload workload() {
    return workload;
  }

  ClusterState state() {
    return state;
  }

  KeepAlivePolicy policy() {
    return policy;
  }

  int[] latencies() {
    return latencyMs;
  }

  byte[] startKinds() {
    return startKind;
  }

  byte[] servedCounts() {
    return served;
  }

  double meanMemoryMb() {
    return endMs == 0 ? 0 : memoryIntegral / endMs / 1024.0;
  }

  double maxMemoryMb() {
    return maxUsedKib / 1024.0;
  }

  double meanDedup() {
    return endMs == 0 ? 0 : dedupIntegral / endMs;
  }

  double meanBases() {
    return endMs == 0 ? 0 : baseIntegral / endMs;
  }

  int maxDedup() {
    return maxDedup;
  }

  int maxBases() {
    return maxBases;
  }

  double[] memorySeriesMb() {
    return memorySeriesMb;
  }

  int[] dedupSeries() {
    return dedupSeries;
  }

  int[] baseSeries() {
    return baseSeries;
  }

  long coldStarts() {
    return coldStarts;
  }

  long warmStarts() {
    return warmStarts;
  }

  long dedupStartsLocal() {
    return dedupStartsLocal;
  }

  long dedupStartsRemote() {
    return dedupStartsRemote;
  }

  long waited() {
    return waited;
  }

  long evictions() {
    return evictions;
  }

  long policyPurges() {
    return policyPurges;
  }

  long dedupTransitions() {
    return dedupTransitions;
  }

  long basesMade() {
    return basesMade;
  }

  long prewarms() {
    return prewarms;
  }

  long evictionDedups() {
    return evictionDedups;
  }

  long checkpointWaits() {
    return checkpointWaits;
  }

  long abandonedCheckpoints() {
    return abandonedCheckpoints;
  }

  long extendedCheckpointWaits() {
    return extendedCheckpointWaits;
  }

  long restoreLimitedColdStarts() {
    return restoreLimitedColdStarts;
  }

  int maxActiveRestores() {
    return maxActiveRestores;
  }
}
