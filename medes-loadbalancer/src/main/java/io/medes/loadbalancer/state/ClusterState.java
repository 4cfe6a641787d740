package io.medes.loadbalancer.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The controller's explicit view of the cluster: nodes (each with its own memory cap), every live
 * sandbox, indexes of sandboxes by (function, state), (node, state) and base sandboxes by environment,
 * and per-function demand statistics. Policies and the scheduler read it; only the methods here change
 * it, and each keeps the indexes and memory accounting consistent.
 *
 * <p>Invariants enforced on every change: a node's memory in use never exceeds its cap (a change that
 * would break it throws {@link IllegalStateException} and changes nothing); a sandbox is in exactly one
 * state and one index list per dimension; a base with dependents is never purged.
 *
 * <p>Memory model: a sandbox holds its function's warm memory in every state but {@link
 * SandboxState#DEDUP} and {@link SandboxState#RESTORE_PENDING} (dedup memory) and {@link
 * SandboxState#PURGED} (none). A base holds warm memory. A sandbox being checkpointed keeps its warm
 * memory until the checkpoint is done. A restore charges the full warm memory when it begins.
 *
 * <p>Reservations: a start that waits for checkpoints on its node to free memory holds a reservation
 * there ({@link #reserveMemory}); every other start and restore on that node must fit beside it, so the
 * memory freed by those checkpoints is still there when the waiting start begins.
 */
public final class ClusterState {
  private final Node[] nodes;
  private final FunctionCosts costs;
  private final FunctionStats[] stats;
  private final SandboxList[][] byFunction;
  private final List<List<Sandbox>> basesByEnvironment;
  private final int[] liveByFunction;
  private final int[] basesByFunction;
  private final int[] dedupByEnvironment;
  private long peakSumMinute = Long.MIN_VALUE;
  private double peakSum;
  private final int[] liveByState = new int[SandboxState.COUNT];
  private final ArrayList<Sandbox> byId = new ArrayList<>();
  private final long capKib;
  private long usedKib;
  private int bases;

  /**
   * A cluster with the given per-node memory caps (KiB), function costs and a per-function arrival-rate
   * window in minutes.
   */
  public ClusterState(long[] nodeCapsKib, FunctionCosts costs, int rateWindowMinutes) {
    if (nodeCapsKib.length == 0) {
      throw new IllegalArgumentException("a cluster needs at least one node");
    }
    this.nodes = new Node[nodeCapsKib.length];
    long total = 0;
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = new Node(i, nodeCapsKib[i]);
      total += nodeCapsKib[i];
    }
    this.capKib = total;
    this.costs = costs;
    int functions = costs.functions();
    this.stats = new FunctionStats[functions];
    this.byFunction = new SandboxList[functions][SandboxState.COUNT];
    for (int f = 0; f < functions; f++) {
      stats[f] = new FunctionStats(rateWindowMinutes);
      for (int s = 0; s < SandboxState.COUNT; s++) {
        byFunction[f][s] = new SandboxList(SandboxList.Link.FUNCTION);
      }
    }
    this.basesByEnvironment = new ArrayList<>();
    for (int e = 0; e < costs.environments(); e++) {
      basesByEnvironment.add(new ArrayList<>());
    }
    this.liveByFunction = new int[functions];
    this.basesByFunction = new int[functions];
    this.dedupByEnvironment = new int[costs.environments()];
  }

  // ---------------------------------------------------------------- queries

  public FunctionCosts costs() {
    return costs;
  }

  public int nodeCount() {
    return nodes.length;
  }

  public Node node(int id) {
    return nodes[id];
  }

  public int functionCount() {
    return stats.length;
  }

  public FunctionStats stats(int function) {
    return stats[function];
  }

  /** The sandboxes of a function in a state, oldest entry into that state first. */
  public SandboxList sandboxes(int function, SandboxState state) {
    return byFunction[function][state.ordinal()];
  }

  /** Live sandboxes of a function, in any state. */
  public int liveCount(int function) {
    return liveByFunction[function];
  }

  /** Live bases whose own function is {@code function}. */
  public int baseCount(int function) {
    return basesByFunction[function];
  }

  /** Live base sandboxes of an environment (idle or running), in designation order. Read-only. */
  public List<Sandbox> bases(int environment) {
    return Collections.unmodifiableList(basesByEnvironment.get(environment));
  }

  /**
   * Sandboxes of an environment that reference its bases while idle: DEDUP, CHECKPOINTING (about to be
   * DEDUP) and RESTORE_PENDING (DEDUP, claimed by a waiting request).
   */
  public int dedupCount(int environment) {
    return dedupByEnvironment[environment];
  }

  /**
   * The sum over all functions of their peak arrival rate (per second) in the rate window. Recomputed
   * once per minute of simulated or real time, since it scans every function's window: within a minute
   * it reflects the arrivals counted when it was first asked for in that minute.
   */
  public double peakRateSum(long now) {
    long minute = Math.floorDiv(now, 60_000L);
    if (minute != peakSumMinute) {
      double sum = 0;
      for (FunctionStats fs : stats) {
        if (fs.arrivals > 0) {
          sum += fs.peakRatePerSecond(now);
        }
      }
      peakSum = sum;
      peakSumMinute = minute;
    }
    return peakSum;
  }

  /** Live sandboxes in a state across the cluster. */
  public int count(SandboxState state) {
    return liveByState[state.ordinal()];
  }

  /** Live bases across the cluster. */
  public int baseCount() {
    return bases;
  }

  /** A sandbox by id, or null if it never existed or has been purged. */
  public Sandbox sandbox(int id) {
    return id >= 0 && id < byId.size() ? byId.get(id) : null;
  }

  /** Memory in use across all nodes, KiB. */
  public long usedKib() {
    return usedKib;
  }

  /** Sum of all node caps, KiB (nodes may differ). */
  public long capKib() {
    return capKib;
  }

  /** Number of sandbox ids handed out so far (the next new sandbox gets this id). */
  public int sandboxIdsIssued() {
    return byId.size();
  }

  /** Memory a sandbox of {@code function} holds in {@code state}, KiB. */
  public long memoryKib(int function, SandboxState state) {
    switch (state) {
      case DEDUP:
      case RESTORE_PENDING:
        return costs.dedupKib(function);
      case PURGED:
        return 0;
      default:
        return costs.warmKib(function);
    }
  }

  // ---------------------------------------------------------------- demand

  /** A request of {@code function} arrived. */
  public void recordArrival(int function, long now) {
    stats[function].recordArrival(now);
  }

  // ---------------------------------------------------------------- transitions

  /** Creates a sandbox on {@code node} and begins its cold start ({@link SandboxState#STARTING}). */
  public Sandbox startCold(int function, int node, long now) {
    Node n = nodes[node];
    long need = costs.warmKib(function);
    requireRoom(n, need, "cold start of function " + function);
    Sandbox s = new Sandbox(byId.size(), function, costs.environment(function), node);
    s.createdAt = now;
    s.idleSince = now;
    byId.add(s);
    liveByFunction[function]++;
    s.state = SandboxState.STARTING;
    s.stateSince = now;
    s.memoryKib = need;
    charge(n, need);
    link(s);
    return s;
  }

  /** A cold or dedup start of a request finished: the sandbox starts executing. */
  public void finishStart(Sandbox s, long now) {
    requireState(s, SandboxState.STARTING, SandboxState.RESTORING);
    if (s.state == SandboxState.RESTORING) {
      nodes[s.node].activeRestores--;
      releaseBase(s);
    }
    move(s, SandboxState.RUNNING, now);
  }

  /** A pre-warm (background cold start, no request) finished: the sandbox is idle and warm. */
  public void finishPrewarm(Sandbox s, long now) {
    requireState(s, SandboxState.STARTING);
    move(s, SandboxState.WARM, now);
    s.idleSince = now;
  }

  /** An idle WARM or BASE sandbox takes a request (a warm start); a base stays a base. */
  public void beginWarmStart(Sandbox s, long now) {
    requireState(s, SandboxState.WARM, SandboxState.BASE);
    move(s, SandboxState.RUNNING, now);
  }

  /**
   * A DEDUP sandbox begins its restore for a request: it takes the node's full warm memory and a restore
   * slot. It keeps referencing its base until the restore finishes (the base pages are read meanwhile).
   */
  public void beginRestore(Sandbox s, long now) {
    beginRestore(s, now, false);
  }

  /**
   * A DEDUP or RESTORE_PENDING sandbox begins its restore. {@code slotHeld}: the restore slot was taken
   * earlier with {@link #holdRestoreSlot} (a restore that waited for memory), so none is taken now.
   */
  public void beginRestore(Sandbox s, long now, boolean slotHeld) {
    requireState(s, SandboxState.DEDUP, SandboxState.RESTORE_PENDING);
    Node n = nodes[s.node];
    long delta = costs.warmKib(s.function) - s.memoryKib;
    requireRoom(n, delta, "restore of " + s);
    if (slotHeld) {
      if (n.activeRestores <= 0) {
        throw new IllegalStateException("restore of " + s + " claims a held slot but node " + n.id + " holds none");
      }
    } else {
      n.activeRestores++;
    }
    move(s, SandboxState.RESTORING, now);
  }

  /** Takes a restore slot on {@code node} for a restore that will begin later (it waits for memory). */
  public void holdRestoreSlot(int node) {
    nodes[node].activeRestores++;
  }

  /** Claims an idle DEDUP sandbox for a request whose restore has to wait ({@link SandboxState#RESTORE_PENDING}). */
  public void claimForRestore(Sandbox s, long now) {
    requireState(s, SandboxState.DEDUP);
    move(s, SandboxState.RESTORE_PENDING, now);
  }

  /**
   * Promises {@code kib} of {@code node}'s memory to a start that waits for checkpoints there; until
   * {@link #releaseMemory} the node's free memory excludes it (and may be negative meanwhile).
   */
  public void reserveMemory(int node, long kib) {
    if (kib < 0) {
      throw new IllegalArgumentException("cannot reserve " + kib + " KiB on node " + node);
    }
    nodes[node].reservedKib += kib;
  }

  /** Gives back a reservation made with {@link #reserveMemory} (just before the waiting start charges it). */
  public void releaseMemory(int node, long kib) {
    Node n = nodes[node];
    if (kib < 0 || kib > n.reservedKib) {
      throw new IllegalStateException("cannot release " + kib + " KiB on node " + node + ": " + n.reservedKib + " reserved");
    }
    n.reservedKib -= kib;
  }

  /** The request running in {@code s} finished after {@code execMs}; the sandbox becomes idle. */
  public void finishExecution(Sandbox s, long now, double execMs) {
    requireState(s, SandboxState.RUNNING);
    move(s, s.base ? SandboxState.BASE : SandboxState.WARM, now);
    s.idleSince = now;
    s.requestsServed++;
    FunctionStats fs = stats[s.function];
    fs.inFlight--;
    fs.lastFinishAt = Math.max(fs.lastFinishAt, now);
    fs.recordExecution(execMs);
  }

  /** Marks a request of {@code function} as in flight (dispatched to a sandbox). */
  public void recordDispatch(int function) {
    stats[function].inFlight++;
  }

  /**
   * Deduplicates an idle WARM sandbox against {@code base} at once (checkpoint time not modelled):
   * {@link #beginDedup} and {@link #finishDedup} in one step.
   */
  public void dedup(Sandbox s, Sandbox base, long now) {
    beginDedup(s, base, now);
    finishDedup(s, now);
  }

  /**
   * An idle WARM sandbox starts being deduplicated against {@code base} (same environment, a live base):
   * it becomes CHECKPOINTING, references the base from now on, and keeps its warm memory until
   * {@link #finishDedup}.
   */
  public void beginDedup(Sandbox s, Sandbox base, long now) {
    beginDedup(s, base, now, false);
  }

  /**
   * As {@link #beginDedup(Sandbox, Sandbox, long)}; {@code promised}: the memory it frees is promised to
   * a start that waits for it (an eviction's conversion), so it cannot be abandoned.
   */
  public void beginDedup(Sandbox s, Sandbox base, long now, boolean promised) {
    requireState(s, SandboxState.WARM);
    if (base == null || !base.base || base.state == SandboxState.PURGED) {
      throw new IllegalStateException("dedup of " + s + " needs a live base, got " + base);
    }
    if (base.environment != s.environment) {
      throw new IllegalStateException("dedup of " + s + " against a base of another environment: " + base);
    }
    s.dedupBase = base.id;
    base.dependents++;
    s.checkpointPromised = promised;
    if (promised) {
      nodes[s.node].promisedKib += costs.warmKib(s.function) - costs.dedupKib(s.function);
    }
    move(s, SandboxState.CHECKPOINTING, now);
  }

  /**
   * Abandons a background checkpoint because its sandbox is wanted for a request: the dump is cancelled,
   * the frozen process resumes, and the sandbox is WARM again (its memory never left). A checkpoint whose
   * memory is promised to a waiting start cannot be abandoned.
   */
  public void abandonDedup(Sandbox s, long now) {
    requireState(s, SandboxState.CHECKPOINTING);
    if (s.checkpointPromised) {
      throw new IllegalStateException("cannot abandon the checkpoint of " + s + ": its memory is promised to a waiting start");
    }
    releaseBase(s);
    move(s, SandboxState.WARM, now);
  }

  /** The checkpoint of {@code s} is done: it becomes DEDUP and its node gets warm − dedup memory back. */
  public void finishDedup(Sandbox s, long now) {
    requireState(s, SandboxState.CHECKPOINTING);
    if (s.checkpointPromised) {
      nodes[s.node].promisedKib -= costs.warmKib(s.function) - costs.dedupKib(s.function);
      s.checkpointPromised = false;
    }
    move(s, SandboxState.DEDUP, now);
  }

  /** Designates an idle WARM sandbox as a base of its environment. */
  public void makeBase(Sandbox s, long now) {
    requireState(s, SandboxState.WARM);
    s.base = true;
    basesByEnvironment.get(s.environment).add(s);
    basesByFunction[s.function]++;
    bases++;
    move(s, SandboxState.BASE, now);
  }

  /** Turns an idle BASE that no dedup sandbox references back into a plain WARM sandbox. */
  public void demoteBase(Sandbox s, long now) {
    requireState(s, SandboxState.BASE);
    if (s.dependents > 0) {
      throw new IllegalStateException("cannot demote " + s + ": " + s.dependents + " dedup sandboxes use it");
    }
    s.base = false;
    basesByEnvironment.get(s.environment).remove(s);
    basesByFunction[s.function]--;
    bases--;
    move(s, SandboxState.WARM, now);
  }

  /**
   * Purges an idle sandbox (WARM, DEDUP, or a BASE without dependents — retiring it). Returns the KiB
   * freed on its node.
   */
  public long purge(Sandbox s, long now) {
    requireState(s, SandboxState.WARM, SandboxState.DEDUP, SandboxState.BASE);
    if (s.base) {
      if (s.dependents > 0) {
        throw new IllegalStateException("cannot retire " + s + ": " + s.dependents + " dedup sandboxes use it");
      }
      s.base = false;
      basesByEnvironment.get(s.environment).remove(s);
      basesByFunction[s.function]--;
      bases--;
    }
    releaseBase(s);
    long freed = s.memoryKib;
    move(s, SandboxState.PURGED, now);
    liveByFunction[s.function]--;
    byId.set(s.id, null);
    return freed;
  }

  /** Bumps a sandbox's generation so that timers set for it earlier are recognised as stale. */
  public void invalidateTimers(Sandbox s) {
    s.generation++;
  }

  /** Policy-owned scratch value (e.g. a Greedy-Dual priority). */
  public void setPriority(Sandbox s, double priority) {
    s.priority = priority;
  }

  /**
   * Checks every invariant by walking all sandboxes and index lists (O(sandboxes); for tests and debug
   * runs): each live sandbox is in exactly the function list and node list of its state and in no other;
   * node and cluster memory equal the sum of their sandboxes' memory and are within the caps; a sandbox's
   * memory matches its state; base dependents equal the DEDUP sandboxes referring to them.
   *
   * @throws IllegalStateException naming the first violation
   */
  public void verify() {
    java.util.IdentityHashMap<Sandbox, Integer> seen = new java.util.IdentityHashMap<>();
    for (int f = 0; f < byFunction.length; f++) {
      for (int st = 0; st < SandboxState.COUNT; st++) {
        int n = 0;
        SandboxList list = byFunction[f][st];
        for (Sandbox x = list.oldest(); x != null; x = list.newer(x)) {
          n++;
          if (x.function != f || x.state.ordinal() != st) {
            throw new IllegalStateException(x + " is in the list of function " + f + " / " + SandboxState.of(st));
          }
          if (seen.put(x, st) != null) {
            throw new IllegalStateException(x + " is in two function lists");
          }
        }
        if (n != list.size()) {
          throw new IllegalStateException("function " + f + " / " + SandboxState.of(st) + " list size " + list.size() + " but " + n + " linked");
        }
      }
    }
    long total = 0;
    int nodeLinked = 0;
    for (Node n : nodes) {
      long sum = 0;
      for (int st = 0; st < SandboxState.COUNT; st++) {
        SandboxList list = n.byState[st];
        for (Sandbox x = list.oldest(); x != null; x = list.newer(x)) {
          nodeLinked++;
          if (x.node != n.id || x.state.ordinal() != st) {
            throw new IllegalStateException(x + " is in the list of node " + n.id + " / " + SandboxState.of(st));
          }
          sum += x.memoryKib;
        }
      }
      if (sum != n.usedKib) {
        throw new IllegalStateException("node " + n.id + " accounts " + n.usedKib + " KiB but its sandboxes hold " + sum);
      }
      if (n.usedKib > n.capKib || n.usedKib < 0) {
        throw new IllegalStateException("node " + n.id + " uses " + n.usedKib + " of " + n.capKib + " KiB");
      }
      if (n.reservedKib < 0 || n.activeRestores < 0) {
        throw new IllegalStateException("node " + n.id + " reserves " + n.reservedKib + " KiB and holds " + n.activeRestores + " restore slots");
      }
      long promised = 0;
      SandboxList checkpointing = n.byState[SandboxState.CHECKPOINTING.ordinal()];
      for (Sandbox x = checkpointing.oldest(); x != null; x = checkpointing.newer(x)) {
        if (x.checkpointPromised) {
          promised += costs.warmKib(x.function) - costs.dedupKib(x.function);
        }
      }
      if (promised != n.promisedKib) {
        throw new IllegalStateException("node " + n.id + " counts " + n.promisedKib + " KiB promised by checkpoints, found " + promised);
      }
      // every reservation is covered by free memory plus what the promised checkpoints will free
      if (n.capKib - n.usedKib - n.reservedKib + n.promisedKib < 0) {
        throw new IllegalStateException("node " + n.id + " reserves " + n.reservedKib + " KiB but only " + (n.capKib - n.usedKib)
            + " are free and " + n.promisedKib + " promised");
      }
      int restoring = n.byState[SandboxState.RESTORING.ordinal()].size();
      if (n.activeRestores < restoring) {
        throw new IllegalStateException("node " + n.id + " counts " + n.activeRestores + " restore slots for " + restoring + " restores");
      }
      total += sum;
    }
    if (total != usedKib) {
      throw new IllegalStateException("cluster accounts " + usedKib + " KiB but nodes hold " + total);
    }
    int live = 0;
    java.util.Map<Integer, Integer> dependents = new java.util.HashMap<>();
    int[] referencing = new int[dedupByEnvironment.length];
    for (Sandbox x : byId) {
      if (x == null) {
        continue;
      }
      live++;
      if (!seen.containsKey(x)) {
        throw new IllegalStateException(x + " is live but in no function list");
      }
      if (x.memoryKib != memoryKib(x.function, x.state)) {
        throw new IllegalStateException(x + " holds " + x.memoryKib + " KiB, its state needs " + memoryKib(x.function, x.state));
      }
      if (x.dedupBase >= 0) {
        dependents.merge(x.dedupBase, 1, Integer::sum);
        Sandbox base = byId.get(x.dedupBase);
        if (base == null || !base.base || base.environment != x.environment) {
          throw new IllegalStateException(x + " references " + base + ", not a live base of its environment");
        }
      }
      boolean references = referencesBase(x.state);
      if (references != (x.dedupBase >= 0) && x.state != SandboxState.RESTORING) {
        throw new IllegalStateException(x + " in " + x.state + " has base reference " + x.dedupBase);
      }
      if (references) {
        referencing[x.environment]++;
      }
      if (x.base != basesByEnvironment.get(x.environment).contains(x)) {
        throw new IllegalStateException(x + " base flag disagrees with the base index");
      }
    }
    if (live != seen.size() || live != nodeLinked) {
      throw new IllegalStateException(live + " live sandboxes, " + seen.size() + " in function lists, " + nodeLinked + " in node lists");
    }
    for (int e = 0; e < referencing.length; e++) {
      if (referencing[e] != dedupByEnvironment[e]) {
        throw new IllegalStateException("environment " + e + " counts " + dedupByEnvironment[e] + " dedup sandboxes, found " + referencing[e]);
      }
    }
    for (Sandbox x : byId) {
      if (x != null && x.dependents != dependents.getOrDefault(x.id, 0)) {
        throw new IllegalStateException(x + " counts " + x.dependents + " dependents, found " + dependents.getOrDefault(x.id, 0));
      }
    }
  }

  // ---------------------------------------------------------------- internals

  private void releaseBase(Sandbox s) {
    if (s.dedupBase >= 0) {
      Sandbox base = byId.get(s.dedupBase);
      base.dependents--;
      s.dedupBase = -1;
    }
  }

  private void move(Sandbox s, SandboxState to, long now) {
    long newMemory = memoryKib(s.function, to);
    long delta = newMemory - s.memoryKib;
    if (delta > 0) {
      requireRoom(nodes[s.node], delta, "move of " + s + " to " + to);
    }
    unlink(s);
    charge(nodes[s.node], delta);
    s.memoryKib = newMemory;
    s.state = to;
    s.stateSince = now;
    s.generation++;
    if (to != SandboxState.PURGED) {
      link(s);
    }
  }

  private void link(Sandbox s) {
    byFunction[s.function][s.state.ordinal()].append(s);
    nodes[s.node].byState[s.state.ordinal()].append(s);
    liveByState[s.state.ordinal()]++;
    if (referencesBase(s.state)) {
      dedupByEnvironment[s.environment]++;
    }
  }

  private void unlink(Sandbox s) {
    if (s.state == null || s.state == SandboxState.PURGED) {
      return;
    }
    byFunction[s.function][s.state.ordinal()].remove(s);
    nodes[s.node].byState[s.state.ordinal()].remove(s);
    liveByState[s.state.ordinal()]--;
    if (referencesBase(s.state)) {
      dedupByEnvironment[s.environment]--;
    }
  }

  private static boolean referencesBase(SandboxState st) {
    return st == SandboxState.DEDUP || st == SandboxState.CHECKPOINTING || st == SandboxState.RESTORE_PENDING;
  }

  private void charge(Node n, long deltaKib) {
    n.usedKib += deltaKib;
    usedKib += deltaKib;
  }

  private static void requireRoom(Node n, long needKib, String what) {
    if (needKib > n.freeKib()) {
      throw new IllegalStateException(what + " needs " + needKib + " KiB on node " + n.id + " but only "
          + n.freeKib() + " of " + n.capKib + " KiB are free (" + n.reservedKib + " reserved)");
    }
  }

  private static void requireState(Sandbox s, SandboxState... allowed) {
    for (SandboxState a : allowed) {
      if (s.state == a) {
        return;
      }
    }
    throw new IllegalStateException(s + " is " + s.state + ", expected one of " + java.util.Arrays.toString(allowed));
  }
}
