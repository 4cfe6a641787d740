package io.medes.invoker.runtime.runc;

import java.nio.file.Path;
import java.util.List;

/**
 * A runtime image unpacked for runc: its root file system (shared, read-only lower layer of every
 * sandbox's overlay) and the process the image runs.
 *
 * @param imageId the image's content id (sha256 hex)
 * @param rootfs the extracted root file system
 * @param args the image's entrypoint + command
 * @param env the image's environment ({@code NAME=value})
 * @param workingDir the image's working directory
 */
record ImageRootfs(String imageId, Path rootfs, List<String> args, List<String> env, String workingDir) {}
