package io.medes.dedup.registry;

/**
 * Which bases a sandbox may take pages from. Deduplicating against another tenant's memory is a side
 * channel (page-content probing), so operators choose how far sharing reaches.
 */
public enum SharingScope {
  /** Only bases of the same action in the same namespace. */
  SAME_FUNCTION,
  /** Bases of any action in the same namespace (tenant). */
  SAME_NAMESPACE,
  /**
   * Bases of the same runtime kind in any namespace: the interpreter and library pages every sandbox of
   * a runtime shares, but never another tenant's action-specific pages is the intent; the runtime check
   * is what this module can enforce.
   */
  SAME_RUNTIME,
  /** Any base in the cluster. */
  ANY;

  /** Whether a sandbox described by {@code requester} may use pages of {@code base}. */
  public boolean admits(BaseInfo requester, BaseInfo base) {
    switch (this) {
      case SAME_FUNCTION:
        return requester.namespace().equals(base.namespace()) && requester.function().equals(base.function());
      case SAME_NAMESPACE:
        return requester.namespace().equals(base.namespace());
      case SAME_RUNTIME:
        return requester.runtime().equals(base.runtime());
      case ANY:
        return true;
      default:
        throw new AssertionError(this);
    }
  }
}
