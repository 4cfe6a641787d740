package io.medes.dedup.criu;

import com.google.protobuf.MessageLite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes CRIU images made of a magic header and length-prefixed protobuf entries. */
final class ProtobufImageFile {
  private ProtobufImageFile() {}

  /**
   * Reads every entry of {@code file}, checking that it carries {@code typeMagic} (after the common
   * magic unless {@code typeMagic} is the inventory's).
   */
  static List<ImageEntry> read(Path file, int typeMagic) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CriuImageException(file, 0, "cannot read: " + e.getMessage(), e);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (in.remaining() < 4) {
      throw new CriuImageException(file, 0, "truncated: no image magic (" + bytes.length + " bytes)");
    }
    int first = in.getInt();
    if (typeMagic != CriuImageFormat.INVENTORY_MAGIC) {
      if (first != CriuImageFormat.IMG_COMMON_MAGIC && first != CriuImageFormat.IMG_SERVICE_MAGIC) {
        throw new CriuImageException(file, 0, String.format(
            "not a CRIU image: common magic 0x%08x expected, found 0x%08x", CriuImageFormat.IMG_COMMON_MAGIC, first));
      }
      if (in.remaining() < 4) {
        throw new CriuImageException(file, 4, "truncated: no type magic");
      }
      first = in.getInt();
    }
    if (first != typeMagic) {
      throw new CriuImageException(file, in.position() - 4L,
          String.format("wrong image type: magic 0x%08x expected, found 0x%08x", typeMagic, first));
    }
    List<ImageEntry> entries = new ArrayList<>();
    while (in.hasRemaining()) {
      int at = in.position();
      if (in.remaining() < 4) {
        throw new CriuImageException(file, at, "truncated entry length (" + in.remaining() + " bytes left)");
      }
      int length = in.getInt();
      if (length < 0 || length > CriuImageFormat.MAX_ENTRY_BYTES) {
        throw new CriuImageException(file, at, "implausible entry length " + Integer.toUnsignedString(length));
      }
      if (in.remaining() < length) {
        throw new CriuImageException(file, at,
            "truncated entry: " + length + " bytes announced, " + in.remaining() + " left");
      }
      byte[] payload = new byte[length];
      in.get(payload);
      entries.add(new ImageEntry(at + 4L, payload));
    }
    return entries;
  }

  /** Writes {@code entries} as an image of {@code typeMagic}, atomically (temp file, then rename). */
  static void write(Path file, int typeMagic, List<? extends MessageLite> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    if (typeMagic != CriuImageFormat.INVENTORY_MAGIC) {
      out.write(word.putInt(0, CriuImageFormat.IMG_COMMON_MAGIC).array(), 0, 4);
    }
    out.write(word.putInt(0, typeMagic).array(), 0, 4);
    for (MessageLite entry : entries) {
      byte[] payload = entry.toByteArray();
      out.write(word.putInt(0, payload.length).array(), 0, 4);
      out.write(payload, 0, payload.length);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer data = ByteBuffer.wrap(out.toByteArray());
      while (data.hasRemaining()) {
        ch.write(data);
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
