package io.medes.loadbalancer.policy;

import static io.medes.loadbalancer.TestClusters.MB;
import static io.medes.loadbalancer.TestClusters.cluster;
import static io.medes.loadbalancer.TestClusters.idleSandbox;
import static org.assertj.core.api.Assertions.assertThat;

import io.medes.loadbalancer.state.ClusterState;
import io.medes.loadbalancer.state.Sandbox;
import org.junit.jupiter.api.Test;

class FixedKeepAlivePolicyTest {
  private final FixedKeepAlivePolicy policy = new FixedKeepAlivePolicy(PolicySettings.defaults().fixed());

  @Test
  void keepsForTenMinutesThenPurges() {
    ClusterState state = cluster(1, 1000);
    Sandbox s = idleSandbox(state, 0, 0, 0, 2_400);
    // idle since 2,400 ms; keep-alive 600,000 ms -> expires at 602,400
    Decision first = policy.decide(state, s, 2_400);
    assertThat(first.action()).isEqualTo(Decision.Action.KEEP);
    assertThat(first.nextDecisionAt()).isEqualTo(602_400);
    assertThat(policy.decide(state, s, 602_399).action()).isEqualTo(Decision.Action.KEEP);
    assertThat(policy.decide(state, s, 602_400).action()).isEqualTo(Decision.Action.PURGE);
  }

  @Test
  void evictsLeastRecentlyUsedFirstAndOnlyAsMuchAsNeeded() {
    ClusterState state = cluster(3, 350);
    Sandbox oldest = idleSandbox(state, 0, 0, 0, 3_000);
    Sandbox middle = idleSandbox(state, 1, 0, 0, 4_000);
    idleSandbox(state, 2, 0, 0, 5_000);
    // 300 of 350 MB used: 50 free. Need 100 or 150 -> evict one (the oldest); need 151 -> the two oldest.
    assertThat(policy.evict(state, 0, 100 * MB, null, 6_000).victims()).containsExactly(oldest);
    assertThat(policy.evict(state, 0, 150 * MB, null, 6_000).victims()).containsExactly(oldest);
    assertThat(policy.evict(state, 0, 151 * MB, null, 6_000).victims()).containsExactly(oldest, middle);
    assertThat(policy.evict(state, 0, 40 * MB, null, 6_000).isEmpty()).isTrue();
    // 350 + 1 MB can never be freed
    assertThat(policy.evict(state, 0, 351 * MB, null, 6_000)).isNull();
  }
}
