package io.medes.invoker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenConnectionsTest {
  private static final String HEADER =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

  @TempDir Path net;

  @Test
  void countsOnlyProcessOwnedNonListeningSockets() throws Exception {
    Files.writeString(net.resolve("tcp"), HEADER
        // listener on 0.0.0.0:8080 (owned, but listening)
        + "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 238110 1 0000 100 0 0 10 0\n"
        // TIME_WAIT, no owner (inode 0)
        + "   1: 024D4D0A:1F90 014D4D0A:B1A2 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000\n"
        // established, owned: the connection of the request just answered
        + "   2: 024D4D0A:1F90 014D4D0A:B1A4 01 00000000:00000000 00:00000000 00000000     0        0 238999 1 0000 20 4 30 10 -1\n");
    assertThat(OpenConnections.count(net)).isEqualTo(1);
  }

  @Test
  void noTablesMeansNothingToWaitFor() {
    assertThat(OpenConnections.count(net.resolve("missing"))).isZero();
  }
}
