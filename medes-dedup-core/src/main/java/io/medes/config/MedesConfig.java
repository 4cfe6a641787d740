package io.medes.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads Medes configuration the way OpenWhisk components load theirs.
 *
 * <p>Defaults come from every module's {@code reference.conf} under {@code whisk.medes.*}; an
 * {@code application.conf} or {@code -Dconfig.file} overrides them; and environment variables named
 * {@code CONFIG_whisk_medes_*} override both, transformed exactly like OpenWhisk's
 * {@code transformEnvironment.sh} turns {@code CONFIG_*} variables into system properties:
 * {@code _} separates path segments, a camelCased segment becomes kebab-case, and a segment starting
 * with an upper-case letter (a class name) is kept as is. So
 * {@code CONFIG_whisk_medes_dedup_chunksPerPage=8} sets {@code whisk.medes.dedup.chunks-per-page = 8}.
 * Inside an OpenWhisk container the init script has already turned such variables into system
 * properties; applying them again here is harmless and makes the CLI and tests behave the same.
 */
public final class MedesConfig {
  /** The environment-variable prefix this loader honours; only Medes' own keys are taken. */
  public static final String ENV_PREFIX = "CONFIG_whisk_medes_";

  private static final Pattern CAMEL_HUMP = Pattern.compile("([a-z0-9])([A-Z])");

  private MedesConfig() {}

  /** The effective configuration for this process: environment over system properties over files. */
  public static Config load() {
    return load(System.getenv());
  }

  /** The effective configuration with the given environment, for tests and embedding. */
  public static Config load(Map<String, String> environment) {
    ConfigFactory.invalidateCaches();
    return fromEnvironment(environment).withFallback(ConfigFactory.load()).resolve();
  }

  /** Only the overrides carried by {@code CONFIG_whisk_medes_*} variables, as a configuration. */
  public static Config fromEnvironment(Map<String, String> environment) {
    Config overrides = ConfigFactory.empty("environment variables CONFIG_whisk_medes_*");
    for (Map.Entry<String, String> e : environment.entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      if (!name.startsWith(ENV_PREFIX) || value == null || value.isEmpty()) {
        continue;
      }
      String path = toConfigPath(name.substring("CONFIG_".length()));
      overrides = overrides.withValue(path, ConfigValueFactory.fromAnyRef(value, "env " + name));
    }
    return overrides;
  }

  /** Transforms {@code whisk_medes_dedup_chunksPerPage} into {@code whisk.medes.dedup.chunks-per-page}. */
  static String toConfigPath(String underscored) {
    StringBuilder path = new StringBuilder();
    for (String part : underscored.split("_")) {
      if (part.isEmpty()) {
        continue;
      }
      if (path.length() > 0) {
        path.append('.');
      }
      if (Character.isUpperCase(part.charAt(0))) {
        path.append(part);
      } else {
        Matcher m = CAMEL_HUMP.matcher(part);
        StringBuilder kebab = new StringBuilder();
        while (m.find()) {
          m.appendReplacement(kebab, m.group(1) + "-" + m.group(2).toLowerCase(java.util.Locale.ROOT));
        }
        m.appendTail(kebab);
        path.append(kebab);
      }
    }
    return path.toString();
  }
}
