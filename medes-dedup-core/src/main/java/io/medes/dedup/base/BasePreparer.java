package io.medes.dedup.base;

import io.medes.dedup.criu.CriuDump;
import io.medes.dedup.criu.MappedPages;
import io.medes.dedup.page.FingerprintScheme;
import io.medes.dedup.page.PageDigests;
import io.medes.dedup.registry.BaseInfo;
import io.medes.dedup.registry.FingerprintRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/** Turns a checkpoint into a base: digests its pages, writes its manifest, registers its fingerprints. */
public final class BasePreparer {
  private BasePreparer() {}

  /** Digests the dump in {@code dumpDirectory} and writes its manifest to {@code manifestFile}. */
  public static BaseManifest writeManifest(Path dumpDirectory, Path manifestFile, FingerprintScheme scheme,
      Executor executor) throws IOException {
    MappedPages pages = MappedPages.map(CriuDump.open(dumpDirectory));
    BaseManifest manifest = new BaseManifest(PageDigests.compute(pages, scheme, executor));
    manifest.write(manifestFile);
    return manifest;
  }

  /**
   * Makes {@code dumpDirectory} the base {@code base}: writes its manifest, registers its fingerprints
   * in {@code registry} and its pages with {@code localSource}.
   */
  public static BaseManifest register(BaseInfo base, Path dumpDirectory, FingerprintScheme scheme,
      FingerprintRegistry registry, LocalBasePageSource localSource, Executor executor) throws IOException {
    return register(base, dumpDirectory, dumpDirectory.resolve(BaseManifest.FILE_NAME), scheme, registry, localSource,
        executor);
  }

  /** Like {@link #register(BaseInfo, Path, FingerprintScheme, FingerprintRegistry, LocalBasePageSource, Executor)}
   * with the manifest written to {@code manifestFile} (leaving the dump directory untouched). */
  public static BaseManifest register(BaseInfo base, Path dumpDirectory, Path manifestFile, FingerprintScheme scheme,
      FingerprintRegistry registry, LocalBasePageSource localSource, Executor executor) throws IOException {
    BaseManifest manifest = writeManifest(dumpDirectory, manifestFile, scheme, executor);
    localSource.addBase(base.baseId(), dumpDirectory, manifestFile);
    registry.registerBase(base, manifest.digests().fingerprintsPerPage());
    return manifest;
  }
}
