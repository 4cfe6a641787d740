package io.medes.loadbalancer.state;

/** One invoker node: its memory cap (nodes may differ), the memory in use, and restores in flight. */
public final class Node {
  final int id;
  final long capKib;
  long usedKib;
  long reservedKib;
  long promisedKib;
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

  /**
   * Memory neither in use nor promised to a start that waits for checkpoints on this node, KiB. Negative
   * while those checkpoints have not yet freed what was promised: nothing else can start here meanwhile.
   */
  public long freeKib() {
    return capKib - usedKib - reservedKib;
  }

  /** Memory promised to starts that wait for checkpoints on this node to finish, KiB. */
  public long reservedKib() {
    return reservedKib;
  }

  /**
   * Memory that checkpoints under way on this node will free and that is promised to waiting starts
   * (warm − dedup of each such CHECKPOINTING sandbox), KiB.
   */
  public long promisedKib() {
    return promisedKib;
  }

  /** Restores running on this node, plus restore slots held by restores that wait for memory. */
  public int activeRestores() {
    return activeRestores;
  }

  /** The sandboxes on this node in the given state, oldest entry into that state first. */
  public SandboxList sandboxes(SandboxState state) {
    return byState[state.ordinal()];
  }
}
