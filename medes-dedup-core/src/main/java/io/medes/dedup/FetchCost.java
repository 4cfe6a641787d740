package io.medes.dedup;

import io.medes.dedup.registry.BaseInfo;

/** Relative cost of fetching pages of {@code base} for {@code requester}; lower is cheaper. */
public interface FetchCost {
  double cost(BaseInfo requester, BaseInfo base);

  /** 0 on the requester's node, 1 elsewhere. */
  static FetchCost localFirst() {
    return (requester, base) -> requester.nodeId().equals(base.nodeId()) ? 0.0 : 1.0;
  }
}
