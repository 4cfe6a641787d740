package io.medes.dedup.criu;

/** One protobuf entry of a CRIU image: its payload and where the payload starts in the file. */
final class ImageEntry {
  final long offset;
  final byte[] payload;

  ImageEntry(long offset, byte[] payload) {
    this.offset = offset;
    this.payload = payload;
  }
}
