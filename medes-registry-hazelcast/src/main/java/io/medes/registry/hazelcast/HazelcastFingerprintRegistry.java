package io.medes.registry.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.partition.PartitionService;
import io.medes.dedup.registry.BaseInfo;
import io.medes.dedup.registry.BasePageRef;
import io.medes.dedup.registry.FingerprintRegistry;
import io.medes.dedup.registry.PackedPageRefs;
import io.medes.dedup.registry.RegistrySettings;
import io.medes.dedup.registry.SharingScope;
import io.medes.dedup.registry.UnknownBaseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FingerprintRegistry} on a Hazelcast cluster, usable from a member or a client. Maps, all
 * partitioned with the backups of {@link HazelcastRegistryCluster#registryMapConfig}:
 * <ul>
 *   <li>{@code <prefix>.fingerprints}: fingerprint ({@code Long}) → bucket ({@code long[]} of
 *       {@link PackedPageRefs}); the only map on the lookup path, with built-in serializers only.
 *   <li>{@code <prefix>.bases}: base id → {@link BaseRecord} (info, handle, reference count).
 *   <li>{@code <prefix>.handles}: handle → {@link BaseRecord}, to turn bucket entries into base ids.
 *   <li>{@code <prefix>.base-fingerprints}: base id → its distinct fingerprints, so retirement strips
 *       exactly the buckets the base is in instead of scanning the table.
 *   <li>{@code <prefix>.meta}: the handle counter.
 * </ul>
 *
 * <p>Consistency: each bucket and each base record changes atomically on its owning partition (entry
 * processors), so concurrent registrations from different nodes and concurrent retain/release never
 * lose updates. Registering or retiring one base id is serialized cluster-wide by a map lock on the id.
 * A whole registration or retirement is not one transaction: a lookup running meanwhile may see part
 * of the base's pages; after {@link #retireBase} returns, no lookup anywhere returns them.
 *
 * <p>The registry does not own the Hazelcast instance; {@link #close()} leaves it running.
 */
public final class HazelcastFingerprintRegistry implements FingerprintRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(HazelcastFingerprintRegistry.class);
  private static final String HANDLE_COUNTER = "next-handle";
  /** Handles cached per process at most; the cache is a lookup shortcut, dropping it is always safe. */
  private static final int MAX_CACHED_HANDLES = 1 << 16;

  private final HazelcastInstance hazelcast;
  private final int maxPagesPerFingerprint;
  private final Duration operationTimeout;
  private final Duration lockTimeout;
  private final IMap<Long, long[]> fingerprints;
  private final IMap<String, BaseRecord> bases;
  private final IMap<Integer, BaseRecord> handles;
  private final IMap<String, long[]> baseFingerprints;
  private final IMap<String, Long> meta;
  private final ConcurrentHashMap<Integer, BaseInfo> basesByHandle = new ConcurrentHashMap<>();
  private final UUID handleListener;
  private volatile boolean closed;

  /**
   * @param hazelcast a member or client whose config includes {@link RegistrySerialization} (the configs
   *     of {@link HazelcastRegistryCluster} do); members should configure the registry maps' backups
   * @param mapPrefix the prefix of the registry's map names
   */
  public HazelcastFingerprintRegistry(HazelcastInstance hazelcast, RegistrySettings settings, String mapPrefix,
      Duration operationTimeout, Duration lockTimeout) {
    this.hazelcast = Objects.requireNonNull(hazelcast, "hazelcast");
    this.maxPagesPerFingerprint = Objects.requireNonNull(settings, "settings").maxPagesPerFingerprint();
    this.operationTimeout = Objects.requireNonNull(operationTimeout, "operationTimeout");
    this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
    Objects.requireNonNull(mapPrefix, "mapPrefix");
    this.fingerprints = hazelcast.getMap(mapPrefix + ".fingerprints");
    this.bases = hazelcast.getMap(mapPrefix + ".bases");
    this.handles = hazelcast.getMap(mapPrefix + ".handles");
    this.baseFingerprints = hazelcast.getMap(mapPrefix + ".base-fingerprints");
    this.meta = hazelcast.getMap(mapPrefix + ".meta");
    warnWithoutBackups(fingerprints.getName());
    this.handleListener = handles.addEntryListener(
        (EntryRemovedListener<Integer, BaseRecord>) event -> basesByHandle.remove(event.getKey()), false);
  }

  /** A registry with the map prefix and timeouts of {@code hazelcastSettings}. */
  public HazelcastFingerprintRegistry(HazelcastInstance hazelcast, RegistrySettings settings,
      HazelcastRegistrySettings hazelcastSettings) {
    this(hazelcast, settings, hazelcastSettings.mapPrefix(), hazelcastSettings.operationTimeout(),
        hazelcastSettings.lockTimeout());
  }

  @Override
  public void registerBase(BaseInfo base, long[][] fingerprintsPerPage) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(fingerprintsPerPage, "fingerprintsPerPage");
    for (int page = 0; page < fingerprintsPerPage.length; page++) {
      if (fingerprintsPerPage[page] == null) {
        throw new IllegalArgumentException("fingerprintsPerPage[" + page + "] is null (use an empty array for a page without fingerprints)");
      }
    }
    ensureOpen();
    String baseId = base.baseId();
    lockBase(baseId);
    try {
      BaseRecord previous = bases.get(baseId);
      if (previous != null) {
        stripBase(baseId, previous.handle());
      }
      int handle = (int) (long) meta.executeOnKey(HANDLE_COUNTER, new NextHandleProcessor());
      PackedPageRefs.Grouped grouped = PackedPageRefs.group(handle, fingerprintsPerPage);
      BaseRecord record = new BaseRecord(base, handle, 0);
      // Order matters when this node dies half-way: the handle resolves, and the base record and its
      // fingerprint list name the new handle, before any bucket holds it — so the next retire or register
      // of this id finds and strips every entry that was written.
      handles.set(handle, record);
      bases.executeOnKey(baseId, new InstallBaseProcessor(record));
      baseFingerprints.set(baseId, grouped.fingerprints());
      appendRefs(grouped);
    } finally {
      bases.unlock(baseId);
    }
  }

  @Override
  public List<List<BasePageRef>> lookup(long[] queried, BaseInfo requester, SharingScope scope) {
    Objects.requireNonNull(queried, "fingerprints");
    Objects.requireNonNull(requester, "requester");
    Objects.requireNonNull(scope, "scope");
    ensureOpen();
    if (queried.length == 0) {
      return Collections.emptyList();
    }
    Set<Long> keys = new HashSet<>(queried.length * 2);
    for (long fp : queried) {
      keys.add(fp);
    }
    Map<Long, long[]> buckets = fingerprints.getAll(keys);
    IntFunction<BaseInfo> resolver = resolveHandles(buckets);
    List<List<BasePageRef>> result = new ArrayList<>(queried.length);
    for (long fp : queried) {
      result.add(PackedPageRefs.decode(buckets.get(fp), resolver, requester, scope));
    }
    return Collections.unmodifiableList(result);
  }

  @Override
  public Optional<BaseInfo> base(String baseId) {
    Objects.requireNonNull(baseId, "baseId");
    ensureOpen();
    BaseRecord record = bases.get(baseId);
    return record == null || record.retiring() ? Optional.empty() : Optional.of(record.info());
  }

  @Override
  public int retain(String baseId) {
    Objects.requireNonNull(baseId, "baseId");
    ensureOpen();
    int count = bases.executeOnKey(baseId, new AdjustRefCountProcessor(1));
    if (count == AdjustRefCountProcessor.UNKNOWN_BASE) {
      throw new UnknownBaseException(baseId);
    }
    return count;
  }

  @Override
  public int release(String baseId) {
    Objects.requireNonNull(baseId, "baseId");
    ensureOpen();
    int count = bases.executeOnKey(baseId, new AdjustRefCountProcessor(-1));
    return Math.max(count, 0);
  }

  @Override
  public int referenceCount(String baseId) {
    Objects.requireNonNull(baseId, "baseId");
    ensureOpen();
    BaseRecord record = bases.get(baseId);
    return record == null ? 0 : record.refCount();
  }

  @Override
  public boolean retireBase(String baseId) {
    Objects.requireNonNull(baseId, "baseId");
    ensureOpen();
    lockBase(baseId);
    try {
      // Mark first: from here on no retain succeeds, and if this node dies the mark tells the next
      // retire or register of this id to finish the job.
      BaseRecord record = bases.executeOnKey(baseId, new MarkRetiringProcessor());
      if (record == null) {
        return false;
      }
      stripBase(baseId, record.handle());
      baseFingerprints.delete(baseId);
      bases.delete(baseId);
      return !record.retiring();
    } finally {
      bases.unlock(baseId);
    }
  }

  /** The number of fingerprints with at least one entry, cluster-wide (for tests and metrics). */
  public int fingerprintCount() {
    ensureOpen();
    return fingerprints.size();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    basesByHandle.clear();
    try {
      handles.removeEntryListener(handleListener);
    } catch (RuntimeException e) {
      // The instance may already be shut down; its listeners went with it.
      LOG.debug("could not remove the handle listener", e);
    }
  }

  /** Removes every entry of {@code handle} from the buckets the base registered, then the handle itself. */
  private void stripBase(String baseId, int handle) {
    long[] registered = baseFingerprints.get(baseId);
    if (registered != null && registered.length > 0) {
      Map<Integer, List<Integer>> byPartition = groupByPartition(registered);
      StripBaseProcessor strip = new StripBaseProcessor(handle);
      List<CompletableFuture<?>> pending = new ArrayList<>(byPartition.size());
      for (List<Integer> indexes : byPartition.values()) {
        Set<Long> keys = new HashSet<>(indexes.size() * 2);
        for (int i : indexes) {
          keys.add(registered[i]);
        }
        pending.add(fingerprints.submitToKeys(keys, strip).toCompletableFuture());
      }
      await(pending, "retiring base " + baseId);
    }
    handles.delete(handle);
    basesByHandle.remove(handle);
  }

  /** Sends each partition only its own fingerprints' references, all partitions at once. */
  private void appendRefs(PackedPageRefs.Grouped grouped) {
    long[] fps = grouped.fingerprints();
    if (fps.length == 0) {
      return;
    }
    Map<Integer, List<Integer>> byPartition = groupByPartition(fps);
    List<CompletableFuture<?>> pending = new ArrayList<>(byPartition.size());
    for (List<Integer> indexes : byPartition.values()) {
      // indexes ascend because fps does, so the processor's fingerprints stay sorted for binary search.
      long[] partFps = new long[indexes.size()];
      int[] starts = new int[indexes.size() + 1];
      List<long[]> partRefs = new ArrayList<>(indexes.size());
      Set<Long> keys = new HashSet<>(indexes.size() * 2);
      for (int k = 0; k < indexes.size(); k++) {
        int i = indexes.get(k);
        partFps[k] = fps[i];
        long[] refs = grouped.refsOf(i);
        partRefs.add(refs);
        starts[k + 1] = starts[k] + refs.length;
        keys.add(fps[i]);
      }
      long[] flat = new long[starts[indexes.size()]];
      for (int k = 0; k < partRefs.size(); k++) {
        System.arraycopy(partRefs.get(k), 0, flat, starts[k], partRefs.get(k).length);
      }
      AppendRefsProcessor append = new AppendRefsProcessor(maxPagesPerFingerprint, partFps, starts, flat);
      pending.add(fingerprints.submitToKeys(keys, append).toCompletableFuture());
    }
    await(pending, "registering base pages");
  }

  private Map<Integer, List<Integer>> groupByPartition(long[] keys) {
    PartitionService partitions = hazelcast.getPartitionService();
    Map<Integer, List<Integer>> byPartition = new HashMap<>();
    for (int i = 0; i < keys.length; i++) {
      int partition = partitions.getPartition(keys[i]).getPartitionId();
      byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(i);
    }
    return byPartition;
  }

  /** Base infos for every handle in {@code buckets}; null for handles no longer registered. */
  private IntFunction<BaseInfo> resolveHandles(Map<Long, long[]> buckets) {
    Set<Integer> missing = null;
    for (long[] bucket : buckets.values()) {
      for (long ref : bucket) {
        int handle = PackedPageRefs.handle(ref);
        if (!basesByHandle.containsKey(handle)) {
          if (missing == null) {
            missing = new HashSet<>();
          }
          missing.add(handle);
        }
      }
    }
    if (missing == null) {
      return basesByHandle::get;
    }
    if (basesByHandle.size() + missing.size() > MAX_CACHED_HANDLES) {
      basesByHandle.clear();
    }
    Map<Integer, BaseRecord> fetched = handles.getAll(missing);
    Map<Integer, BaseInfo> fresh = new HashMap<>(fetched.size() * 2);
    for (Map.Entry<Integer, BaseRecord> e : fetched.entrySet()) {
      fresh.put(e.getKey(), e.getValue().info());
      basesByHandle.put(e.getKey(), e.getValue().info());
    }
    // Answer from what was just fetched even if a concurrent removal event already evicted it from the cache.
    return handle -> {
      BaseInfo info = fresh.get(handle);
      return info != null ? info : basesByHandle.get(handle);
    };
  }

  private void lockBase(String baseId) {
    boolean locked;
    try {
      locked = bases.tryLock(baseId, lockTimeout.toMillis(), TimeUnit.MILLISECONDS,
          operationTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the registry lock of base " + baseId, e);
    }
    if (!locked) {
      throw new IllegalStateException("base " + baseId + " is being registered or retired elsewhere; gave up after "
          + lockTimeout);
    }
  }

  private void await(List<CompletableFuture<?>> pending, String what) {
    CompletableFuture<Void> all = CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]));
    try {
      all.get(operationTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + " did not finish within " + operationTimeout, e);
    }
  }

  private void warnWithoutBackups(String mapName) {
    try {
      int backups = hazelcast.getConfig().findMapConfig(mapName).getTotalBackupCount();
      if (backups < 1) {
        LOG.warn("registry map {} has no backups: losing a member loses its share of the fingerprint table", mapName);
      }
    } catch (RuntimeException e) {
      // A client cannot see member configs; the members' configuration decides.
      LOG.debug("cannot check the backups of {} from here", mapName, e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("fingerprint registry is closed");
    }
  }

  @Override
  public String toString() {
    return "HazelcastFingerprintRegistry{" + fingerprints.getName() + ", cap=" + maxPagesPerFingerprint
        + ", members=" + Arrays.toString(hazelcast.getCluster().getMembers().toArray()) + "}";
  }
}
