package io.medes.dedup.base;

import java.io.IOException;

/** The pages or manifest of a base cannot be had: unknown base, missing files, page out of range, I/O. */
public final class BaseUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String baseId;

  public BaseUnavailableException(String baseId, String problem) {
    this(baseId, problem, null);
  }

  public BaseUnavailableException(String baseId, String problem, Throwable cause) {
    super("base " + baseId + ": " + problem, cause);
    this.baseId = baseId;
  }

  public String baseId() {
    return baseId;
  }
}
