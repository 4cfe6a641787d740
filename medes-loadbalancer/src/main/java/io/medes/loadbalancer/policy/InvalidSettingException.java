package io.medes.loadbalancer.policy;

/** A configuration value is missing or out of range; the message names the key. */
public final class InvalidSettingException extends IllegalArgumentException {
  private final String key;

  public InvalidSettingException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  /** The full config path of the offending key. */
  public String key() {
    return key;
  }
}
