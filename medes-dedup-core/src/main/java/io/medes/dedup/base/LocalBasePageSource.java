package io.medes.dedup.base;

import io.medes.dedup.criu.CriuDump;
import io.medes.dedup.criu.MappedPages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Base pages read from base checkpoints on this node: each base's dump directory (its pages images,
 * memory-mapped on first use, and its manifest).
 */
public final class LocalBasePageSource implements BasePageSource {
  private final Map<String, Path> directories = new ConcurrentHashMap<>();
  private final Map<String, Path> manifestFiles = new ConcurrentHashMap<>();
  private final Map<String, MappedPages> pages = new ConcurrentHashMap<>();
  private final Map<String, BaseManifest> manifests = new ConcurrentHashMap<>();

  /**
   * Makes the base whose checkpoint lies in {@code dumpDirectory} (manifest {@value BaseManifest#FILE_NAME}
   * beside it) available under {@code baseId}.
   */
  public void addBase(String baseId, Path dumpDirectory) {
    addBase(baseId, dumpDirectory, dumpDirectory.resolve(BaseManifest.FILE_NAME));
  }

  /** Like {@link #addBase(String, Path)} with the manifest kept elsewhere. */
  public void addBase(String baseId, Path dumpDirectory, Path manifestFile) {
    directories.put(baseId, dumpDirectory);
    manifestFiles.put(baseId, manifestFile);
    pages.remove(baseId);
    manifests.remove(baseId);
  }

  /** Forgets a base (after it is retired). */
  public void removeBase(String baseId) {
    directories.remove(baseId);
    manifestFiles.remove(baseId);
    pages.remove(baseId);
    manifests.remove(baseId);
  }

  private Path directory(String baseId) throws BaseUnavailableException {
    Path dir = directories.get(baseId);
    if (dir == null) throw new BaseUnavailableException(baseId, "not a base on this node");
    return dir;
  }

  @Override
  public BaseManifest manifest(String baseId) throws BaseUnavailableException {
    BaseManifest m = manifests.get(baseId);
    if (m != null) return m;
    directory(baseId);
    Path file = manifestFiles.get(baseId);
    try {
      m = BaseManifest.read(file);
    } catch (IOException e) {
      throw new BaseUnavailableException(baseId, "cannot read manifest " + file + ": " + e.getMessage(), e);
    }
    manifests.put(baseId, m);
    return m;
  }

  private MappedPages pages(String baseId) throws BaseUnavailableException {
    MappedPages p = pages.get(baseId);
    if (p != null) return p;
    Path dir = directory(baseId);
    try {
      p = MappedPages.map(CriuDump.open(dir));
    } catch (IOException e) {
      throw new BaseUnavailableException(baseId, "cannot map pages in " + dir + ": " + e.getMessage(), e);
    }
    MappedPages raced = pages.putIfAbsent(baseId, p);
    return raced != null ? raced : p;
  }

  @Override
  public void readPages(String baseId, int[] pageIndexes, int from, int count, byte[] dst, int dstOff)
      throws BaseUnavailableException {
    MappedPages p = pages(baseId);
    for (int j = 0; j < count; j++) {
      int page = pageIndexes[from + j];
      if (page < 0 || page >= p.pageCount()) {
        throw new BaseUnavailableException(baseId, "page " + page + " out of range (base has " + p.pageCount() + ")");
      }
      p.copyPage(page, dst, dstOff + j * PAGE_SIZE);
    }
  }
}
