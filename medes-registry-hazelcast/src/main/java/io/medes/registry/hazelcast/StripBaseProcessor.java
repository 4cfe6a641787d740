package io.medes.registry.hazelcast;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.medes.dedup.registry.PackedPageRefs;
import java.io.IOException;
import java.util.Map;

/** Removes every reference of one base handle from a bucket, and the bucket when it becomes empty. */
final class StripBaseProcessor implements EntryProcessor<Long, long[], Void>, IdentifiedDataSerializable {
  private static final long serialVersionUID = 1L;

  private int handle;

  StripBaseProcessor() {}

  StripBaseProcessor(int handle) {
    this.handle = handle;
  }

  @Override
  public Void process(Map.Entry<Long, long[]> entry) {
    long[] before = entry.getValue();
    if (before == null) {
      return null;
    }
    long[] after = PackedPageRefs.strip(before, handle);
    if (after != before) {
      entry.setValue(after); // null removes the entry
    }
    return null;
  }

  @Override
  public int getFactoryId() { return RegistrySerialization.FACTORY_ID; }

  @Override
  public int getClassId() { return RegistrySerialization.STRIP_BASE; }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(handle);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    handle = in.readInt();
  }
}
