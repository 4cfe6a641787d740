package io.medes.invoker.snapshot;

import io.medes.invoker.runtime.SandboxSpec;
import java.nio.file.Path;

/**
 * What happens to a sandbox's checkpoint between dump and restore. The Medes implementation
 * deduplicates its pages against base pages; the plain one keeps the CRIU image as it is (the
 * "CRIU restore without dedup" baseline).
 */
public interface SnapshotStore extends AutoCloseable {

  /** Short name for reports ({@code medes}, {@code plain-criu}). */
  String name();

  /**
   * Takes over a freshly dumped image directory. Afterwards the directory need no longer hold the
   * sandbox's memory pages; the returned state holds whatever is needed to {@link #rebuild} them.
   */
  StoredSnapshot store(SandboxSpec spec, Path imageDir) throws SnapshotException;

  /**
   * Makes {@code snapshot.imageDir()} a complete CRIU image again, every page verified. Throws if any
   * page cannot be rebuilt exactly; the caller then purges the sandbox and cold-starts.
   */
  void rebuild(StoredSnapshot snapshot) throws SnapshotException;

  /**
   * Whether {@link #rebuild} writes the pages images (rather than checking them in place): then the
   * backend creates the sandbox while they are written, instead of after.
   */
  default boolean rebuildWritesPages() {
    return false;
  }

  /** Registers a base sandbox's checkpoint pages as dedup sources. */
  void registerBase(SandboxSpec spec, Path imageDir) throws SnapshotException;

  /** Removes a base's pages from the registry; dedup images still referencing it stay restorable only if the store keeps its pages. */
  void retireBase(SandboxSpec spec);

  /** Deletes everything kept for a snapshot. Idempotent. */
  void discard(StoredSnapshot snapshot);

  /** Releases what the store holds beyond its snapshots (threads, kept pages files). */
  @Override
  default void close() {}
}
