package io.medes.dedup.registry;

import java.io.Serializable;
import java.util.Objects;

/**
 * Identity of a base sandbox whose checkpoint pages serve as dedup sources: who owns it (for tenant
 * isolation) and where its pages live (for locality).
 */
public final class BaseInfo implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String baseId;
  private final String nodeId;
  private final String namespace;
  private final String function;
  private final String runtime;

  public BaseInfo(String baseId, String nodeId, String namespace, String function, String runtime) {
    this.baseId = Objects.requireNonNull(baseId, "baseId");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.function = Objects.requireNonNull(function, "function");
    this.runtime = Objects.requireNonNull(runtime, "runtime");
  }

  public String baseId() { return baseId; }
  public String nodeId() { return nodeId; }
  public String namespace() { return namespace; }
  public String function() { return function; }
  public String runtime() { return runtime; }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof BaseInfo)) return false;
    BaseInfo b = (BaseInfo) o;
    return baseId.equals(b.baseId) && nodeId.equals(b.nodeId) && namespace.equals(b.namespace)
        && function.equals(b.function) && runtime.equals(b.runtime);
  }

  @Override
  public int hashCode() { return Objects.hash(baseId, nodeId, namespace, function, runtime); }

  @Override
  public String toString() {
    return "Base{" + baseId + " on " + nodeId + ", " + namespace + "/" + function + ", " + runtime + "}";
  }
}
