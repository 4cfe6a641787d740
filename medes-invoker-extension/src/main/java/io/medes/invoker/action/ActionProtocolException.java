package io.medes.invoker.action;

/** The runtime could not be reached or did not answer within its time limit. */
public final class ActionProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  public ActionProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
