package io.medes.loadbalancer.policy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.medes.config.MedesConfig;
import java.util.Locale;
import java.util.Map;

/**
 * Typed, validated view of {@code whisk.medes.policy} (see this module's {@code reference.conf} for
 * what each key means). Every value is checked at construction; a bad one fails with
 * {@link InvalidSettingException} naming the key.
 */
public final class PolicySettings {
  /** Config path of this block. */
  public static final String PATH = "whisk.medes.policy";

  private final String name;
  private final Fixed fixed;
  private final HybridHistogram hybridHistogram;
  private final GreedyDual greedyDual;
  private final Medes medes;
  private final Scheduler scheduler;

  /** Reads {@code whisk.medes.policy} from a full configuration (e.g. {@link MedesConfig#load()}). */
  public PolicySettings(Config root) {
    Config c = section(root, PATH);
    this.name = string(c, "name", PATH + ".name");
    if (!PolicyRegistry.names().contains(name)) {
      throw new InvalidSettingException(PATH + ".name", "unknown policy '" + name + "', expected one of " + PolicyRegistry.names());
    }
    this.fixed = new Fixed(section(c, "fixed"), PATH + ".fixed");
    this.hybridHistogram = new HybridHistogram(section(c, "hybrid-histogram"), PATH + ".hybrid-histogram");
    this.greedyDual = new GreedyDual(section(c, "greedy-dual"), PATH + ".greedy-dual");
    this.medes = new Medes(section(c, "medes"), PATH + ".medes");
    this.scheduler = new Scheduler(section(c, "scheduler"), PATH + ".scheduler");
  }

  /** The effective settings of this process (files, -D, CONFIG_whisk_medes_* variables). */
  public static PolicySettings load() {
    return new PolicySettings(MedesConfig.load());
  }

  /** The shipped defaults with some keys (full paths) overridden; for tests and the simulator. */
  public static PolicySettings withOverrides(Map<String, ?> overrides) {
    return new PolicySettings(ConfigFactory.parseMap(overrides, "overrides")
        .withFallback(ConfigFactory.defaultReference(PolicySettings.class.getClassLoader())).resolve());
  }

  /** The shipped defaults. */
  public static PolicySettings defaults() {
    return withOverrides(Map.of());
  }

  /** The configured policy name (see {@link PolicyRegistry#names()}). */
  public String name() {
    return name;
  }

  public Fixed fixed() {
    return fixed;
  }

  public HybridHistogram hybridHistogram() {
    return hybridHistogram;
  }

  public GreedyDual greedyDual() {
    return greedyDual;
  }

  public Medes medes() {
    return medes;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  /** {@code whisk.medes.policy.fixed}. */
  public static final class Fixed {
    private final long keepAliveMs;

    Fixed(Config c, String path) {
      keepAliveMs = positiveMillis(c, "keep-alive", path);
    }

    public long keepAliveMs() {
      return keepAliveMs;
    }
  }

  /** {@code whisk.medes.policy.hybrid-histogram}. */
  public static final class HybridHistogram {
    private final long rangeMs;
    private final long binMs;
    private final double headPercentile;
    private final double tailPercentile;
    private final double margin;
    private final double cvThreshold;
    private final int minSamples;
    private final double oobThreshold;
    private final double forecastMargin;
    private final int forecastHistory;

    HybridHistogram(Config c, String path) {
      rangeMs = positiveMillis(c, "range", path);
      binMs = positiveMillis(c, "bin", path);
      if (rangeMs % binMs != 0) {
        throw new InvalidSettingException(path + ".range", rangeMs + " ms is not a whole number of bins of " + binMs + " ms");
      }
      headPercentile = fraction(c, "head-percentile", path, 0, 100);
      tailPercentile = fraction(c, "tail-percentile", path, 0, 100);
      if (headPercentile >= tailPercentile) {
        throw new InvalidSettingException(path + ".head-percentile", "must be below tail-percentile (" + tailPercentile + "), got " + headPercentile);
      }
      margin = fraction(c, "margin", path, 0, 1);
      cvThreshold = fraction(c, "cv-threshold", path, 0, Double.MAX_VALUE);
      minSamples = atLeast(c, "min-samples", path, 1);
      oobThreshold = fraction(c, "oob-threshold", path, 0, 1);
      forecastMargin = fraction(c, "forecast-margin", path, 0, 1);
      forecastHistory = atLeast(c, "forecast-history", path, 2);
    }

    public long rangeMs() {
      return rangeMs;
    }

    public long binMs() {
      return binMs;
    }

    public int bins() {
      return (int) (rangeMs / binMs);
    }

    public double headPercentile() {
      return headPercentile;
    }

    public double tailPercentile() {
      return tailPercentile;
    }

    public double margin() {
      return margin;
    }

    public double cvThreshold() {
      return cvThreshold;
    }

    public int minSamples() {
      return minSamples;
    }

    public double oobThreshold() {
      return oobThreshold;
    }

    public double forecastMargin() {
      return forecastMargin;
    }

    public int forecastHistory() {
      return forecastHistory;
    }
  }

  /** {@code whisk.medes.policy.greedy-dual}. */
  public static final class GreedyDual {
    private final long maxIdleMs;

    GreedyDual(Config c, String path) {
      maxIdleMs = nonNegativeMillis(c, "max-idle", path);
    }

    /** Upper bound on idle time, or 0 for none. */
    public long maxIdleMs() {
      return maxIdleMs;
    }
  }

  /** Which quantity the Medes policy holds its functions to. */
  public enum Constraint { MEMORY, LATENCY }

  /** {@code whisk.medes.policy.medes}. */
  public static final class Medes {
    private final Constraint constraint;
    private final long idleBeforeDecisionMs;
    private final long decisionIntervalMs;
    private final long warmKeepAliveMs;
    private final long dedupKeepAliveMs;
    private final long baseKeepAliveMs;
    private final int dedupPerBase;
    private final int rateWindowMinutes;
    private final double memoryBudgetFraction;
    private final double latencyBoundFactor;
    private final long reusePeriodMs;
    private final boolean dedupOnEvict;
    private final double immediateDecisionPressure;

    Medes(Config c, String path) {
      String mode = string(c, "constraint", path + ".constraint");
      try {
        constraint = Constraint.valueOf(mode.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidSettingException(path + ".constraint", "must be memory or latency, got '" + mode + "'");
      }
      idleBeforeDecisionMs = positiveMillis(c, "idle-before-decision", path);
      decisionIntervalMs = positiveMillis(c, "decision-interval", path);
      warmKeepAliveMs = positiveMillis(c, "warm-keep-alive", path);
      dedupKeepAliveMs = positiveMillis(c, "dedup-keep-alive", path);
      baseKeepAliveMs = positiveMillis(c, "base-keep-alive", path);
      if (idleBeforeDecisionMs > warmKeepAliveMs) {
        throw new InvalidSettingException(path + ".idle-before-decision", "must not exceed warm-keep-alive ("
            + warmKeepAliveMs + " ms), got " + idleBeforeDecisionMs + " ms");
      }
      dedupPerBase = atLeast(c, "dedup-per-base", path, 1);
      long window = positiveMillis(c, "rate-window", path);
      if (window % 60_000L != 0) {
        throw new InvalidSettingException(path + ".rate-window", "must be whole minutes, got " + window + " ms");
      }
      rateWindowMinutes = (int) (window / 60_000L);
      memoryBudgetFraction = fraction(c, "memory-budget-fraction", path, 0, 1);
      if (memoryBudgetFraction == 0) {
        throw new InvalidSettingException(path + ".memory-budget-fraction", "must be above 0");
      }
      latencyBoundFactor = fraction(c, "latency-bound-factor", path, 1, Double.MAX_VALUE);
      reusePeriodMs = nonNegativeMillis(c, "reuse-period", path);
      dedupOnEvict = bool(c, "dedup-on-evict", path);
      immediateDecisionPressure = fraction(c, "immediate-decision-pressure", path, 0, 1);
    }

    public Constraint constraint() {
      return constraint;
    }

    public long idleBeforeDecisionMs() {
      return idleBeforeDecisionMs;
    }

    public long decisionIntervalMs() {
      return decisionIntervalMs;
    }

    public long warmKeepAliveMs() {
      return warmKeepAliveMs;
    }

    public long dedupKeepAliveMs() {
      return dedupKeepAliveMs;
    }

    public long baseKeepAliveMs() {
      return baseKeepAliveMs;
    }

    public int dedupPerBase() {
      return dedupPerBase;
    }

    public int rateWindowMinutes() {
      return rateWindowMinutes;
    }

    public double memoryBudgetFraction() {
      return memoryBudgetFraction;
    }

    public double latencyBoundFactor() {
      return latencyBoundFactor;
    }

    public long reusePeriodMs() {
      return reusePeriodMs;
    }

    /** Whether eviction deduplicates idle warm sandboxes before it purges anything. */
    public boolean dedupOnEvict() {
      return dedupOnEvict;
    }

    /** Memory mode: above this fraction of its node's cap, a freshly idle warm sandbox is judged at once (1 = never). */
    public double immediateDecisionPressure() {
      return immediateDecisionPressure;
    }
  }

  /** {@code whisk.medes.policy.scheduler}. */
  public static final class Scheduler {
    private final int restoresPerNode;

    Scheduler(Config c, String path) {
      restoresPerNode = atLeast(c, "restores-per-node", path, 1);
    }

    public int restoresPerNode() {
      return restoresPerNode;
    }
  }

  // ---------------------------------------------------------------- helpers

  private static Config section(Config c, String path) {
    try {
      return c.getConfig(path);
    } catch (ConfigException e) {
      throw new InvalidSettingException(path, e.getMessage());
    }
  }

  private static String string(Config c, String key, String fullPath) {
    try {
      return c.getString(key);
    } catch (ConfigException e) {
      throw new InvalidSettingException(fullPath, e.getMessage());
    }
  }

  private static long millis(Config c, String key, String path) {
    try {
      return c.getDuration(key).toMillis();
    } catch (ConfigException e) {
      throw new InvalidSettingException(path + "." + key, e.getMessage());
    }
  }

  private static long positiveMillis(Config c, String key, String path) {
    long v = millis(c, key, path);
    if (v <= 0) {
      throw new InvalidSettingException(path + "." + key, "must be a positive duration, got " + v + " ms");
    }
    return v;
  }

  private static long nonNegativeMillis(Config c, String key, String path) {
    long v = millis(c, key, path);
    if (v < 0) {
      throw new InvalidSettingException(path + "." + key, "must not be negative, got " + v + " ms");
    }
    return v;
  }

  private static boolean bool(Config c, String key, String path) {
    try {
      return c.getBoolean(key);
    } catch (ConfigException e) {
      throw new InvalidSettingException(path + "." + key, e.getMessage());
    }
  }

  private static int atLeast(Config c, String key, String path, int min) {
    int v;
    try {
      v = c.getInt(key);
    } catch (ConfigException e) {
      throw new InvalidSettingException(path + "." + key, e.getMessage());
    }
    if (v < min) {
      throw new InvalidSettingException(path + "." + key, "must be >= " + min + ", got " + v);
    }
    return v;
  }

  private static double fraction(Config c, String key, String path, double min, double max) {
    double v;
    try {
      v = c.getDouble(key);
    } catch (ConfigException e) {
      throw new InvalidSettingException(path + "." + key, e.getMessage());
    }
    if (!(v >= min && v <= max)) {
      throw new InvalidSettingException(path + "." + key, "must be within [" + min + ", " + max + "], got " + v);
    }
    return v;
  }
}
