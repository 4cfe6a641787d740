package io.medes.registry.hazelcast;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.medes.dedup.registry.PackedPageRefs;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * Adds one base's page references to the buckets of the fingerprints of one partition. One processor
 * carries the data of one partition only, because Hazelcast ships the (backup) processor with every
 * partition operation it runs.
 */
final class AppendRefsProcessor implements EntryProcessor<Long, long[], Void>, IdentifiedDataSerializable {
  private static final long serialVersionUID = 1L;

  private int cap;
  /** Ascending fingerprints. */
  private long[] fingerprints;
  /** refs of fingerprints[i] are refs[starts[i] .. starts[i + 1]). */
  private int[] starts;
  private long[] refs;

  AppendRefsProcessor() {}

  AppendRefsProcessor(int cap, long[] fingerprints, int[] starts, long[] refs) {
    this.cap = cap;
    this.fingerprints = fingerprints;
    this.starts = starts;
    this.refs = refs;
  }

  @Override
  public Void process(Map.Entry<Long, long[]> entry) {
    int i = Arrays.binarySearch(fingerprints, entry.getKey());
    if (i < 0) {
      return null;
    }
    long[] before = entry.getValue();
    long[] bucket = before;
    for (int r = starts[i]; r < starts[i + 1]; r++) {
      bucket = PackedPageRefs.append(bucket, refs[r], cap);
    }
    if (bucket != before) {
      entry.setValue(bucket);
    }
    return null;
  }

  @Override
  public int getFactoryId() { return RegistrySerialization.FACTORY_ID; }

  @Override
  public int getClassId() { return RegistrySerialization.APPEND_REFS; }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(cap);
    out.writeLongArray(fingerprints);
    out.writeIntArray(starts);
    out.writeLongArray(refs);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    cap = in.readInt();
    fingerprints = in.readLongArray();
    starts = in.readIntArray();
    refs = in.readLongArray();
  }
}
