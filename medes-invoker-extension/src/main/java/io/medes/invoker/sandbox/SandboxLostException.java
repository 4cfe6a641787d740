package io.medes.invoker.sandbox;

/**
 * A transition failed and the sandbox was purged. The request that needed it must be served by a cold
 * start; nothing half-done remains.
 */
public final class SandboxLostException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String sandboxId;

  public SandboxLostException(String sandboxId, String message, Throwable cause) {
    super("sandbox " + sandboxId + " purged: " + message, cause);
    this.sandboxId = sandboxId;
  }

  public String sandboxId() {
    return sandboxId;
  }
}
