package io.medes.dedup.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PackedPageRefsTest {
  @Test
  void packsHandlesAndPagesOverTheirWholeRange() {
    long ref = PackedPageRefs.pack(-7, Integer.MAX_VALUE);
    assertThat(PackedPageRefs.handle(ref)).isEqualTo(-7);
    assertThat(PackedPageRefs.pageIndex(ref)).isEqualTo(Integer.MAX_VALUE);
    assertThat(PackedPageRefs.handle(PackedPageRefs.pack(3, 0))).isEqualTo(3);
    assertThatThrownBy(() -> PackedPageRefs.pack(1, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void appendIgnoresDuplicatesAndGrowsUpToTheCap() {
    long a = PackedPageRefs.pack(1, 0);
    long b = PackedPageRefs.pack(2, 0);
    long[] bucket = PackedPageRefs.append(null, a, 2);
    assertThat(PackedPageRefs.append(bucket, a, 2)).isSameAs(bucket);
    assertThat(PackedPageRefs.append(bucket, b, 2)).containsExactly(a, b);
  }

  @Test
  void fullBucketEvictsTheOldestRefOfTheBusiestBase() {
    long[] bucket = {PackedPageRefs.pack(1, 0), PackedPageRefs.pack(2, 0), PackedPageRefs.pack(2, 1)};
    long newcomer = PackedPageRefs.pack(3, 0);

    assertThat(PackedPageRefs.append(bucket, newcomer, 3))
        .containsExactly(PackedPageRefs.pack(1, 0), PackedPageRefs.pack(2, 1), newcomer);
    // base 2 already holds the most refs: its new page is dropped instead
    assertThat(PackedPageRefs.append(bucket, PackedPageRefs.pack(2, 5), 3)).isSameAs(bucket);
  }

  @Test
  void bucketOverALoweredCapIsTrimmedToItsNewestRefs() {
    long[] bucket = {PackedPageRefs.pack(1, 0), PackedPageRefs.pack(2, 0), PackedPageRefs.pack(3, 0)};
    long[] result = PackedPageRefs.append(bucket, PackedPageRefs.pack(4, 0), 2);
    assertThat(result).containsExactly(PackedPageRefs.pack(3, 0), PackedPageRefs.pack(4, 0));
  }

  @Test
  void stripRemovesOneBaseAndEmptiesToNull() {
    long[] bucket = {PackedPageRefs.pack(1, 0), PackedPageRefs.pack(2, 4), PackedPageRefs.pack(1, 9)};
    assertThat(PackedPageRefs.strip(bucket, 1)).containsExactly(PackedPageRefs.pack(2, 4));
    assertThat(PackedPageRefs.strip(bucket, 7)).isSameAs(bucket);
    assertThat(PackedPageRefs.strip(new long[] {PackedPageRefs.pack(5, 1)}, 5)).isNull();
    assertThat(PackedPageRefs.strip(null, 5)).isNull();
  }

  @Test
  void groupCollectsDistinctFingerprintsWithPagesInOrder() {
    PackedPageRefs.Grouped grouped = PackedPageRefs.group(4, new long[][] {{30, 10}, {}, {10, 10, 20}, {30}});

    assertThat(grouped.fingerprints()).containsExactly(10, 20, 30);
    assertThat(grouped.refsOf(0)).containsExactly(PackedPageRefs.pack(4, 0), PackedPageRefs.pack(4, 2));
    assertThat(grouped.refsOf(1)).containsExactly(PackedPageRefs.pack(4, 2));
    assertThat(grouped.refsOf(2)).containsExactly(PackedPageRefs.pack(4, 0), PackedPageRefs.pack(4, 3));
    assertThat(grouped.refsOf(3)).isEmpty();
  }

  @Test
  void capOutsideItsRangeIsRejected() {
    assertThatThrownBy(() -> PackedPageRefs.append(null, 1, 0)).hasMessageContaining("[1, 4096]");
    assertThatThrownBy(() -> new RegistrySettings(PackedPageRefs.MAX_CAP + 1)).hasMessageContaining("4097");
  }
}
