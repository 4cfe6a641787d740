package io.medes.invoker.sandbox;

/** Observes every state change (metrics, logs, tests asserting exact sequences). */
@FunctionalInterface
public interface TransitionListener {
  void onTransition(ManagedSandbox sandbox, SandboxState from, SandboxState to);
}
