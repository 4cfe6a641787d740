package io.medes.invoker.runtime;

/**
 * Measured memory of a sandbox.
 *
 * @param rssBytes resident set size summed over the sandbox's processes
 * @param pssBytes proportional set size summed over the sandbox's processes (shared pages split)
 * @param stateBytes bytes of checkpoint or dedup state held on memory-backed storage (tmpfs) for it
 */
public record MemoryUsage(long rssBytes, long pssBytes, long stateBytes) {
  public static final MemoryUsage NONE = new MemoryUsage(0, 0, 0);

  /** What the sandbox costs the node's memory: its processes' PSS plus its state on tmpfs. */
  public long totalBytes() {
    return pssBytes + stateBytes;
  }
}
