package io.medes.dedup.registry;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/**
 * Settings shared by every {@link FingerprintRegistry} implementation, read from
 * {@code whisk.medes.registry}.
 */
public final class RegistrySettings {
  /** The configuration path of these settings. */
  public static final String PATH = "whisk.medes.registry";

  private final int maxPagesPerFingerprint;

  /**
   * @param maxPagesPerFingerprint how many base pages one fingerprint keeps at most, in [1, {@value
   *     PackedPageRefs#MAX_CAP}]
   */
  public RegistrySettings(int maxPagesPerFingerprint) {
    this.maxPagesPerFingerprint = PackedPageRefs.checkCap(maxPagesPerFingerprint);
  }

  /** Reads {@code whisk.medes.registry} from a full configuration (e.g. {@code MedesConfig.load()}). */
  public static RegistrySettings fromConfig(Config root) {
    String key = PATH + ".max-pages-per-fingerprint";
    int cap;
    try {
      cap = root.getInt(key);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("bad registry setting " + key + ": " + e.getMessage(), e);
    }
    try {
      return new RegistrySettings(cap);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad registry setting " + key + ": " + e.getMessage(), e);
    }
  }

  /** How many base pages one fingerprint keeps at most. */
  public int maxPagesPerFingerprint() {
    return maxPagesPerFingerprint;
  }

  @Override
  public String toString() {
    return "RegistrySettings{maxPagesPerFingerprint=" + maxPagesPerFingerprint + "}";
  }
}
