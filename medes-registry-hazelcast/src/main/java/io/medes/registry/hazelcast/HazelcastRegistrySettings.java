package io.medes.registry.hazelcast;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** The Hazelcast side of the registry, read from {@code whisk.medes.registry.hazelcast}. */
public final class HazelcastRegistrySettings {
  /** The configuration path of these settings. */
  public static final String PATH = "whisk.medes.registry.hazelcast";
  /** Hazelcast's limit on backups per entry. */
  public static final int MAX_BACKUPS = 6;
  /** A sanity bound on the partition count (Hazelcast's default is 271). */
  public static final int MAX_PARTITIONS = 10_007;

  /** How this JVM takes part in the cluster. */
  public enum Mode {
    /** An embedded member holding part of the table. */
    MEMBER,
    /** A client of the listed members, holding nothing. */
    CLIENT
  }

  private final Mode mode;
  private final String clusterName;
  private final List<String> members;
  private final String networkInterface;
  private final int port;
  private final boolean portAutoIncrement;
  private final int backupCount;
  private final int asyncBackupCount;
  private final int partitionCount;
  private final String mapPrefix;
  private final Duration operationTimeout;
  private final Duration lockTimeout;

  private HazelcastRegistrySettings(Builder b) {
    this.mode = Objects.requireNonNull(b.mode, "mode");
    this.clusterName = requireText(b.clusterName, "cluster-name");
    this.members = checkMembers(b.members);
    this.networkInterface = Objects.requireNonNull(b.networkInterface, "interface").trim();
    if (b.port < 1 || b.port > 65535) {
      throw bad("port", "must be in [1, 65535], was " + b.port);
    }
    this.port = b.port;
    this.portAutoIncrement = b.portAutoIncrement;
    if (b.backupCount < 0 || b.backupCount > MAX_BACKUPS) {
      throw bad("backup-count", "must be in [0, " + MAX_BACKUPS + "], was " + b.backupCount);
    }
    if (b.asyncBackupCount < 0 || b.backupCount + b.asyncBackupCount > MAX_BACKUPS) {
      throw bad("async-backup-count", "must be in [0, " + (MAX_BACKUPS - b.backupCount) + "] with backup-count "
          + b.backupCount + ", was " + b.asyncBackupCount);
    }
    this.backupCount = b.backupCount;
    this.asyncBackupCount = b.asyncBackupCount;
    if (b.partitionCount < 1 || b.partitionCount > MAX_PARTITIONS) {
      throw bad("partition-count", "must be in [1, " + MAX_PARTITIONS + "], was " + b.partitionCount);
    }
    this.partitionCount = b.partitionCount;
    this.mapPrefix = requireText(b.mapPrefix, "map-prefix");
    if (mapPrefix.contains("*")) {
      throw bad("map-prefix", "must not contain '*', was '" + mapPrefix + "'");
    }
    this.operationTimeout = checkPositive(b.operationTimeout, "operation-timeout");
    this.lockTimeout = checkPositive(b.lockTimeout, "lock-timeout");
  }

  /** Reads {@code whisk.medes.registry.hazelcast} from a full configuration (e.g. {@code MedesConfig.load()}). */
  public static HazelcastRegistrySettings fromConfig(Config root) {
    Config c;
    try {
      c = root.getConfig(PATH);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("bad registry settings at " + PATH + ": " + e.getMessage(), e);
    }
    Builder b = builder();
    String key = "mode";
    try {
      String modeName = c.getString(key);
      try {
        b.mode(Mode.valueOf(modeName.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw bad(key, "must be 'member' or 'client', was '" + modeName + "'");
      }
      key = "cluster-name";
      b.clusterName(c.getString(key));
      key = "members";
      b.members(c.getStringList(key));
      key = "interface";
      b.networkInterface(c.getString(key));
      key = "port";
      b.port(c.getInt(key));
      key = "port-auto-increment";
      b.portAutoIncrement(c.getBoolean(key));
      key = "backup-count";
      b.backupCount(c.getInt(key));
      key = "async-backup-count";
      b.asyncBackupCount(c.getInt(key));
      key = "partition-count";
      b.partitionCount(c.getInt(key));
      key = "map-prefix";
      b.mapPrefix(c.getString(key));
      key = "operation-timeout";
      b.operationTimeout(c.getDuration(key));
      key = "lock-timeout";
      b.lockTimeout(c.getDuration(key));
    } catch (ConfigException e) {
      throw bad(key, e.getMessage());
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this object's values, for variations (e.g. one member's port in a test). */
  public Builder toBuilder() {
    return new Builder().mode(mode).clusterName(clusterName).members(members).networkInterface(networkInterface)
        .port(port).portAutoIncrement(portAutoIncrement).backupCount(backupCount)
        .asyncBackupCount(asyncBackupCount).partitionCount(partitionCount).mapPrefix(mapPrefix).operationTimeout(operationTimeout)
        .lockTimeout(lockTimeout);
  }

  public Mode mode() { return mode; }
  public String clusterName() { return clusterName; }
  /** The member addresses to join, each "host" or "host:port". */
  public List<String> members() { return members; }
  /** The interface to bind to; empty for all. */
  public String networkInterface() { return networkInterface; }
  public int port() { return port; }
  public boolean portAutoIncrement() { return portAutoIncrement; }
  public int backupCount() { return backupCount; }
  public int asyncBackupCount() { return asyncBackupCount; }
  /** Partitions of the whole cluster (every member must agree). */
  public int partitionCount() { return partitionCount; }
  public String mapPrefix() { return mapPrefix; }
  public Duration operationTimeout() { return operationTimeout; }
  public Duration lockTimeout() { return lockTimeout; }

  @Override
  public String toString() {
    return "HazelcastRegistrySettings{mode=" + mode + ", cluster=" + clusterName + ", members=" + members
        + ", interface=" + networkInterface + ", port=" + port + ", backups=" + backupCount + "+" + asyncBackupCount
        + " async, partitions=" + partitionCount + ", prefix=" + mapPrefix + "}";
  }

  private static List<String> checkMembers(List<String> members) {
    if (members == null || members.isEmpty()) {
      throw bad("members", "must list at least one \"host:port\"");
    }
    List<String> checked = new ArrayList<>(members.size());
    for (String member : members) {
      String m = member == null ? "" : member.trim();
      if (m.isEmpty()) {
        throw bad("members", "has an empty entry");
      }
      int colon = m.lastIndexOf(':');
      boolean bracketedIpv6 = m.startsWith("[") && m.lastIndexOf(']') > colon;
      if (colon >= 0 && !bracketedIpv6) {
        String portPart = m.substring(colon + 1);
        if (portPart.contains("-")) {
          throw bad("members", "entry '" + m + "' is a port range; list each \"host:port\" on its own");
        }
        int p;
        try {
          p = Integer.parseInt(portPart);
        } catch (NumberFormatException e) {
          throw bad("members", "entry '" + m + "' has a port that is not a number");
        }
        if (p < 1 || p > 65535) {
          throw bad("members", "entry '" + m + "' has a port outside [1, 65535]");
        }
      }
      checked.add(m);
    }
    return Collections.unmodifiableList(checked);
  }

  private static String requireText(String value, String key) {
    if (value == null || value.trim().isEmpty()) {
      throw bad(key, "must not be empty");
    }
    return value.trim();
  }

  private static Duration checkPositive(Duration d, String key) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw bad(key, "must be a positive duration, was " + d);
    }
    return d;
  }

  private static IllegalArgumentException bad(String key, String why) {
    return new IllegalArgumentException("bad registry setting " + PATH + "." + key + ": " + why);
  }

  /** Builds settings; {@link #build()} validates them. Defaults match reference.conf. */
  public static final class Builder {
    private Mode mode = Mode.MEMBER;
    private String clusterName = "medes";
    private List<String> members = Collections.singletonList("127.0.0.1:5701");
    private String networkInterface = "127.0.0.1";
    private int port = 5701;
    private boolean portAutoIncrement;
    private int backupCount = 1;
    private int asyncBackupCount;
    private int partitionCount = 31;
    private String mapPrefix = "medes.registry";
    private Duration operationTimeout = Duration.ofSeconds(120);
    private Duration lockTimeout = Duration.ofSeconds(60);

    private Builder() {}

    public Builder mode(Mode v) { mode = v; return this; }
    public Builder clusterName(String v) { clusterName = v; return this; }
    public Builder members(List<String> v) { members = v == null ? null : new ArrayList<>(v); return this; }
    public Builder networkInterface(String v) { networkInterface = v; return this; }
    public Builder port(int v) { port = v; return this; }
    public Builder portAutoIncrement(boolean v) { portAutoIncrement = v; return this; }
    public Builder backupCount(int v) { backupCount = v; return this; }
    public Builder asyncBackupCount(int v) { asyncBackupCount = v; return this; }
    public Builder partitionCount(int v) { partitionCount = v; return this; }
    public Builder mapPrefix(String v) { mapPrefix = v; return this; }
    public Builder operationTimeout(Duration v) { operationTimeout = v; return this; }
    public Builder lockTimeout(Duration v) { lockTimeout = v; return this; }

    public HazelcastRegistrySettings build() {
      return new HazelcastRegistrySettings(this);
    }
  }
}
