package io.medes.simulator.profile;

/** A cost-profile file is malformed; the message names the file and line. */
public final class ProfileFormatException extends RuntimeException {
  public ProfileFormatException(String message) {
    super(message);
  }

  public ProfileFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
