package io.medes.registry.hazelcast;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * Puts a base record in place of the previous one, keeping the previous reference count (unless the
 * previous one was being retired): a retain or release racing a re-registration is never lost.
 */
final class InstallBaseProcessor implements EntryProcessor<String, BaseRecord, Void>, IdentifiedDataSerializable {
  private static final long serialVersionUID = 1L;

  private BaseRecord record;

  InstallBaseProcessor() {}

  InstallBaseProcessor(BaseRecord record) {
    this.record = record;
  }

  @Override
  public Void process(Map.Entry<String, BaseRecord> entry) {
    BaseRecord previous = entry.getValue();
    boolean keepCount = previous != null && !previous.retiring();
    entry.setValue(record.withRefCount(keepCount ? previous.refCount() : 0));
    return null;
  }

  @Override
  public int getFactoryId() { return RegistrySerialization.FACTORY_ID; }

  @Override
  public int getClassId() { return RegistrySerialization.INSTALL_BASE; }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeObject(record);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    record = in.readObject();
  }
}
