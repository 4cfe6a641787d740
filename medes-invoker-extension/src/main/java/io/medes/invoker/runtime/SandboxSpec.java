package io.medes.invoker.runtime;

import java.util.Map;
import java.util.Objects;

/**
 * What a sandbox is made from: the runtime image, the action it will run, and its memory limit.
 *
 * @param sandboxId unique id of the sandbox on this invoker (also its container/bundle name)
 * @param image runtime image reference, e.g. {@code medes/python3-action:<tag>}
 * @param namespace the OpenWhisk namespace (tenant) of the action
 * @param action the action's fully qualified name without namespace
 * @param memoryLimitMb the action's memory limit; enforced by the backend's cgroup
 * @param environment extra environment for the runtime process
 */
public record SandboxSpec(
    String sandboxId,
    String image,
    String namespace,
    String action,
    int memoryLimitMb,
    Map<String, String> environment) {

  public SandboxSpec {
    Objects.requireNonNull(sandboxId, "sandboxId");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(action, "action");
    if (!sandboxId.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}")) {
      throw new IllegalArgumentException("sandbox id must be a container name ([a-zA-Z0-9_.-], <= 63): " + sandboxId);
    }
    if (memoryLimitMb < 128) {
      throw new IllegalArgumentException("memory limit below OpenWhisk's 128 MB minimum: " + memoryLimitMb);
    }
    environment = Map.copyOf(environment);
  }
}
