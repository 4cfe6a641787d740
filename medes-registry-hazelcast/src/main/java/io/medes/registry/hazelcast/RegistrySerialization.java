package io.medes.registry.hazelcast;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * The registry's own types travel as {@link IdentifiedDataSerializable}: a factory id and a class id
 * instead of class names and reflection (Java serialization is several times slower and larger). Every
 * member and client that uses the registry must know this factory; the configs made by
 * {@link HazelcastRegistryCluster} include it.
 */
public final class RegistrySerialization implements DataSerializableFactory {
  /** "ME" — the factory id of Medes registry types; unique within the cluster's serialization config. */
  public static final int FACTORY_ID = 0x4D45;

  static final int BASE_RECORD = 1;
  static final int APPEND_REFS = 2;
  static final int STRIP_BASE = 3;
  static final int INSTALL_BASE = 4;
  static final int ADJUST_REF_COUNT = 5;
  static final int NEXT_HANDLE = 6;
  static final int MARK_RETIRING = 7;

  /** Adds the registry's factory to a member or client serialization config. */
  public static SerializationConfig register(SerializationConfig config) {
    config.addDataSerializableFactory(FACTORY_ID, new RegistrySerialization());
    return config;
  }

  /** Adds the registry's factory to a member config. */
  public static Config register(Config config) {
    register(config.getSerializationConfig());
    return config;
  }

  /** Adds the registry's factory to a client config. */
  public static ClientConfig register(ClientConfig config) {
    register(config.getSerializationConfig());
    return config;
  }

  @Override
  public IdentifiedDataSerializable create(int typeId) {
    switch (typeId) {
      case BASE_RECORD:
        return new BaseRecord();
      case APPEND_REFS:
        return new AppendRefsProcessor();
      case STRIP_BASE:
        return new StripBaseProcessor();
      case INSTALL_BASE:
        return new InstallBaseProcessor();
      case ADJUST_REF_COUNT:
        return new AdjustRefCountProcessor();
      case NEXT_HANDLE:
        return new NextHandleProcessor();
      case MARK_RETIRING:
        return new MarkRetiringProcessor();
      default:
        throw new IllegalArgumentException("unknown Medes registry type id " + typeId
            + " (member and client of different Medes versions?)");
    }
  }
}
