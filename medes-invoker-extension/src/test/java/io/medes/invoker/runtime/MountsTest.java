package io.medes.invoker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MountsTest {
  @Test
  void linesAreParsedWithTheKernelsEscapesUndoneAndMalformedOnesSkipped() {
    List<Mounts.Mount> mounts = Mounts.parse(List.of(
        "tmpfs /dev/shm tmpfs rw,relatime 0 0",
        "none /mnt/with\\040space\\134x ext4 rw 0 0",
        "garbage"));
    assertThat(mounts).containsExactly(
        new Mounts.Mount("/dev/shm", "tmpfs", "rw,relatime"),
        new Mounts.Mount("/mnt/with space\\x", "ext4", "rw"));
  }

  @Test
  void aMountHoldsItsPointAndWhatLiesBelowOnly() {
    Mounts.Mount shm = new Mounts.Mount("/dev/shm", "tmpfs", "rw");
    assertThat(shm.holds("/dev/shm")).isTrue();
    assertThat(shm.holds("/dev/shm/medes")).isTrue();
    assertThat(shm.holds("/dev/shm2")).isFalse();
    assertThat(new Mounts.Mount("/", "ext4", "rw").holds("/anything")).isTrue();
  }

  @Test
  void theMountTableOfThisProcessHasARoot() throws Exception {
    assertThat(Mounts.current()).anyMatch(m -> m.point().equals("/"));
  }
}
