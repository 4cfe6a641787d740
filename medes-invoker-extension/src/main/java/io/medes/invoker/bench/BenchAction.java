package io.medes.invoker.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Objects;

/**
 * One action as the start benchmark runs it.
 *
 * @param name short action name (also part of sandbox ids)
 * @param image runtime image
 * @param main entry function
 * @param code the action's source
 * @param params parameters of every /run
 * @param memoryLimitMb sandbox memory limit
 * @param timeout bound of /init and /run
 */
public record BenchAction(String name, String image, String main, String code, ObjectNode params, int memoryLimitMb, Duration timeout) {
  public BenchAction {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(params, "params");
    if (!name.matches("[a-zA-Z0-9_.-]{1,24}")) {
      throw new IllegalArgumentException("action name must be 1-24 of [a-zA-Z0-9_.-]: '" + name + "'");
    }
  }
}
