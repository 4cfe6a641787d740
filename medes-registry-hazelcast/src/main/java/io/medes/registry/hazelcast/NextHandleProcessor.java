package io.medes.registry.hazelcast;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.util.Map;

/**
 * Hands out base handles from a counter entry: 1, 2, 3, ... never reused, so a handle seen in a stale
 * bucket or cache can only name a retired base. The counter lives in an ordinary map entry with the
 * map's backups (the CP subsystem's atomic long would need 3+ CP members and is not worth it for a
 * counter that only moves on base registration).
 */
final class NextHandleProcessor implements EntryProcessor<String, Long, Long>, IdentifiedDataSerializable {
  private static final long serialVersionUID = 1L;

  static final long LAST_HANDLE = 0xFFFF_FFFFL;

  @Override
  public Long process(Map.Entry<String, Long> entry) {
    Long last = entry.getValue();
    long next = last == null ? 1 : last + 1;
    if (next > LAST_HANDLE) {
      throw new IllegalStateException("registry ran out of base handles (2^32 registrations)");
    }
    entry.setValue(next);
    return next;
  }

  @Override
  public int getFactoryId() { return RegistrySerialization.FACTORY_ID; }

  @Override
  public int getClassId() { return RegistrySerialization.NEXT_HANDLE; }

  @Override
  public void writeData(ObjectDataOutput out) {}

  @Override
  public void readData(ObjectDataInput in) {}
}
