package io.medes.invoker.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Waits, before a sandbox is frozen, until its runtime has closed the connection of the request it just
 * answered.
 *
 * <p>The action runtime closes its end right after the response (HTTP/1.0, {@code Connection: close}),
 * but "right after" is a few interpreter steps after the invoker has read the whole response. Freezing
 * in between leaves an open, connected TCP socket in the sandbox: CRIU then dumps it, and the restore
 * fails with "Connected TCP socket in image". So pausing first waits (briefly) until no TCP socket
 * other than listeners is held open by a process of the sandbox's network namespace. Sockets in
 * TIME_WAIT belong to no process (inode 0) and do not count. A connection the action keeps on purpose
 * (a database client, say) never goes away; after {@code maxWait} the pause goes ahead, and a later
 * checkpoint of that sandbox fails and purges it, as it must.
 */
public final class OpenConnections {
  private static final String LISTEN = "0A";

  private OpenConnections() {}

  /** Returns true once no process-owned non-listening TCP socket exists; false if maxWait passed. */
  public static boolean awaitClosed(long pidInNamespace, Duration maxWait) {
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (true) {
      int open = count(pidInNamespace);
      if (open == 0) return true;
      if (System.nanoTime() > deadline) return false;
      try {
        Thread.sleep(0, 200_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** Process-owned TCP sockets that are not listening, in the network namespace of {@code pid}. */
  public static int count(long pid) {
    return count(Path.of("/proc", Long.toString(pid), "net"));
  }

  /** Process-owned non-listening TCP sockets listed in {@code netDir}'s {@code tcp} and {@code tcp6}. */
  static int count(Path netDir) {
    int open = 0;
    for (String table : List.of("tcp", "tcp6")) {
      Path file = netDir.resolve(table);
      try {
        List<String> lines = Files.readAllLines(file);
        for (int i = 1; i < lines.size(); i++) {
          // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
          String[] f = lines.get(i).trim().split("\\s+");
          if (f.length > 9 && !f[3].equals(LISTEN) && !f[9].equals("0")) open++;
        }
      } catch (NoSuchFileException e) {
        // no IPv6 table, or the process is gone: nothing of it to wait for
      } catch (IOException e) {
        return open;
      }
    }
    return open;
  }
}
