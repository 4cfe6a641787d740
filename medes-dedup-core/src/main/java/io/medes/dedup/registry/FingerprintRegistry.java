package io.medes.dedup.registry;

import java.util.List;
import java.util.Optional;

/**
 * The cluster-wide table from sampled page fingerprints to the base pages that carry them.
 *
 * <p>Rules every implementation keeps:
 * <ol>
 *   <li>Only base sandboxes register pages; deduplicated sandboxes only look up.
 *   <li>{@link #lookup} is batched: one call answers many fingerprints, in query order.
 *   <li>A base is referenced by the dedup images that use its pages; {@link #retain}/{@link #release}
 *       count them. {@link #retireBase} removes the base and every fingerprint entry it registered, so
 *       lookups never return pages of a retired base. Whether a base with references may be retired is
 *       the caller's decision (the policy); the registry reports the count.
 *   <li>Zero pages are never registered (they are recognised without a lookup).
 * </ol>
 */
public interface FingerprintRegistry extends AutoCloseable {

  /**
   * Registers a base and its pages: {@code fingerprintsPerPage[i]} are the sampled fingerprints of page
   * {@code i} of the base's pages image (possibly none). Registering an already registered base id
   * replaces its previous entries (and its {@link BaseInfo}); its reference count is kept.
   *
   * @throws IllegalArgumentException if a row of {@code fingerprintsPerPage} is null
   */
  void registerBase(BaseInfo base, long[][] fingerprintsPerPage);

  /**
   * For each fingerprint, in query order, the base pages registered under it whose base {@code scope}
   * admits for {@code requester}. Never null; an unknown fingerprint yields an empty list. Within one
   * fingerprint, pages come in registration order (oldest first).
   */
  List<List<BasePageRef>> lookup(long[] fingerprints, BaseInfo requester, SharingScope scope);

  /** The registered base with this id, if any. */
  Optional<BaseInfo> base(String baseId);

  /**
   * Records one more dedup image referencing {@code baseId}; returns the new count.
   *
   * @throws UnknownBaseException if the base is not registered (e.g. retired meanwhile): the caller must
   *     not build a dedup image on it
   */
  int retain(String baseId);

  /**
   * Records one dedup image fewer referencing {@code baseId}; returns the new count (never below 0).
   * Releasing an unknown or retired base is harmless and returns 0.
   */
  int release(String baseId);

  /** The number of dedup images currently referencing {@code baseId} (0 for unknown bases). */
  int referenceCount(String baseId);

  /** Removes the base and all of its fingerprint entries. Returns false if it was not registered. */
  boolean retireBase(String baseId);

  @Override
  void close();
}
