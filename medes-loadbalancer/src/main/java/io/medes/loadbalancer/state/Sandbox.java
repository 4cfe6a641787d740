package io.medes.loadbalancer.state;

/**
 * One sandbox (an action container) as the controller tracks it. Mutated only through
 * {@link ClusterState}, which keeps the indexes and the node's memory accounting consistent.
 */
public final class Sandbox {
  final int id;
  final int function;
  final int environment;
  final int node;
  SandboxState state;
  long memoryKib;
  boolean base;
  /** For a DEDUP sandbox: the id of the base it was deduplicated against; otherwise -1. */
  int dedupBase = -1;
  /** For a base: how many DEDUP sandboxes reference its pages. */
  int dependents;
  long createdAt;
  long stateSince;
  /** When the sandbox last became idle (end of its last execution, or its creation if pre-warmed). */
  long idleSince;
  int requestsServed;
  /** Bumped on every state change; a timer carrying an older value is stale. */
  int generation;
  /** Policy-owned scratch value (Greedy-Dual keeps its priority here). */
  double priority;
  /** While CHECKPOINTING: whether the memory the checkpoint frees is promised to a waiting start. */
  boolean checkpointPromised;

  // Intrusive links: one list by (function, state), one by (node, state).
  Sandbox functionPrev;
  Sandbox functionNext;
  Sandbox nodePrev;
  Sandbox nodeNext;

  Sandbox(int id, int function, int environment, int node) {
    this.id = id;
    this.function = function;
    this.environment = environment;
    this.node = node;
  }

  public int id() {
    return id;
  }

  public int function() {
    return function;
  }

  /** The environment (runtime + libraries, one of the profile's actions) whose bases this sandbox can use. */
  public int environment() {
    return environment;
  }

  public int node() {
    return node;
  }

  public SandboxState state() {
    return state;
  }

  /** Memory currently charged to the node for this sandbox, in KiB. */
  public long memoryKib() {
    return memoryKib;
  }

  /** Whether this sandbox is a designated base (idle in {@link SandboxState#BASE} or running). */
  public boolean isBase() {
    return base;
  }

  /** Id of the base a DEDUP sandbox refers to, or -1. */
  public int dedupBase() {
    return dedupBase;
  }

  /** Number of DEDUP sandboxes that reference this base's pages. */
  public int dependents() {
    return dependents;
  }

  public long createdAt() {
    return createdAt;
  }

  public long stateSince() {
    return stateSince;
  }

  public long idleSince() {
    return idleSince;
  }

  public int requestsServed() {
    return requestsServed;
  }

  public int generation() {
    return generation;
  }

  public double priority() {
    return priority;
  }

  /**
   * While CHECKPOINTING: whether the memory this checkpoint frees is promised to a start waiting for it
   * (an eviction's conversion), so it cannot be abandoned; false for a background dedup decision.
   */
  public boolean checkpointPromised() {
    return checkpointPromised;
  }

  @Override
  public String toString() {
    return "Sandbox#" + id + "{f=" + function + ", node=" + node + ", " + state + (base ? ", base" : "")
        + ", " + memoryKib + " KiB}";
  }
}
