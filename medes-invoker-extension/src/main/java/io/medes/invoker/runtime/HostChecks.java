package io.medes.invoker.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code scripts/setup} prepares on a host so that checkpoints and restores are fast, checked once
 * when a backend starts: missing pieces cost time, not correctness, so they are logged, not fatal.
 * <ul>
 *   <li>CRIU's kernel-feature cache ({@code criu.kdat}): without it a dump or restore spends 45-65 ms
 *       re-probing the kernel. CRIU keeps it only on a tmpfs, in the run directory it was built with;
 *       ours is built with {@value #CRIU_RUN_DIRECTORY} ({@code scripts/lib/criu.sh}).
 *   <li>The checkpoint root on a tmpfs with huge pages ({@code huge=within_size}): rebuilding a pages
 *       image there is faster and deleting one nearly free ({@code scripts/lib/tmpfs.sh}).
 * </ul>
 */
public final class HostChecks {
  private static final Logger log = LoggerFactory.getLogger(HostChecks.class);
  static final String CRIU_RUN_DIRECTORY = "/run/criu";
  private static final AtomicBoolean checked = new AtomicBoolean();

  private HostChecks() {}

  /** Why CRIU cannot use its kernel-feature cache in {@code directory}, or empty when it can. */
  public static Optional<String> criuKernelCacheProblem(Path directory) {
    if (!Files.isDirectory(directory)) {
      return Optional.of(directory + " does not exist");
    }
    Optional<String> notTmpfs = notTmpfs(directory);
    if (notTmpfs.isPresent()) return notTmpfs.map(why -> why + ", and CRIU keeps its cache only on a tmpfs");
    Path stale = directory.resolve("criu.kdat.tmp");
    if (!Files.exists(directory.resolve("criu.kdat")) && Files.exists(stale)) {
      return Optional.of(stale + " is left from a killed CRIU, so CRIU never writes the cache");
    }
    return Optional.empty();
  }

  /**
   * Why checkpoint images under {@code directory} are slower than they need to be, or empty. The mount
   * holding the directory is the one with the longest mount point above it.
   */
  public static Optional<String> imageDirectoryProblem(Path directory, List<Mounts.Mount> mounts) {
    String path = directory.toAbsolutePath().normalize().toString();
    Mounts.Mount holder = null;
    for (Mounts.Mount m : mounts) {
      if (m.holds(path) && (holder == null || m.point().length() >= holder.point().length())) holder = m;
    }
    if (holder == null || !"tmpfs".equals(holder.type())) {
      return Optional.of(directory + " is on " + (holder == null ? "an unknown file system" : holder.type()) + ", not a tmpfs");
    }
    if (!holder.options().contains("huge=within_size") && !holder.options().contains("huge=always")) {
      return Optional.of(directory + " is on a tmpfs (" + holder.point() + ") without huge pages");
    }
    return Optional.empty();
  }

  /** Logs, once per JVM, what on this host makes every checkpoint and restore slower. */
  public static void warnOnce(InvokerSettings settings) {
    if (!checked.compareAndSet(false, true)) return;
    criuKernelCacheProblem(Path.of(CRIU_RUN_DIRECTORY)).ifPresent(why -> log.warn(
        "CRIU cannot cache its kernel probes ({}): every checkpoint and restore pays about 50 ms more; "
            + "scripts/setup prepares {}", why, CRIU_RUN_DIRECTORY));
    List<Mounts.Mount> mounts;
    try {
      mounts = Mounts.current();
    } catch (IOException e) {
      log.warn("cannot read /proc/self/mounts to check the checkpoint root: {}", e.toString());
      return;
    }
    imageDirectoryProblem(settings.checkpointRoot(), mounts).ifPresent(why -> log.warn(
        "checkpoint images are slower to write and delete than they need to be: {}; scripts/setup mounts a tmpfs "
            + "with huge=within_size there", why));
  }

  private static Optional<String> notTmpfs(Path directory) {
    try {
      String type = Files.getFileStore(directory).type();
      return "tmpfs".equals(type) ? Optional.empty() : Optional.of(directory + " is on " + type);
    } catch (IOException e) {
      return Optional.of("cannot tell the file system of " + directory + ": " + e.getMessage());
    }
  }
}
