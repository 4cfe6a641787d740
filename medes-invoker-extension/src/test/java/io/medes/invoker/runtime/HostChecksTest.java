package io.medes.invoker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostChecksTest {
  @TempDir Path temp;

  @Test
  void kernelCacheDirectoryMustExist() {
    assertThat(HostChecks.criuKernelCacheProblem(temp.resolve("absent"))).hasValueSatisfying(why -> assertThat(why).contains("does not exist"));
  }

  @Test
  void kernelCacheDirectoryOffTmpfsIsAProblem() throws IOException {
    assumeFalse("tmpfs".equals(Files.getFileStore(temp).type()), "the JUnit temp dir is on a tmpfs here");
    assertThat(HostChecks.criuKernelCacheProblem(temp)).hasValueSatisfying(why -> assertThat(why).contains("only on a tmpfs"));
  }

  @Test
  void kernelCacheOnTmpfsIsUsableUnlessAStaleTempFileBlocksIt() throws IOException {
    Path shm = Path.of("/dev/shm");
    assumeTrue(Files.isDirectory(shm) && "tmpfs".equals(Files.getFileStore(shm).type()));
    Path dir = Files.createTempDirectory(shm, "kdat-test");
    try {
      assertThat(HostChecks.criuKernelCacheProblem(dir)).isEmpty();
      Files.writeString(dir.resolve("criu.kdat.tmp"), "");
      assertThat(HostChecks.criuKernelCacheProblem(dir)).hasValueSatisfying(why -> assertThat(why).contains("killed CRIU"));
      Files.writeString(dir.resolve("criu.kdat"), "cache");
      assertThat(HostChecks.criuKernelCacheProblem(dir)).isEmpty();
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) Files.delete(p);
      }
      Files.delete(dir);
    }
  }

  private static final List<Mounts.Mount> MOUNTS = Mounts.parse(List.of(
      "overlay / overlay rw,relatime 0 0",
      "shm /dev/shm tmpfs rw,nosuid,nodev 0 0",
      "medes-images /dev/shm/medes/checkpoints tmpfs rw,relatime,mode=700,huge=within_size 0 0",
      "plain /srv/plain tmpfs rw 0 0"));

  @Test
  void imageDirectoryIsJudgedByTheMountHoldingIt() {
    assertThat(HostChecks.imageDirectoryProblem(Path.of("/dev/shm/medes/checkpoints"), MOUNTS)).isEmpty();
    assertThat(HostChecks.imageDirectoryProblem(Path.of("/dev/shm/medes/checkpoints/sandbox-1"), MOUNTS)).isEmpty();
    assertThat(HostChecks.imageDirectoryProblem(Path.of("/dev/shm/medes/checkpoints2"), MOUNTS))
        .hasValueSatisfying(why -> assertThat(why).contains("without huge pages").contains("/dev/shm)"));
    assertThat(HostChecks.imageDirectoryProblem(Path.of("/srv/plain/x"), MOUNTS))
        .hasValueSatisfying(why -> assertThat(why).contains("without huge pages"));
    assertThat(HostChecks.imageDirectoryProblem(Path.of("/var/lib/medes"), MOUNTS))
        .hasValueSatisfying(why -> assertThat(why).contains("on overlay, not a tmpfs"));
  }
}
