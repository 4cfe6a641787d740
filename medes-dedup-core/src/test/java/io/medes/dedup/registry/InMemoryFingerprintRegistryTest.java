package io.medes.dedup.registry;

/** Runs the registry contract against the in-memory implementation. */
class InMemoryFingerprintRegistryTest extends FingerprintRegistryContractTest {
  @Override
  protected FingerprintRegistry createRegistry(RegistrySettings settings) {
    return new InMemoryFingerprintRegistry(settings);
  }
}
