package io.medes.simulator.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One Azure Functions 2019 sample: per function, its id, invocations per minute over a day, allocated
 * memory and execution-time percentiles. Reads the three CSV files of a sample ({@code N_inv.csv},
 * {@code N_run.csv}, {@code N_mem.csv}) and checks that their rows describe the same functions.
 */
public final class AzureTrace {
  /** Percentile levels of the {@code percentile_Average_*} columns of {@code _run.csv}. */
  static final double[] DURATION_LEVELS = {0, 1, 25, 50, 75, 99, 100};
  /** Sizes of the embedded sample (its first N rows are the published N-function samples). */
  public static final int EMBEDDED_FUNCTIONS = 1000;
  private static final String EMBEDDED_DIR = "/azure2019/";

  private final String name;
  private final String[] functionIds;
  private final int minutes;
  private final int[] invocations;
  private final int[] memoryMb;
  private final double[] durationPercentiles;

  private AzureTrace(String name, String[] ids, int minutes, int[] invocations, int[] memoryMb, double[] durations) {
    this.name = name;
    this.functionIds = ids;
    this.minutes = minutes;
    this.invocations = invocations;
    this.memoryMb = memoryMb;
    this.durationPercentiles = durations;
  }

  /** The first {@code functions} rows of the embedded 1000-function sample. */
  public static AzureTrace embedded(int functions) {
    if (functions < 1 || functions > EMBEDDED_FUNCTIONS) {
      throw new TraceFormatException("the embedded sample has 1 to " + EMBEDDED_FUNCTIONS + " functions, asked for " + functions);
    }
    return read(String.valueOf(functions), functions, kind -> {
      String resource = EMBEDDED_DIR + EMBEDDED_FUNCTIONS + "_" + kind + ".csv";
      InputStream in = AzureTrace.class.getResourceAsStream(resource);
      if (in == null) {
        throw new TraceFormatException("embedded trace resource " + resource + " is missing from the classpath");
      }
      return new Source("classpath:" + resource, new InputStreamReader(in, StandardCharsets.UTF_8));
    });
  }

  /**
   * The sample {@code <dir>/<prefix>_{inv,run,mem}.csv}, e.g. prefix {@code 200}; {@code functions} rows
   * (or all rows if 0).
   */
  public static AzureTrace fromDirectory(Path dir, String prefix, int functions) {
    return read(prefix, functions <= 0 ? Integer.MAX_VALUE : functions, kind -> {
      Path p = dir.resolve(prefix + "_" + kind + ".csv");
      try {
        return new Source(p.toString(), Files.newBufferedReader(p, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new TraceFormatException("cannot read trace file " + p + ": " + e.getMessage(), e);
      }
    });
  }

  private interface Opener {
    Source open(String kind);
  }

  private static final class Source {
    final String where;
    final Reader reader;

    Source(String where, Reader reader) {
      this.where = where;
      this.reader = reader;
    }
  }

  private static AzureTrace read(String name, int limit, Opener opener) {
    List<String[]> inv = rows(opener.open("inv"), limit, -1);
    if (inv.isEmpty()) {
      throw new TraceFormatException("trace " + name + " has no functions");
    }
    int minutes = inv.get(0).length - 3;
    if (minutes < 1) {
      throw new TraceFormatException("trace " + name + " _inv.csv has no minute columns");
    }
    int n = inv.size();
    List<String[]> run = rows(opener.open("run"), n, 14);
    List<String[]> mem = rows(opener.open("mem"), n, 12);
    if (run.size() != n || mem.size() != n) {
      throw new TraceFormatException("trace " + name + ": _inv has " + n + " rows but _run has " + run.size()
          + " and _mem " + mem.size());
    }
    String[] ids = new String[n];
    int[] counts = new int[n * minutes];
    int[] memory = new int[n];
    double[] durations = new double[n * DURATION_LEVELS.length];
    for (int f = 0; f < n; f++) {
      String[] i = inv.get(f);
      String where = name + "_inv.csv row " + (f + 1);
      if (i.length != minutes + 3) {
        throw new TraceFormatException(where + ": expected " + (minutes + 3) + " columns, got " + i.length);
      }
      ids[f] = i[0];
      for (int m = 0; m < minutes; m++) {
        counts[f * minutes + m] = nonNegativeInt(i[m + 3], where + " minute " + (m + 1));
      }
      String[] r = run.get(f);
      if (!r[2].equals(ids[f])) {
        throw new TraceFormatException(name + "_run.csv row " + (f + 1) + ": function " + r[2]
            + " does not match _inv's " + ids[f]);
      }
      for (int k = 0; k < DURATION_LEVELS.length; k++) {
        durations[f * DURATION_LEVELS.length + k] = nonNegative(r[7 + k], name + "_run.csv row " + (f + 1) + " column " + (8 + k));
      }
      String[] mm = mem.get(f);
      if (!mm[1].equals(i[2])) {
        throw new TraceFormatException(name + "_mem.csv row " + (f + 1) + ": app " + mm[1] + " does not match _inv's " + i[2]);
      }
      memory[f] = (int) Math.round(nonNegative(mm[3], name + "_mem.csv row " + (f + 1) + " AverageAllocatedMb"));
      if (memory[f] <= 0) {
        throw new TraceFormatException(name + "_mem.csv row " + (f + 1) + ": AverageAllocatedMb must be > 0");
      }
    }
    return new AzureTrace(name, ids, minutes, counts, memory, durations);
  }

  private static List<String[]> rows(Source source, int limit, int expectedColumns) {
    List<String[]> out = new ArrayList<>();
    try (BufferedReader br = new BufferedReader(source.reader)) {
      String header = br.readLine();
      if (header == null) {
        throw new TraceFormatException(source.where + " is empty");
      }
      String line;
      int lineNo = 1;
      while (out.size() < limit && (line = br.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] cols = line.split(",", -1);
        if (expectedColumns > 0 && cols.length != expectedColumns) {
          throw new TraceFormatException(source.where + " line " + lineNo + ": expected " + expectedColumns
              + " columns, got " + cols.length);
        }
        out.add(cols);
      }
    } catch (IOException e) {
      throw new TraceFormatException("cannot read " + source.where + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static int nonNegativeInt(String s, String where) {
    try {
      int v = Integer.parseInt(s.trim());
      if (v < 0) {
        throw new TraceFormatException(where + ": negative count " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new TraceFormatException(where + ": not an integer: '" + s + "'");
    }
  }

  private static double nonNegative(String s, String where) {
    try {
      double v = Double.parseDouble(s.trim());
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new TraceFormatException(where + ": expected a non-negative number, got " + s);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new TraceFormatException(where + ": not a number: '" + s + "'");
    }
  }

  /** The sample's name (its function count or file prefix). */
  public String name() {
    return name;
  }

  public int functions() {
    return functionIds.length;
  }

  /** Number of minute columns (1440 for a day). */
  public int minutes() {
    return minutes;
  }

  public String functionId(int function) {
    return functionIds[function];
  }

  public int invocations(int function, int minute) {
    return invocations[function * minutes + minute];
  }

  /** Total invocations in the first {@code minutes} minutes. */
  public long totalInvocations(int minutes) {
    long sum = 0;
    for (int f = 0; f < functions(); f++) {
      for (int m = 0; m < minutes; m++) {
        sum += invocations[f * this.minutes + m];
      }
    }
    return sum;
  }

  /** The function's average allocated memory, MB. */
  public int memoryMb(int function) {
    return memoryMb[function];
  }

  /**
   * An execution time for {@code function} at quantile {@code u} in [0, 1): piecewise-linear between the
   * trace's percentile points (0, 1, 25, 50, 75, 99, 100), ms.
   */
  public double durationAt(int function, double u) {
    double level = u * 100.0;
    int base = function * DURATION_LEVELS.length;
    for (int k = 1; k < DURATION_LEVELS.length; k++) {
      if (level <= DURATION_LEVELS[k]) {
        double lo = durationPercentiles[base + k - 1];
        double hi = durationPercentiles[base + k];
        double t = (level - DURATION_LEVELS[k - 1]) / (DURATION_LEVELS[k] - DURATION_LEVELS[k - 1]);
        return lo + t * (hi - lo);
      }
    }
    return durationPercentiles[base + DURATION_LEVELS.length - 1];
  }
}
