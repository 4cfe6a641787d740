package io.medes.invoker.snapshot;

import java.nio.file.Path;

/**
 * A sandbox's checkpoint as a {@link SnapshotStore} keeps it.
 *
 * @param imageDir the CRIU image directory (without pages while stored deduplicated)
 * @param stateDir where the store keeps its own files for this snapshot (may equal imageDir)
 * @param stateBytes bytes the stored snapshot occupies (image metadata + dedup image)
 */
public record StoredSnapshot(Path imageDir, Path stateDir, long stateBytes) {}
