package io.medes.dedup.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link FingerprintRegistry} in this JVM only: for a single node, the simulator and tests.
 *
 * <p>Thread-safe. Lookups take no lock: buckets are immutable {@link PackedPageRefs} arrays swapped
 * atomically per fingerprint. Registrations and retirements are serialized among themselves; reference
 * counts are updated atomically per base and may run concurrently with everything else. A lookup that
 * races a retirement may still see some of the retiring base's pages; once {@link #retireBase} has
 * returned, no lookup returns them.
 */
public final class InMemoryFingerprintRegistry implements FingerprintRegistry {
  private final int maxPagesPerFingerprint;
  private final ConcurrentHashMap<Long, long[]> buckets = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, BaseInfo> basesByHandle = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, BaseState> bases = new ConcurrentHashMap<>();
  private final Object structureLock = new Object();
  /** The last handle given out; handles are never reused. Guarded by {@link #structureLock}. */
  private long lastHandle;
  private volatile boolean closed;

  public InMemoryFingerprintRegistry(RegistrySettings settings) {
    this.maxPagesPerFingerprint = Objects.requireNonNull(settings, "settings").maxPagesPerFingerprint();
  }

  @Override
  public void registerBase(BaseInfo base, long[][] fingerprintsPerPage) {
    Objects.requireNonNull(base, "base");
    ensureOpen();
    synchronized (structureLock) {
      int handle = nextHandle();
      PackedPageRefs.Grouped grouped = PackedPageRefs.group(handle, fingerprintsPerPage);
      BaseState old = bases.get(base.baseId());
      if (old != null) {
        strip(old);
      }
      basesByHandle.put(handle, base);
      // compute keeps a reference count that a concurrent retain/release changed meanwhile.
      bases.compute(base.baseId(),
          (id, current) -> new BaseState(base, handle, current == null ? 0 : current.refCount, grouped.fingerprints()));
      long[] fingerprints = grouped.fingerprints();
      for (int i = 0; i < fingerprints.length; i++) {
        long[] refs = grouped.refsOf(i);
        buckets.compute(fingerprints[i], (fp, bucket) -> {
          long[] result = bucket;
          for (long ref : refs) {
            result = PackedPageRefs.append(result, ref, maxPagesPerFingerprint);
          }
          return result;
        });
      }
    }
  }

  @Override
  public List<List<BasePageRef>> lookup(long[] fingerprints, BaseInfo requester, SharingScope scope) {
    Objects.requireNonNull(fingerprints, "fingerprints");
    Objects.requireNonNull(requester, "requester");
    Objects.requireNonNull(scope, "scope");
    ensureOpen();
    List<List<BasePageRef>> result = new ArrayList<>(fingerprints.length);
    for (long fp : fingerprints) {
      result.add(PackedPageRefs.decode(buckets.get(fp), basesByHandle::get, requester, scope));
    }
    return Collections.unmodifiableList(result);
  }

  @Override
  public Optional<BaseInfo> base(String baseId) {
    Objects.requireNonNull(baseId, "baseId");
    ensureOpen();
    BaseState state = bases.get(baseId);
    return state == null ? Optional.empty() : Optional.of(state.info);
  }

  @Override
  public int retain(String baseId) {
    Objects.requireNonNull(baseId, "baseId");
    ensureOpen();
    BaseState updated = bases.computeIfPresent(baseId, (id, s) -> s.withRefCount(Math.addExact(s.refCount, 1)));
    if (updated == null) {
      throw new UnknownBaseException(baseId);
    }
    return updated.refCount;
  }

  @Override
  public int release(String baseId) {
    Objects.requireNonNull(baseId, "baseId");
    ensureOpen();
    BaseState updated = bases.computeIfPresent(baseId, (id, s) -> s.withRefCount(Math.max(0, s.refCount - 1)));
    return updated == null ? 0 : updated.refCount;
  }

  @Override
  public int referenceCount(String baseId) {
    Objects.requireNonNull(baseId, "baseId");
    ensureOpen();
    BaseState state = bases.get(baseId);
    return state == null ? 0 : state.refCount;
  }

  @Override
  public boolean retireBase(String baseId) {
    Objects.requireNonNull(baseId, "baseId");
    ensureOpen();
    synchronized (structureLock) {
      BaseState removed = bases.remove(baseId);
      if (removed == null) {
        return false;
      }
      strip(removed);
      return true;
    }
  }

  /** The number of fingerprints with at least one entry (for tests and metrics). */
  public int fingerprintCount() {
    return buckets.size();
  }

  @Override
  public void close() {
    closed = true;
    buckets.clear();
    basesByHandle.clear();
    bases.clear();
  }

  private void strip(BaseState state) {
    for (long fp : state.fingerprints) {
      buckets.computeIfPresent(fp, (key, bucket) -> PackedPageRefs.strip(bucket, state.handle));
    }
    basesByHandle.remove(state.handle);
  }

  private int nextHandle() {
    if (lastHandle == 0xFFFF_FFFFL) {
      throw new IllegalStateException("registry ran out of base handles (2^32 registrations)");
    }
    lastHandle++;
    return (int) lastHandle;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("fingerprint registry is closed");
    }
  }

  /** Immutable per-base state; replaced as a whole on every change. */
  private static final class BaseState {
    final BaseInfo info;
    final int handle;
    final int refCount;
    final long[] fingerprints;

    BaseState(BaseInfo info, int handle, int refCount, long[] fingerprints) {
      this.info = info;
      this.handle = handle;
      this.refCount = refCount;
      this.fingerprints = fingerprints;
    }

    BaseState withRefCount(int count) {
      return new BaseState(info, handle, count, fingerprints);
    }
  }
}
