package io.medes.simulator;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.medes.config.MedesConfig;
import io.medes.loadbalancer.policy.InvalidSettingException;
import io.medes.loadbalancer.policy.PolicyRegistry;
import io.medes.simulator.profile.CheckpointModel;
import io.medes.simulator.profile.FunctionMapping;
import io.medes.simulator.trace.AzureTrace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Typed, validated view of {@code whisk.medes.simulator} (see this module's reference.conf). */
public final class SimulatorSettings {
  /** Config path of this block. */
  public static final String PATH = "whisk.medes.simulator";

  /** Where request execution times come from. */
  public enum ExecSource { TRACE, PROFILE }

  private final int trace;
  private final String traceDir;
  private final int minutes;
  private final int nodes;
  private final int memCapMb;
  private final long seed;
  private final List<String> policies;
  private final String profile;
  private final FunctionMapping.MemorySource memorySource;
  private final ExecSource execSource;
  private final CheckpointModel checkpoints;
  private final int sweepTrace;
  private final int sweepMinutes;
  private final int sweepNodes;
  private final List<Integer> sweepCapsMb;
  private final List<ExecSource> sweepExecSources;
  private final String outputDir;

  public SimulatorSettings(Config root) {
    Config c = section(root, PATH);
    String p = PATH + ".";
    trace = range(c, "trace", p, 1, Integer.MAX_VALUE);
    traceDir = str(c, "trace-dir", p);
    if (traceDir.isEmpty() && trace > AzureTrace.EMBEDDED_FUNCTIONS) {
      throw new InvalidSettingException(p + "trace", "the embedded sample has at most " + AzureTrace.EMBEDDED_FUNCTIONS + " functions, got " + trace);
    }
    minutes = range(c, "minutes", p, 1, 1440);
    nodes = range(c, "nodes", p, 1, 100_000);
    memCapMb = range(c, "mem-cap-mb", p, 1, Integer.MAX_VALUE);
    try {
      seed = c.getLong("seed");
    } catch (ConfigException e) {
      throw new InvalidSettingException(p + "seed", e.getMessage());
    }
    policies = policyList(c, "policies", p);
    profile = str(c, "profile", p);
    memorySource = enumValue(FunctionMapping.MemorySource.class, c, "memory-source", p);
    execSource = enumValue(ExecSource.class, c, "exec-source", p);
    Config k = section(c, "checkpoint");
    long fixedMs;
    double mbPerSecond;
    try {
      fixedMs = k.getDuration("fixed").toMillis();
      mbPerSecond = k.getDouble("mb-per-second");
    } catch (ConfigException e) {
      throw new InvalidSettingException(p + "checkpoint", e.getMessage());
    }
    if (fixedMs < 0) {
      throw new InvalidSettingException(p + "checkpoint.fixed", "must not be negative, got " + fixedMs + " ms");
    }
    if (!(mbPerSecond > 0) || Double.isInfinite(mbPerSecond)) {
      throw new InvalidSettingException(p + "checkpoint.mb-per-second", "must be a positive number, got " + mbPerSecond);
    }
    checkpoints = new CheckpointModel(fixedMs, mbPerSecond);
    Config s = section(c, "sweep");
    String sp = p + "sweep.";
    sweepTrace = range(s, "trace", sp, 1, AzureTrace.EMBEDDED_FUNCTIONS);
    sweepMinutes = range(s, "minutes", sp, 1, 1440);
    sweepNodes = range(s, "nodes", sp, 1, 100_000);
    List<Integer> caps;
    List<String> sources;
    try {
      caps = s.getIntList("mem-caps-mb");
      sources = s.getStringList("exec-sources");
    } catch (ConfigException e) {
      throw new InvalidSettingException(sp + "mem-caps-mb / exec-sources", e.getMessage());
    }
    if (caps.isEmpty() || caps.stream().anyMatch(x -> x <= 0)) {
      throw new InvalidSettingException(sp + "mem-caps-mb", "need at least one positive cap, got " + caps);
    }
    sweepCapsMb = Collections.unmodifiableList(new ArrayList<>(caps));
    List<ExecSource> es = new ArrayList<>();
    for (String x : sources) {
      es.add(parseEnum(ExecSource.class, x, sp + "exec-sources"));
    }
    if (es.isEmpty()) {
      throw new InvalidSettingException(sp + "exec-sources", "need at least one of trace, profile");
    }
    sweepExecSources = Collections.unmodifiableList(es);
    outputDir = str(s, "output-dir", sp);
    if (outputDir.isEmpty()) {
      throw new InvalidSettingException(sp + "output-dir", "must not be empty");
    }
  }

  /** The effective settings of this process. */
  public static SimulatorSettings load() {
    return new SimulatorSettings(MedesConfig.load());
  }

  /** Defaults with some keys (full paths) overridden. */
  public static SimulatorSettings withOverrides(Map<String, ?> overrides) {
    return new SimulatorSettings(ConfigFactory.parseMap(overrides, "overrides")
        .withFallback(ConfigFactory.defaultReference(SimulatorSettings.class.getClassLoader())).resolve());
  }

  private static Config section(Config c, String path) {
    try {
      return c.getConfig(path);
    } catch (ConfigException e) {
      throw new InvalidSettingException(path, e.getMessage());
    }
  }

  private static String str(Config c, String key, String prefix) {
    try {
      return c.getString(key).trim();
    } catch (ConfigException e) {
      throw new InvalidSettingException(prefix + key, e.getMessage());
    }
  }

  private static int range(Config c, String key, String prefix, int min, int max) {
    int v;
    try {
      v = c.getInt(key);
    } catch (ConfigException e) {
      throw new InvalidSettingException(prefix + key, e.getMessage());
    }
    if (v < min || v > max) {
      throw new InvalidSettingException(prefix + key, "must be within [" + min + ", " + max + "], got " + v);
    }
    return v;
  }

  private static List<String> policyList(Config c, String key, String prefix) {
    List<String> list;
    try {
      list = c.getStringList(key);
    } catch (ConfigException e) {
      throw new InvalidSettingException(prefix + key, e.getMessage());
    }
    return validatePolicies(list, prefix + key);
  }

  /** Checks policy names against the registry; "all" expands to every registered policy. */
  public static List<String> validatePolicies(List<String> names, String where) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      String name = n.trim();
      if (name.equalsIgnoreCase("all")) {
        out.addAll(PolicyRegistry.names());
      } else if (PolicyRegistry.names().contains(name)) {
        out.add(name);
      } else {
        throw new InvalidSettingException(where, "unknown policy '" + name + "', expected 'all' or some of " + PolicyRegistry.names());
      }
    }
    if (out.isEmpty()) {
      throw new InvalidSettingException(where, "no policies given");
    }
    return Collections.unmodifiableList(out);
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, Config c, String key, String prefix) {
    return parseEnum(type, str(c, key, prefix), prefix + key);
  }

  static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String where) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      List<String> allowed = new ArrayList<>();
      for (E x : type.getEnumConstants()) {
        allowed.add(x.name().toLowerCase(Locale.ROOT));
      }
      throw new InvalidSettingException(where, "expected one of " + allowed + ", got '" + value + "'");
    }
  }

  public int trace() {
    return trace;
  }

  public String traceDir() {
    return traceDir;
  }

  public int minutes() {
    return minutes;
  }

  public int nodes() {
    return nodes;
  }

  public int memCapMb() {
    return memCapMb;
  }

  public long seed() {
    return seed;
  }

  public List<String> policies() {
    return policies;
  }

  public String profile() {
    return profile;
  }

  public FunctionMapping.MemorySource memorySource() {
    return memorySource;
  }

  public ExecSource execSource() {
    return execSource;
  }

  /** Checkpoint-time estimate for profiles without a {@code checkpoint_ms} column. */
  public CheckpointModel checkpoints() {
    return checkpoints;
  }

  public int sweepTrace() {
    return sweepTrace;
  }

  public int sweepMinutes() {
    return sweepMinutes;
  }

  public int sweepNodes() {
    return sweepNodes;
  }

  public List<Integer> sweepCapsMb() {
    return sweepCapsMb;
  }

  public List<ExecSource> sweepExecSources() {
    return sweepExecSources;
  }

  public String outputDir() {
    return outputDir;
  }
}
