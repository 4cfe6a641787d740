package io.medes.invoker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenConnectionsTest {
  private static final String TCP_HEADER =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

  @TempDir Path proc;

  private void process(long pid, String... socketInodes) throws Exception {
    Path fd = Files.createDirectories(proc.resolve(pid + "/fd"));
    Files.createSymbolicLink(fd.resolve("0"), Path.of("/dev/null"));
    for (int i = 0; i < socketInodes.length; i++) {
      Files.createSymbolicLink(fd.resolve(Integer.toString(3 + i)), Path.of("socket:[" + socketInodes[i] + "]"));
    }
  }

  private void tables(long pid) throws Exception {
    Path net = Files.createDirectories(proc.resolve(pid + "/net"));
    Files.writeString(net.resolve("tcp"), TCP_HEADER
        // listener on 0.0.0.0:8080
        + "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0000 100 0 0 10 0\n"
        // established, owned by inode 1002
        + "   1: 024D4D0A:1F90 014D4D0A:B1A4 01 00000000:00000000 00:00000000 00000000     0        0 1002 1 0000 20 4 30 10 -1\n");
    Files.writeString(net.resolve("unix"), "Num       RefCount Protocol Flags    Type St Inode Path\n"
        + "0000000000000000: 00000002 00000000 00000000 0001 01 1003\n");
  }

  @Test
  void listenersAndUnixSocketsAreIdleEverythingElseIsAnOpenConnection() throws Exception {
    tables(10);
    process(10, "1001", "1003");
    assertThat(OpenConnections.count(proc, List.of(10L))).isZero();

    process(11, "1002");
    assertThat(OpenConnections.count(proc, List.of(10L, 11L))).as("established").isEqualTo(1);

    // A socket in state CLOSE is not listed in /proc/net/tcp at all, yet still held open.
    process(12, "1004");
    assertThat(OpenConnections.count(proc, List.of(10L, 12L))).as("closed but open").isEqualTo(1);
  }

  @Test
  void vanishedProcessesHoldNothing() {
    assertThat(OpenConnections.count(proc, List.of(99L))).isZero();
    assertThat(OpenConnections.count(proc, List.of())).isZero();
  }
}
