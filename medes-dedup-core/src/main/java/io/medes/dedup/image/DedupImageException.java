package io.medes.dedup.image;

import java.io.IOException;
import java.nio.file.Path;

/** A dedup image that is not what the format requires (bad magic, checksum, index, bounds). */
public final class DedupImageException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long offset;

  public DedupImageException(Path file, long offset, String problem) {
    this(file, offset, problem, null);
  }

  public DedupImageException(Path file, long offset, String problem, Throwable cause) {
    super(file + " at offset " + offset + ": " + problem, cause);
    this.file = file;
    this.offset = offset;
  }

  public Path file() { return file; }
  public long offset() { return offset; }
}
