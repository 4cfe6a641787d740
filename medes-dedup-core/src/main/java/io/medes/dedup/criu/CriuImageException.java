package io.medes.dedup.criu;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A CRIU image file that cannot be read as the format requires: wrong magic, truncated entry,
 * undecodable protobuf, inconsistent sizes. Names the file and the byte offset where reading failed.
 */
public final class CriuImageException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long offset;

  public CriuImageException(Path file, long offset, String problem) {
    this(file, offset, problem, null);
  }

  public CriuImageException(Path file, long offset, String problem, Throwable cause) {
    super(file + " at offset " + offset + ": " + problem, cause);
    this.file = file;
    this.offset = offset;
  }

  /** The image file that failed. */
  public Path file() {
    return file;
  }

  /** Byte offset in {@link #file()} where the problem was found. */
  public long offset() {
    return offset;
  }
}
