package io.medes.registry.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.medes.dedup.registry.BaseInfo;
import java.io.IOException;

/**
 * A registered base as stored in the cluster: who it is, its handle, its reference count, and whether a
 * retirement has begun (a retiring base takes no new references, and a retirement cut short by a crash
 * is finished by the next retire or register of the same id).
 */
final class BaseRecord implements IdentifiedDataSerializable {
  private BaseInfo info;
  private int handle;
  private int refCount;
  private boolean retiring;

  BaseRecord() {}

  BaseRecord(BaseInfo info, int handle, int refCount) {
    this(info, handle, refCount, false);
  }

  private BaseRecord(BaseInfo info, int handle, int refCount, boolean retiring) {
    this.info = info;
    this.handle = handle;
    this.refCount = refCount;
    this.retiring = retiring;
  }

  BaseInfo info() { return info; }
  int handle() { return handle; }
  int refCount() { return refCount; }
  boolean retiring() { return retiring; }

  BaseRecord withRefCount(int count) {
    return new BaseRecord(info, handle, count, retiring);
  }

  BaseRecord asRetiring() {
    return new BaseRecord(info, handle, refCount, true);
  }

  @Override
  public int getFactoryId() { return RegistrySerialization.FACTORY_ID; }

  @Override
  public int getClassId() { return RegistrySerialization.BASE_RECORD; }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(info.baseId());
    out.writeString(info.nodeId());
    out.writeString(info.namespace());
    out.writeString(info.function());
    out.writeString(info.runtime());
    out.writeInt(handle);
    out.writeInt(refCount);
    out.writeBoolean(retiring);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    info = new BaseInfo(in.readString(), in.readString(), in.readString(), in.readString(), in.readString());
    handle = in.readInt();
    refCount = in.readInt();
    retiring = in.readBoolean();
  }
}
