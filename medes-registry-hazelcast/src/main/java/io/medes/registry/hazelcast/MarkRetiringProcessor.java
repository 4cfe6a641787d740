package io.medes.registry.hazelcast;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.util.Map;

/** Marks a base as retiring and answers its record as it was before (null when not registered). */
final class MarkRetiringProcessor implements EntryProcessor<String, BaseRecord, BaseRecord>, IdentifiedDataSerializable {
  private static final long serialVersionUID = 1L;

  @Override
  public BaseRecord process(Map.Entry<String, BaseRecord> entry) {
    BaseRecord record = entry.getValue();
    if (record != null && !record.retiring()) {
      entry.setValue(record.asRetiring());
    }
    return record;
  }

  @Override
  public int getFactoryId() { return RegistrySerialization.FACTORY_ID; }

  @Override
  public int getClassId() { return RegistrySerialization.MARK_RETIRING; }

  @Override
  public void writeData(ObjectDataOutput out) {}

  @Override
  public void readData(ObjectDataInput in) {}
}
