package io.medes.dedup.select;

import static io.medes.dedup.select.BasePageSelector.NONE;
import static io.medes.dedup.select.BasePageSelector.key;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BasePageSelectorTest {
  // base 0: remote, cost 1; base 1: local, cost 0; base 2: remote, cost 0.5
  private final BasePageSelector selector =
      new BasePageSelector(new boolean[] {false, true, false}, new double[] {1, 0, 0.5});

  @Test
  void mostMatchingFingerprintsWins() {
    long[] keys = {key(1, 5), key(0, 9), key(0, 9), key(0, 9), key(1, 5)};
    assertThat(selector.choose(keys, keys.length, NONE, 0)).isEqualTo(key(0, 9));
  }

  @Test
  void tiesGoToTheSameNodeThenToTheCheaperFetch() {
    long[] keys = {key(0, 1), key(2, 1), key(1, 8)};
    assertThat(selector.choose(keys, 3, NONE, 0)).isEqualTo(key(1, 8));
    long[] remoteOnly = {key(0, 1), key(2, 1)};
    assertThat(selector.choose(remoteOnly, 2, NONE, 0)).isEqualTo(key(2, 1));
  }

  @Test
  void preferredCandidateWinsTiesAndCompetesWithItsOwnCount() {
    long[] keys = {key(1, 3), key(1, 4)};
    assertThat(selector.choose(keys, 2, key(1, 4), 0)).isEqualTo(key(1, 4));
    long[] more = {key(1, 3), key(1, 3)};
    assertThat(selector.choose(more, 2, key(1, 4), 1)).isEqualTo(key(1, 3));
    assertThat(selector.choose(more.clone(), 2, key(1, 4), 3)).isEqualTo(key(1, 4));
  }

  @Test
  void noCandidatesMeansNoneUnlessPreferred() {
    assertThat(selector.choose(new long[0], 0, NONE, 0)).isEqualTo(NONE);
    assertThat(selector.choose(new long[0], 0, key(1, 2), 0)).isEqualTo(key(1, 2));
  }

  @Test
  void fullTiesAreDeterministic() {
    long[] a = {key(1, 9), key(1, 2)};
    long[] b = {key(1, 2), key(1, 9)};
    assertThat(selector.choose(a, 2, NONE, 0)).isEqualTo(selector.choose(b, 2, NONE, 0)).isEqualTo(key(1, 2));
  }
}
