package io.medes.loadbalancer.policy;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The only place that knows every policy: maps a configured name to a fresh instance. */
public final class PolicyRegistry {
  /** Creates a policy for a cluster with a given number of functions. */
  public interface Factory {
    KeepAlivePolicy create(PolicySettings settings, int functions);
  }

  private static final Map<String, Factory> FACTORIES = new LinkedHashMap<>();

  static {
    FACTORIES.put(FixedKeepAlivePolicy.NAME, (s, n) -> new FixedKeepAlivePolicy(s.fixed()));
    FACTORIES.put(HybridHistogramPolicy.NAME, (s, n) -> new HybridHistogramPolicy(s.hybridHistogram(), n));
    FACTORIES.put(GreedyDualPolicy.NAME, (s, n) -> new GreedyDualPolicy(s.greedyDual(), n));
    FACTORIES.put(MedesPolicy.NAME, (s, n) -> new MedesPolicy(s.medes()));
  }

  private PolicyRegistry() {}

  /** Registered names, baselines first and Medes last. */
  public static List<String> names() {
    return Collections.unmodifiableList(Arrays.asList(FACTORIES.keySet().toArray(new String[0])));
  }

  /** A fresh policy instance (policies keep per-run statistics, so never share one between runs). */
  public static KeepAlivePolicy create(String name, PolicySettings settings, int functions) {
    Factory factory = FACTORIES.get(name);
    if (factory == null) {
      throw new InvalidSettingException(PolicySettings.PATH + ".name",
          "unknown policy '" + name + "', expected one of " + FACTORIES.keySet());
    }
    return factory.create(settings, functions);
  }

  /** The policy named in the settings. */
  public static KeepAlivePolicy create(PolicySettings settings, int functions) {
    return create(settings.name(), settings, functions);
  }
}
