package io.medes.invoker.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures the memory of a sandbox's processes: RSS and PSS from {@code /proc/<pid>/smaps_rollup},
 * summed over every process in the cgroup of the sandbox's root process. Works for running and
 * frozen (paused) processes alike.
 */
public final class ProcessMemory {
  private final Path proc;
  private final Path cgroupRoot;

  public ProcessMemory() {
    this(Path.of("/proc"), Path.of("/sys/fs/cgroup"));
  }

  ProcessMemory(Path proc, Path cgroupRoot) {
    this.proc = proc;
    this.cgroupRoot = cgroupRoot;
  }

  /** RSS and PSS of every process sharing {@code rootPid}'s memory cgroup (state bytes 0). */
  public MemoryUsage ofSandbox(long rootPid) throws SandboxRuntimeException {
    List<Long> pids = cgroupProcesses(rootPid);
    long rss = 0;
    long pss = 0;
    for (long pid : pids) {
      long[] rp = rollup(pid);
      rss += rp[0];
      pss += rp[1];
    }
    if (rss == 0) {
      throw new SandboxRuntimeException("no resident memory found for sandbox process " + rootPid + " (processes " + pids + ")");
    }
    return new MemoryUsage(rss, pss, 0);
  }

  /** The processes of {@code pid}'s memory cgroup (cgroup v1 memory controller, or the v2 group). */
  public List<Long> cgroupProcesses(long pid) throws SandboxRuntimeException {
    Path procs = cgroupDir(pid).resolve("cgroup.procs");
    try {
      List<Long> pids = new ArrayList<>();
      for (String line : Files.readAllLines(procs)) {
        if (!line.isBlank()) pids.add(Long.parseLong(line.trim()));
      }
      return pids;
    } catch (IOException e) {
      throw new SandboxRuntimeException("cannot list the processes of " + procs, e);
    }
  }

  /** The cgroup directory holding {@code pid}: the v1 memory controller's, else the unified one. */
  public Path cgroupDir(long pid) throws SandboxRuntimeException {
    Path file = proc.resolve(Long.toString(pid)).resolve("cgroup");
    String unified = null;
    try {
      for (String line : Files.readAllLines(file)) {
        String[] f = line.split(":", 3);
        if (f.length != 3) continue;
        if (List.of(f[1].split(",")).contains("memory")) {
          return cgroupRoot.resolve("memory").resolve(stripSlash(f[2]));
        }
        if (f[0].equals("0") && f[1].isEmpty()) unified = f[2];
      }
    } catch (NoSuchFileException e) {
      throw new SandboxRuntimeException("sandbox process " + pid + " does not exist", e);
    } catch (IOException e) {
      throw new SandboxRuntimeException("cannot read " + file, e);
    }
    if (unified == null) {
      throw new SandboxRuntimeException("process " + pid + " is in no memory cgroup (" + file + ")");
    }
    Path v2 = cgroupRoot.resolve(stripSlash(unified));
    return Files.isDirectory(v2) ? v2 : cgroupRoot.resolve("unified").resolve(stripSlash(unified));
  }

  /** {RSS, PSS} in bytes of one process; zeros if it exited meanwhile. */
  long[] rollup(long pid) throws SandboxRuntimeException {
    Path file = proc.resolve(Long.toString(pid)).resolve("smaps_rollup");
    try {
      long rss = 0;
      long pss = 0;
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith("Rss:")) rss = kilobytes(line);
        else if (line.startsWith("Pss:")) pss = kilobytes(line);
      }
      return new long[] {rss, pss};
    } catch (NoSuchFileException e) {
      return new long[] {0, 0};
    } catch (IOException e) {
      throw new SandboxRuntimeException("cannot read " + file, e);
    }
  }

  private static long kilobytes(String line) {
    // "Rss:               51232 kB"
    String[] f = line.trim().split("\\s+");
    return Long.parseLong(f[1]) * 1024;
  }

  private static String stripSlash(String p) {
    return p.startsWith("/") ? p.substring(1) : p;
  }
}
