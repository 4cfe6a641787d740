package io.medes.dedup.registry;

import java.io.Serializable;
import java.util.Objects;

/** One page of a base sandbox's checkpoint: the base and the page's index in its pages image. */
public final class BasePageRef implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String baseId;
  private final int pageIndex;

  public BasePageRef(String baseId, int pageIndex) {
    this.baseId = Objects.requireNonNull(baseId, "baseId");
    if (pageIndex < 0) throw new IllegalArgumentException("pageIndex < 0: " + pageIndex);
    this.pageIndex = pageIndex;
  }

  public String baseId() { return baseId; }
  public int pageIndex() { return pageIndex; }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof BasePageRef)) return false;
    BasePageRef r = (BasePageRef) o;
    return pageIndex == r.pageIndex && baseId.equals(r.baseId);
  }

  @Override
  public int hashCode() { return 31 * baseId.hashCode() + pageIndex; }

  @Override
  public String toString() { return baseId + "#" + pageIndex; }
}
