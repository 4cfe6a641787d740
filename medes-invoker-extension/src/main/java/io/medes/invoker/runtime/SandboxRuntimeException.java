package io.medes.invoker.runtime;

/** A backend operation failed; the message names the sandbox and the operation, the cause says why. */
public class SandboxRuntimeException extends Exception {
  private static final long serialVersionUID = 1L;

  public SandboxRuntimeException(String message) {
    super(message);
  }

  public SandboxRuntimeException(String message, Throwable cause) {
    super(message, cause);
  }
}
