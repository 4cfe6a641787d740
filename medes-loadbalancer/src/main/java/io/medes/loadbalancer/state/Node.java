package io.medes.loadbalancer.state;

/** One invoker node: its memory cap (nodes may differ), the memory in use, and restores in flight. */
public final class Node {
  final int id;
  final long capKib;
  long usedKib;
  int activeRestores;
  final SandboxList[] byState = new SandboxList[SandboxState.COUNT];

  Node(int id, long capKib) {
    if (capKib <= 0) {
      throw new IllegalArgumentException("node " + id + ": memory cap must be positive, got " + capKib + " KiB");
    }
    this.id = id;
    this.capKib = capKib;
    for (int s = 0; s < byState.length; s++) {
      byState[s] = new SandboxList(SandboxList.Link.NODE);
    }
  }

  public int id() {
    return id;
  }

  public long capKib() {
    return capKib;
  }

  public long usedKib() {
    return usedKib;
  }

  public long freeKib() {
    return capKib - usedKib;
  }

  public int activeRestores() {
    return activeRestores;
  }

  /** The sandboxes on this node in the given state, oldest entry into that state first. */
  public SandboxList sandboxes(SandboxState state) {
    return byState[state.ordinal()];
  }
}
