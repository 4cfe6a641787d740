package io.medes.registry.hazelcast;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * Adds {@code delta} to a base's reference count on the partition that owns it (so concurrent callers
 * anywhere in the cluster never lose an update), never going below zero. Answers the new count, or -1
 * when the base is not registered — or, for a retain, when it is being retired.
 */
final class AdjustRefCountProcessor implements EntryProcessor<String, BaseRecord, Integer>, IdentifiedDataSerializable {
  private static final long serialVersionUID = 1L;

  static final int UNKNOWN_BASE = -1;

  private int delta;

  AdjustRefCountProcessor() {}

  AdjustRefCountProcessor(int delta) {
    this.delta = delta;
  }

  @Override
  public Integer process(Map.Entry<String, BaseRecord> entry) {
    BaseRecord record = entry.getValue();
    if (record == null || (delta > 0 && record.retiring())) {
      return UNKNOWN_BASE;
    }
    int count = (int) Math.max(0L, Math.min(Integer.MAX_VALUE, (long) record.refCount() + delta));
    entry.setValue(record.withRefCount(count));
    return count;
  }

  @Override
  public int getFactoryId() { return RegistrySerialization.FACTORY_ID; }

  @Override
  public int getClassId() { return RegistrySerialization.ADJUST_REF_COUNT; }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(delta);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    delta = in.readInt();
  }
}
