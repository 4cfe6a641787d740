package io.medes.concurrent;

import java.util.concurrent.ThreadFactory;

/** Thread factories for worker pools that must never keep the JVM alive. */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** Daemon threads, all named {@code name} (they show up so in thread dumps and JFR recordings). */
  public static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
