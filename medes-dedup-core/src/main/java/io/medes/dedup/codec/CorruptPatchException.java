package io.medes.dedup.codec;

/** Patch or compressed page bytes that do not decode to exactly one page. */
public final class CorruptPatchException extends Exception {
  private static final long serialVersionUID = 1L;

  public CorruptPatchException(String message) {
    super(message);
  }

  public CorruptPatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
