package io.medes.dedup;

import io.medes.dedup.image.DedupImage;
import io.medes.dedup.image.PageKind;
import java.nio.file.Path;

/** What one dedup produced: the image and its index, sizes, page classes and time spent per phase. */
public final class DedupResult {
  private final Path imageFile;
  private final DedupImage image;
  private final long imageBytes;
  private final long fingerprintNanos;
  private final long selectNanos;
  private final long encodeNanos;
  private final long writeNanos;

  DedupResult(Path imageFile, DedupImage image, long imageBytes, long fingerprintNanos, long selectNanos,
      long encodeNanos, long writeNanos) {
    this.imageFile = imageFile;
    this.image = image;
    this.imageBytes = imageBytes;
    this.fingerprintNanos = fingerprintNanos;
    this.selectNanos = selectNanos;
    this.encodeNanos = encodeNanos;
    this.writeNanos = writeNanos;
  }

  public Path imageFile() { return imageFile; }
  public DedupImage image() { return image; }

  /** Size of the checkpoint's memory as CRIU wrote it (all pages images). */
  public long warmBytes() { return (long) image.pageCount() * DedupImage.PAGE_SIZE; }

  /** Size of the dedup image file: header, index, hashes and data (patches, compressed and raw pages). */
  public long imageBytes() { return imageBytes; }

  /** Bytes of the data section (patches, compressed and raw pages). */
  public long dataBytes() { return image.dataLength(); }

  /** Bytes of everything but the data section (header, index, page hashes, checksum). */
  public long indexBytes() { return imageBytes - image.dataLength(); }

  public int pages(PageKind kind) { return image.kindCounts()[kind.ordinal()]; }

  public long fingerprintNanos() { return fingerprintNanos; }
  public long selectNanos() { return selectNanos; }
  public long encodeNanos() { return encodeNanos; }
  public long writeNanos() { return writeNanos; }
  public long totalNanos() { return fingerprintNanos + selectNanos + encodeNanos + writeNanos; }

  @Override
  public String toString() {
    return String.format("dedup %s: %d pages, %d -> %d bytes (%.1f%% saved), %s", image.sandbox().baseId(),
        image.pageCount(), warmBytes(), imageBytes, 100.0 * (warmBytes() - imageBytes) / Math.max(1, warmBytes()),
        java.util.Arrays.toString(image.kindCounts()));
  }
}
