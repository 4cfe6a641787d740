package io.medes.invoker.snapshot;

/** A snapshot could not be stored or rebuilt exactly. */
public final class SnapshotException extends Exception {
  private static final long serialVersionUID = 1L;

  public SnapshotException(String message) {
    super(message);
  }

  public SnapshotException(String message, Throwable cause) {
    super(message, cause);
  }
}
