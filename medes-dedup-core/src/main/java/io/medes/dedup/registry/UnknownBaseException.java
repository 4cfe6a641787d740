package io.medes.dedup.registry;

/**
 * A base id that is not (or no longer) registered was used where a registered base is required, e.g.
 * retaining a base that has been retired: the dedup image would reference pages that are gone.
 */
public final class UnknownBaseException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String baseId;

  public UnknownBaseException(String baseId) {
    super("base '" + baseId + "' is not registered (never registered, or retired)");
    this.baseId = baseId;
  }

  /** The base id that was not found. */
  public String baseId() {
    return baseId;
  }
}
