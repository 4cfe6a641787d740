package io.medes.invoker.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.medes.invoker.runtime.Mounts;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which mounts the Docker backend takes for a killed CRIU's cgroup yard (lines as in /proc/self/mounts). */
class CriuCgroupYardsTest {
  private static final String ID = "ccfd48fd39427e301626669819d078d96f21716d760ead2caf4e90c19e40c705";
  private static final String TASK = "/var/lib/docker/containerd/daemon/io.containerd.runtime.v2.task/moby/" + ID;

  @Test
  void theYardOfTheContainerIsFoundButNotTheControllersUnderItNorOtherMounts() {
    List<String> mounts = List.of(
        "tmpfs /dev/shm tmpfs rw,relatime 0 0",
        "none " + TASK + "/.criu.cgyard.HN9sMJ tmpfs rw,relatime 0 0",
        "none " + TASK + "/.criu.cgyard.HN9sMJ/pids cgroup rw,relatime,pids 0 0",
        "none " + TASK + "/.criu.cgyard.HN9sMJ/unified cgroup2 rw,relatime 0 0",
        "none /var/lib/docker/containerd/daemon/io.containerd.runtime.v2.task/moby/8c6b9034b4bf/.criu.cgyard.xzyS5g tmpfs rw 0 0",
        "overlay " + TASK + "/rootfs overlay rw 0 0");
    assertThat(DockerSandboxRuntime.criuCgroupYards(Mounts.parse(mounts), ID)).containsExactly(TASK + "/.criu.cgyard.HN9sMJ");
  }

  @Test
  void aNameOrAShortIdMatchesNothing() {
    List<String> mounts = List.of("none " + TASK + "/.criu.cgyard.HN9sMJ tmpfs rw,relatime 0 0");
    assertThat(DockerSandboxRuntime.criuCgroupYards(Mounts.parse(mounts), "ccfd")).isEmpty();
    assertThat(DockerSandboxRuntime.criuCgroupYards(Mounts.parse(mounts), "medes-sandbox-1")).isEmpty();
    assertThat(DockerSandboxRuntime.criuCgroupYards(Mounts.parse(mounts), null)).isEmpty();
  }
}
