package io.medes.invoker.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The host's mount table as {@code /proc/self/mounts} gives it: one entry per mount, in mount order. */
public final class Mounts {
  private static final Path TABLE = Path.of("/proc/self/mounts");

  private Mounts() {}

  /** One mount: where, what file system type, with which options. */
  public record Mount(String point, String type, String options) {
    /** Whether {@code path} is this mount point or lies below it. */
    public boolean holds(String path) {
      return isAtOrBelow(path, point);
    }
  }

  /** Whether {@code path} is {@code directory} or lies below it (both absolute and normalised). */
  public static boolean isAtOrBelow(String path, String directory) {
    return path.equals(directory) || path.startsWith(directory.endsWith("/") ? directory : directory + "/");
  }

  /** The mounts of this process's mount namespace now. */
  public static List<Mount> current() throws IOException {
    return parse(Files.readAllLines(TABLE));
  }

  /** Parses lines in the format of {@code /proc/self/mounts}; malformed lines are skipped. */
  public static List<Mount> parse(List<String> lines) {
    List<Mount> mounts = new ArrayList<>();
    for (String line : lines) {
      String[] f = line.split(" ");
      if (f.length < 4) continue;
      mounts.add(new Mount(unescape(f[1]), f[2], f[3]));
    }
    return mounts;
  }

  /** The kernel writes space, tab, newline and backslash in mount points as octal escapes ({@code \040}). */
  private static String unescape(String field) {
    if (field.indexOf('\\') < 0) return field;
    StringBuilder out = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && isOctal(field, i + 1)) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) return false;
    for (int i = from; i < from + 3; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '7') return false;
    }
    return true;
  }
}
