package io.medes.dedup.restore;

/**
 * A dedup image that cannot be turned back into its checkpoint. The caller answers it with a cold
 * start; {@link #reason()} says why (for metrics and logs), {@link #page()} which page if one is to
 * blame (-1 otherwise).
 */
public final class RestoreException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a restore failed. */
  public enum Reason {
    /** The dedup image is missing, truncated, or fails its format checks or checksum. */
    BAD_IMAGE,
    /** A base (or one of its pages) the image refers to cannot be read. */
    BASE_UNAVAILABLE,
    /** A patch or compressed page does not decode to one page. */
    CORRUPT_PATCH,
    /** A rebuilt page does not have the hash recorded for the original page. */
    HASH_MISMATCH,
    /** Reading the image or writing the rebuilt pages failed. */
    IO
  }

  private final Reason reason;
  private final int page;

  public RestoreException(Reason reason, int page, String message, Throwable cause) {
    super(reason + (page >= 0 ? " at page " + page : "") + ": " + message, cause);
    this.reason = reason;
    this.page = page;
  }

  public Reason reason() {
    return reason;
  }

  public int page() {
    return page;
  }
}
