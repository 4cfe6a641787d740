package io.medes.invoker.runtime.runc;

import io.medes.invoker.runtime.SandboxRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Pauses and resumes a sandbox by writing its freezer cgroup directly, which is all {@code runc pause}
 * does, minus starting a Go binary (about 15 ms per call here; a write is microseconds). runc reads the
 * freezer state from the cgroup, so {@code runc state}/{@code checkpoint} stay consistent.
 */
final class CgroupFreezer {
  private final Path cgroupRoot;
  private final Duration timeout;

  CgroupFreezer(Path cgroupRoot, Duration timeout) {
    this.cgroupRoot = cgroupRoot;
    this.timeout = timeout;
  }

  void freeze(String cgroupsPath) throws SandboxRuntimeException {
    set(cgroupsPath, true);
  }

  void thaw(String cgroupsPath) throws SandboxRuntimeException {
    set(cgroupsPath, false);
  }

  boolean isFrozen(String cgroupsPath) throws SandboxRuntimeException {
    try {
      Path v1 = v1(cgroupsPath);
      if (Files.isDirectory(v1)) return Files.readString(v1.resolve("freezer.state")).trim().equals("FROZEN");
      return Files.readString(v2(cgroupsPath).resolve("cgroup.events")).contains("frozen 1");
    } catch (IOException e) {
      throw new SandboxRuntimeException("cannot read the freezer state of cgroup " + cgroupsPath, e);
    }
  }

  private void set(String cgroupsPath, boolean frozen) throws SandboxRuntimeException {
    Path v1 = v1(cgroupsPath);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (Files.isDirectory(v1)) {
        Path state = v1.resolve("freezer.state");
        String want = frozen ? "FROZEN" : "THAWED";
        // Like runc: FREEZING may persist while a task sits in an uninterruptible sleep; keep writing.
        while (true) {
          Files.writeString(state, want);
          if (Files.readString(state).trim().equals(want)) return;
          if (System.nanoTime() > deadline) break;
          Thread.sleep(1);
        }
      } else {
        Path dir = v2(cgroupsPath);
        Files.writeString(dir.resolve("cgroup.freeze"), frozen ? "1" : "0");
        while (true) {
          boolean isFrozen = Files.readString(dir.resolve("cgroup.events")).contains("frozen 1");
          if (isFrozen == frozen) return;
          if (System.nanoTime() > deadline) break;
          Thread.sleep(1);
        }
      }
    } catch (IOException e) {
      throw new SandboxRuntimeException("cannot " + (frozen ? "freeze" : "thaw") + " cgroup " + cgroupsPath, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxRuntimeException("interrupted while " + (frozen ? "freezing" : "thawing") + " cgroup " + cgroupsPath, e);
    }
    throw new SandboxRuntimeException("cgroup " + cgroupsPath + " did not become " + (frozen ? "frozen" : "thawed") + " within " + timeout);
  }

  private Path v1(String cgroupsPath) {
    return cgroupRoot.resolve("freezer").resolve(strip(cgroupsPath));
  }

  private Path v2(String cgroupsPath) {
    return cgroupRoot.resolve(strip(cgroupsPath));
  }

  private static String strip(String p) {
    return p.startsWith("/") ? p.substring(1) : p;
  }
}
