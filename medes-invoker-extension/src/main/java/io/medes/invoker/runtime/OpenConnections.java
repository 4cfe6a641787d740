package io.medes.invoker.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Waits, before a sandbox is frozen, until its runtime has closed the connection of the request it just
 * answered.
 *
 * <p>The action runtime closes its end right after the response (HTTP/1.0, {@code Connection: close}),
 * but "right after" is a few interpreter steps after the invoker has read the whole response, and on a
 * loaded machine the runtime can be descheduled in between. Freezing then leaves a connected TCP socket
 * (often already in state CLOSE, which {@code /proc/net/tcp} does not even list) open in the sandbox:
 * CRIU dumps it, and the restore fails with "Connected TCP socket in image". So a pause first waits
 * (briefly) until every socket a process of the sandbox holds is a TCP listener or a non-TCP socket.
 * A connection the action keeps on purpose (a database client, say) never goes away; after
 * {@code maxWait} the pause goes ahead, and a later checkpoint of that sandbox fails and purges it, as
 * it must.
 */
public final class OpenConnections {
  private static final String LISTEN = "0A";

  private OpenConnections() {}

  /** Returns true once no process of the sandbox holds a TCP connection; false if maxWait passed. */
  public static boolean awaitClosed(List<Long> pids, Duration maxWait) {
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (true) {
      if (count(Path.of("/proc"), pids) == 0) return true;
      if (System.nanoTime() > deadline) return false;
      try {
        Thread.sleep(0, 200_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /**
   * Sockets held by the given processes that are neither TCP listeners nor non-TCP sockets of their
   * network namespace: TCP connections in any state, including CLOSE.
   */
  static int count(Path proc, List<Long> pids) {
    if (pids.isEmpty()) return 0;
    Path net = proc.resolve(Long.toString(pids.get(0))).resolve("net");
    Set<String> benign = new HashSet<>();
    for (String table : List.of("tcp", "tcp6")) collectInodes(net.resolve(table), 9, true, benign);
    for (String table : List.of("udp", "udp6", "raw", "raw6")) collectInodes(net.resolve(table), 9, false, benign);
    collectInodes(net.resolve("unix"), 6, false, benign);
    collectLastColumn(net.resolve("netlink"), benign);
    collectLastColumn(net.resolve("packet"), benign);
    int open = 0;
    for (long pid : pids) {
      try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve(Long.toString(pid)).resolve("fd"))) {
        for (Path fd : fds) {
          String target;
          try {
            target = Files.readSymbolicLink(fd).toString();
          } catch (IOException e) {
            continue; // closed meanwhile
          }
          if (target.startsWith("socket:[") && !benign.contains(target.substring(8, target.length() - 1))) open++;
        }
      } catch (IOException e) {
        // process gone: nothing of it to wait for
      }
    }
    return open;
  }

  private static void collectInodes(Path table, int column, boolean listenersOnly, Set<String> into) {
    try {
      List<String> lines = Files.readAllLines(table);
      for (int i = 1; i < lines.size(); i++) {
        String[] f = lines.get(i).trim().split("\\s+");
        if (f.length <= column) continue;
        if (listenersOnly && !f[3].equals(LISTEN)) continue;
        into.add(f[column]);
      }
    } catch (IOException e) {
      // table absent (no IPv6): nothing to collect
    }
  }

  private static void collectLastColumn(Path table, Set<String> into) {
    try {
      List<String> lines = Files.readAllLines(table);
      for (int i = 1; i < lines.size(); i++) {
        String[] f = lines.get(i).trim().split("\\s+");
        if (f.length > 1) into.add(f[f.length - 1]);
      }
    } catch (IOException e) {
      // table absent
    }
  }
}
