package io.medes.simulator.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cost profiles of the sample actions, read from a CSV file:
 *
 * <pre>
 * # comment lines start with '#'
 * action,cold_ms,warm_ms,dedup_ms,dedup_remote_ms,warm_mem_mb,dedup_mem_mb,exec_ms
 * vanilla,2300,15,300,400,17,1.7,150
 * </pre>
 *
 * Columns may come in any order (the header names them); these eight are required, and an optional
 * {@code checkpoint_ms} gives the measured time to checkpoint and deduplicate a warm sandbox of the
 * action (without it, {@link CheckpointModel} estimates it). Checks: latencies
 * non-negative with warm ≤ dedup ≤ dedup_remote, memory positive with dedup ≤ warm, action names unique.
 * {@code medes bench starts} writes this format; the shipped defaults are {@link #defaults()}.
 */
public final class CostProfile {
  /** The header columns, in the shipped order. */
  public static final List<String> COLUMNS = Collections.unmodifiableList(Arrays.asList(
      "action", "cold_ms", "warm_ms", "dedup_ms", "dedup_remote_ms", "warm_mem_mb", "dedup_mem_mb", "exec_ms"));
  /** Optional columns (may be absent from the header). */
  public static final List<String> OPTIONAL_COLUMNS = Collections.unmodifiableList(Arrays.asList("checkpoint_ms"));
  private static final String DEFAULT_RESOURCE = "/default-profile.csv";

  private final String source;
  private final List<ActionProfile> actions;

  private CostProfile(String source, List<ActionProfile> actions) {
    this.source = source;
    this.actions = Collections.unmodifiableList(actions);
  }

  /** The shipped defaults ({@code default-profile.csv}: paper and original-prototype numbers, see its comments). */
  public static CostProfile defaults() {
    InputStream in = CostProfile.class.getResourceAsStream(DEFAULT_RESOURCE);
    if (in == null) {
      throw new ProfileFormatException("default profile " + DEFAULT_RESOURCE + " missing from the classpath");
    }
    return read("classpath:" + DEFAULT_RESOURCE, new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /** A profile file, e.g. one written by {@code medes bench starts}. */
  public static CostProfile fromFile(Path file) {
    try {
      return read(file.toString(), Files.newBufferedReader(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ProfileFormatException("cannot read cost profile " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses a profile from a reader; {@code source} names it in errors. */
  public static CostProfile read(String source, Reader reader) {
    List<ActionProfile> actions = new ArrayList<>();
    int[] column = null;
    int width = 0;
    Set<String> seen = new HashSet<>();
    try (BufferedReader br = new BufferedReader(reader)) {
      String line;
      int lineNo = 0;
      while ((line = br.readLine()) != null) {
        lineNo++;
        String trimmed = line.trim();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        String[] cells = trimmed.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
          cells[i] = cells[i].trim();
        }
        String where = source + " line " + lineNo;
        if (column == null) {
          column = header(cells, where);
          width = cells.length;
          continue;
        }
        if (cells.length != width) {
          throw new ProfileFormatException(where + ": expected " + width + " cells, got " + cells.length);
        }
        String name = cells[column[0]];
        if (name.isEmpty() || !seen.add(name)) {
          throw new ProfileFormatException(where + ": action name '" + name + "' is empty or repeated");
        }
        int cold = intCell(cells[column[1]], where, "cold_ms");
        int warm = intCell(cells[column[2]], where, "warm_ms");
        int dedup = intCell(cells[column[3]], where, "dedup_ms");
        int remote = intCell(cells[column[4]], where, "dedup_remote_ms");
        double warmMem = doubleCell(cells[column[5]], where, "warm_mem_mb");
        double dedupMem = doubleCell(cells[column[6]], where, "dedup_mem_mb");
        int exec = intCell(cells[column[7]], where, "exec_ms");
        int checkpoint = column[8] < 0 ? -1 : intCell(cells[column[8]], where, "checkpoint_ms");
        if (!(warm <= dedup && dedup <= remote)) {
          throw new ProfileFormatException(where + ": need warm_ms <= dedup_ms <= dedup_remote_ms, got "
              + warm + ", " + dedup + ", " + remote);
        }
        if (warmMem <= 0 || dedupMem > warmMem) {
          throw new ProfileFormatException(where + ": need 0 < warm_mem_mb and dedup_mem_mb <= warm_mem_mb, got "
              + warmMem + ", " + dedupMem);
        }
        actions.add(new ActionProfile(name, cold, warm, dedup, remote, warmMem, dedupMem, exec, checkpoint));
      }
    } catch (IOException e) {
      throw new ProfileFormatException("cannot read cost profile " + source + ": " + e.getMessage(), e);
    }
    if (column == null || actions.isEmpty()) {
      throw new ProfileFormatException(source + ": no header or no action rows");
    }
    return new CostProfile(source, actions);
  }

  private static int[] header(String[] cells, String where) {
    int[] column = new int[COLUMNS.size() + OPTIONAL_COLUMNS.size()];
    Arrays.fill(column, -1);
    for (int i = 0; i < cells.length; i++) {
      int k = COLUMNS.indexOf(cells[i]);
      if (k < 0 && OPTIONAL_COLUMNS.contains(cells[i])) {
        k = COLUMNS.size() + OPTIONAL_COLUMNS.indexOf(cells[i]);
      }
      if (k < 0) {
        throw new ProfileFormatException(where + ": unknown column '" + cells[i] + "', expected " + COLUMNS
            + " and optionally " + OPTIONAL_COLUMNS);
      }
      if (column[k] >= 0) {
        throw new ProfileFormatException(where + ": column '" + cells[i] + "' appears twice");
      }
      column[k] = i;
    }
    for (int k = 0; k < COLUMNS.size(); k++) {
      if (column[k] < 0) {
        throw new ProfileFormatException(where + ": missing column '" + COLUMNS.get(k) + "'");
      }
    }
    return column;
  }

  private static int intCell(String cell, String where, String name) {
    try {
      int v = (int) Math.round(Double.parseDouble(cell));
      if (v < 0) {
        throw new ProfileFormatException(where + ": " + name + " must be >= 0, got " + cell);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new ProfileFormatException(where + ": " + name + " is not a number: '" + cell + "'");
    }
  }

  private static double doubleCell(String cell, String where, String name) {
    try {
      double v = Double.parseDouble(cell);
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new ProfileFormatException(where + ": " + name + " must be >= 0, got " + cell);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new ProfileFormatException(where + ": " + name + " is not a number: '" + cell + "'");
    }
  }

  /** Where the profile came from. */
  public String source() {
    return source;
  }

  public List<ActionProfile> actions() {
    return actions;
  }

  public int size() {
    return actions.size();
  }

  public ActionProfile action(int index) {
    return actions.get(index);
  }
}
