package io.medes.simulator.trace;

/** A trace file is missing, malformed or inconsistent with its companions; the message says where. */
public final class TraceFormatException extends RuntimeException {
  public TraceFormatException(String message) {
    super(message);
  }

  public TraceFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
