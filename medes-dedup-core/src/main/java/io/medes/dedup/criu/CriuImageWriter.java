package io.medes.dedup.criu;

import com.google.protobuf.MessageLite;
import io.medes.dedup.criu.proto.CriuImages.InventoryEntry;
import io.medes.dedup.criu.proto.CriuImages.PagemapEntry;
import io.medes.dedup.criu.proto.CriuImages.PagemapHead;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the memory-describing images of a dump in CRIU's format: an inventory and pagemaps. Used to
 * build dumps from scratch (tests, tools); rebuilding a real dump never rewrites its pagemaps.
 */
public final class CriuImageWriter {
  private CriuImageWriter() {}

  /** Writes {@code inventory.img} with the given img_version. */
  public static void writeInventory(Path directory, int imageVersion) throws IOException {
    List<MessageLite> entries = new ArrayList<>();
    entries.add(InventoryEntry.newBuilder().setImgVersion(imageVersion).build());
    ProtobufImageFile.write(directory.resolve(CriuImageFormat.INVENTORY_FILE), CriuImageFormat.INVENTORY_MAGIC, entries);
  }

  /** Writes a pagemap image naming {@code pages-<pagesId>.img}, in CRIU 4.x's field layout. */
  public static void writePagemap(Path file, int pagesId, List<PagemapRun> runs) throws IOException {
    List<MessageLite> entries = new ArrayList<>(runs.size() + 1);
    entries.add(PagemapHead.newBuilder().setPagesId(pagesId).build());
    for (PagemapRun run : runs) {
      entries.add(PagemapEntry.newBuilder()
          .setVaddr(run.vaddr())
          .setCompatNrPages(0)
          .setFlags(run.flags())
          .setNrPages(run.pageCount())
          .build());
    }
    ProtobufImageFile.write(file, CriuImageFormat.PAGEMAP_MAGIC, entries);
  }
}
