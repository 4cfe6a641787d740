package io.medes.invoker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessMemoryTest {
  @TempDir Path dir;

  private void process(long pid, String cgroupLine, long rssKb, long pssKb) throws Exception {
    Path p = Files.createDirectories(dir.resolve("proc").resolve(Long.toString(pid)));
    Files.writeString(p.resolve("cgroup"), "12:pids:/medes/s1\n" + cgroupLine + "\n1:name=systemd:/medes/s1\n");
    Files.writeString(p.resolve("smaps_rollup"), "00400000-7ffc [rollup]\nRss:  " + rssKb + " kB\nPss:  " + pssKb
        + " kB\nPss_Anon:  1 kB\nShared_Clean: 0 kB\n");
  }

  @Test
  void sumsRssAndPssOverTheMemoryCgroupsProcesses() throws Exception {
    process(100, "4:memory:/medes/s1", 51232, 51228);
    process(101, "4:memory:/medes/s1", 1000, 500);
    Path cg = Files.createDirectories(dir.resolve("cgroup/memory/medes/s1"));
    Files.writeString(cg.resolve("cgroup.procs"), "100\n101\n102\n");
    ProcessMemory m = new ProcessMemory(dir.resolve("proc"), dir.resolve("cgroup"));

    MemoryUsage u = m.ofSandbox(100);
    assertThat(u.rssBytes()).isEqualTo((51232L + 1000) * 1024);
    assertThat(u.pssBytes()).isEqualTo((51228L + 500) * 1024);
    assertThat(u.stateBytes()).isZero();
  }

  @Test
  void unifiedHierarchyIsUsedWithoutAV1MemoryController() throws Exception {
    Path p = Files.createDirectories(dir.resolve("proc/7"));
    Files.writeString(p.resolve("cgroup"), "0::/medes/s2\n");
    Files.createDirectories(dir.resolve("cgroup/medes/s2"));
    assertThat(new ProcessMemory(dir.resolve("proc"), dir.resolve("cgroup")).cgroupDir(7)).isEqualTo(dir.resolve("cgroup/medes/s2"));
  }

  @Test
  void aVanishedSandboxIsReportedNotZero() {
    ProcessMemory m = new ProcessMemory(dir.resolve("proc"), dir.resolve("cgroup"));
    assertThatThrownBy(() -> m.ofSandbox(424242)).isInstanceOf(SandboxRuntimeException.class).hasMessageContaining("424242");
  }
}
