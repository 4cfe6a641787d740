package io.medes.bench.dedup;

import io.medes.dedup.criu.CriuDump;
import io.medes.dedup.criu.MappedPages;
import io.medes.dedup.page.HeapPages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates the real CRIU dumps the dedup benchmarks run on: {@code <root>/<function>/<instance>} as
 * written by {@code scripts/make-python-dumps.sh <root> 3}. Instance 1 is the base, 2 the sandbox.
 */
final class RealDumps {
  private RealDumps() {}

  static Path dump(String root, String function, int instance) {
    Path dir = Paths.get(root, function, Integer.toString(instance));
    if (!Files.isRegularFile(dir.resolve("inventory.img"))) {
      throw new IllegalStateException("no CRIU dump at " + dir + ": create the dumps first with "
          + "scripts/make-python-dumps.sh " + root + " 3 " + function);
    }
    return dir;
  }

  /** All pages of a dump copied to the heap (benchmarks then measure computation, not page faults). */
  static HeapPages load(Path dir) throws IOException {
    MappedPages mapped = MappedPages.map(CriuDump.open(dir));
    byte[] bytes = new byte[mapped.pageCount() * 4096];
    for (int p = 0; p < mapped.pageCount(); p++) mapped.copyPage(p, bytes, p * 4096);
    return new HeapPages(bytes);
  }
}
