package io.medes.invoker.runtime.runc;

import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerConfig;
import io.medes.invoker.runtime.SandboxRuntimeException;
import io.medes.invoker.runtime.docker.DockerEngine;
import io.medes.invoker.snapshot.PlainCriuSnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts each runtime image's root file system once, into {@code <cacheDir>/<image id>/}, from a
 * created (never started) container's export. Later sandboxes of the same image only mount an overlay on
 * it. Images are still built and stored by Docker; runc only borrows their files.
 */
final class RootfsCache {
  private static final Logger log = LoggerFactory.getLogger(RootfsCache.class);

  private final DockerEngine docker;
  private final Path cacheDir;
  private final Duration timeout;
  private final Map<String, ImageRootfs> byReference = new ConcurrentHashMap<>();

  RootfsCache(DockerEngine docker, Path cacheDir, Duration timeout) {
    this.docker = docker;
    this.cacheDir = cacheDir;
    this.timeout = timeout;
  }

  /** The unpacked image, extracting it on first use. */
  ImageRootfs get(String image) throws SandboxRuntimeException {
    ImageRootfs known = byReference.get(image);
    if (known != null) return known;
    synchronized (this) {
      known = byReference.get(image);
      if (known != null) return known;
      ImageRootfs unpacked = unpack(image);
      byReference.put(image, unpacked);
      return unpacked;
    }
  }

  private ImageRootfs unpack(String image) throws SandboxRuntimeException {
    InspectImageResponse inspect;
    try {
      inspect = docker.client().inspectImageCmd(image).exec();
    } catch (NotFoundException e) {
      throw new SandboxRuntimeException("runtime image " + image + " is not in the local Docker engine (build it with scripts/setup)", e);
    } catch (RuntimeException e) {
      throw new SandboxRuntimeException("cannot inspect runtime image " + image, e);
    }
    String id = inspect.getId().replaceFirst("^sha256:", "");
    ContainerConfig config = inspect.getConfig();
    List<String> args = new ArrayList<>();
    if (config != null && config.getEntrypoint() != null) args.addAll(Arrays.asList(config.getEntrypoint()));
    if (config != null && config.getCmd() != null) args.addAll(Arrays.asList(config.getCmd()));
    if (args.isEmpty()) {
      throw new SandboxRuntimeException("runtime image " + image + " has neither ENTRYPOINT nor CMD");
    }
    List<String> env = config != null && config.getEnv() != null ? List.of(config.getEnv()) : List.of();
    String cwd = config != null && config.getWorkingDir() != null && !config.getWorkingDir().isEmpty() ? config.getWorkingDir() : "/";

    Path target = cacheDir.resolve(id);
    if (!Files.isDirectory(target)) {
      extract(image, target);
    }
    return new ImageRootfs(id, target, List.copyOf(args), env, cwd);
  }

  private void extract(String image, Path target) throws SandboxRuntimeException {
    long t0 = System.nanoTime();
    Path partial = target.resolveSibling(target.getFileName() + ".partial-" + ProcessHandle.current().pid());
    PlainCriuSnapshotStore.deleteRecursively(partial);
    CreateContainerResponse created;
    try {
      Files.createDirectories(partial);
      created = docker.client().createContainerCmd(image).withLabels(Map.of("io.medes.rootfs-export", "true")).exec();
    } catch (IOException | RuntimeException e) {
      throw new SandboxRuntimeException("cannot prepare the export of image " + image, e);
    }
    try {
      docker.stream("/containers/" + created.getId() + "/export", body -> untar(body, partial), "export of " + image);
      try {
        Files.move(partial, target);
      } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
        // another invoker process extracted the same image meanwhile; use theirs
        PlainCriuSnapshotStore.deleteRecursively(partial);
      }
      log.info("extracted root file system of {} into {} in {} ms", image, target, (System.nanoTime() - t0) / 1_000_000);
    } catch (IOException e) {
      PlainCriuSnapshotStore.deleteRecursively(partial);
      throw new SandboxRuntimeException("cannot move extracted root file system into " + target, e);
    } catch (SandboxRuntimeException e) {
      PlainCriuSnapshotStore.deleteRecursively(partial);
      throw e;
    } finally {
      try {
        docker.client().removeContainerCmd(created.getId()).withForce(true).exec();
      } catch (RuntimeException e) {
        log.warn("cannot remove export container {} of {}", created.getId(), image, e);
      }
    }
  }

  private void untar(InputStream tar, Path into) throws IOException, SandboxRuntimeException {
    Process p = new ProcessBuilder("tar", "--numeric-owner", "-x", "-C", into.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    try (OutputStream in = p.getOutputStream()) {
      tar.transferTo(in);
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new SandboxRuntimeException("tar did not finish extracting into " + into + " within " + timeout);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new SandboxRuntimeException("interrupted while extracting into " + into, e);
    }
    if (p.exitValue() != 0) {
      throw new SandboxRuntimeException("tar failed (exit " + p.exitValue() + ") extracting into " + into);
    }
  }
}
