package io.medes.dedup.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.medes.dedup.SyntheticDumps;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PatchCodecTest {
  private static final int PAGE = 4096;

  /** A base page of text-like data and a target with a few scattered changes. */
  private static byte[] similarPair(long seed, byte[] base) {
    textPage(base, seed);
    byte[] target = base.clone();
    Random r = new Random(seed);
    for (int i = 0; i < 12; i++) target[r.nextInt(PAGE)] ^= (byte) (1 + r.nextInt(255));
    return target;
  }

  private static void textPage(byte[] page, long seed) {
    String[] words = {"a warm sandbox keeps its memory; ", "dedup stores a patch against a base page; ",
        "restore rebuilds every page bit-exact; ", "a cold start boots the runtime again; "};
    Random r = new Random(seed);
    int i = 0;
    while (i < PAGE) {
      for (char c : words[r.nextInt(words.length)].toCharArray()) {
        if (i < PAGE) page[i++] = (byte) c;
      }
    }
  }

  @ParameterizedTest
  @EnumSource(PatchCodecKind.class)
  void deltaAgainstSimilarBaseRoundTripsAndIsSmall(PatchCodecKind kind) throws Exception {
    byte[] base = new byte[PAGE];
    byte[] target = similarPair(1, base);
    try (PatchCodec codec = kind.newCodec(kind.defaultLevel())) {
      byte[] patch = new byte[2 * PAGE];
      int n = codec.encode(target, 0, base, 0, patch, 0, 2 * PAGE);
      assertThat(n).isPositive().isLessThan(PAGE);
      byte[] out = new byte[PAGE + 10];
      codec.decode(patch, 0, n, base, 0, out, 10);
      assertThat(Arrays.copyOfRange(out, 10, PAGE + 10)).isEqualTo(target);
    }
  }

  @ParameterizedTest
  @EnumSource(PatchCodecKind.class)
  void worksAtOffsetsInsideLargerArrays(PatchCodecKind kind) throws Exception {
    byte[] pages = SyntheticDumps.randomPages(3, 2);
    System.arraycopy(pages, 0, pages, 2 * PAGE, 2000); // target page 2 shares 2000 bytes with base page 0
    try (PatchCodec codec = kind.newCodec(kind.defaultLevel())) {
      byte[] patch = new byte[3 * PAGE];
      int n = codec.encode(pages, 2 * PAGE, pages, 0, patch, 5, 2 * PAGE);
      assertThat(n).isPositive();
      byte[] out = new byte[PAGE];
      codec.decode(patch, 5, n, pages, 0, out, 0);
      assertThat(out).isEqualTo(Arrays.copyOfRange(pages, 2 * PAGE, 3 * PAGE));
    }
  }

  @ParameterizedTest
  @EnumSource(PatchCodecKind.class)
  void compressAloneRoundTrips(PatchCodecKind kind) throws Exception {
    byte[] page = new byte[PAGE];
    textPage(page, 3);
    try (PatchCodec codec = kind.newCodec(kind.defaultLevel())) {
      byte[] data = new byte[2 * PAGE];
      int n = codec.compress(page, 0, data, 0, 2 * PAGE);
      assertThat(n).isPositive().isLessThan(PAGE);
      byte[] out = new byte[PAGE];
      codec.decompress(data, 0, n, out, 0);
      assertThat(out).isEqualTo(page);
    }
  }

  @ParameterizedTest
  @EnumSource(PatchCodecKind.class)
  void respectsTheLengthLimit(PatchCodecKind kind) {
    byte[] random = SyntheticDumps.randomPages(2, 4);
    try (PatchCodec codec = kind.newCodec(kind.defaultLevel())) {
      byte[] out = new byte[3 * PAGE];
      assertThat(codec.encode(random, 0, random, PAGE, out, 0, 100)).isEqualTo(-1);
      assertThat(codec.compress(random, 0, out, 0, PAGE - 1)).isEqualTo(-1);
    }
  }

  @ParameterizedTest
  @EnumSource(PatchCodecKind.class)
  void garbageDoesNotDecodeToAPage(PatchCodecKind kind) {
    byte[] base = new byte[PAGE];
    byte[] target = similarPair(5, base);
    try (PatchCodec codec = kind.newCodec(kind.defaultLevel())) {
      byte[] patch = new byte[2 * PAGE];
      int n = codec.encode(target, 0, base, 0, patch, 0, 2 * PAGE);
      byte[] out = new byte[PAGE];
      // A truncated patch never yields a full page.
      assertThatThrownBy(() -> codec.decode(patch, 0, n / 2, base, 0, out, 0)).isInstanceOf(CorruptPatchException.class);
      byte[] noise = new byte[64];
      new Random(6).nextBytes(noise);
      assertThatThrownBy(() -> codec.decompress(noise, 0, noise.length, out, 0)).isInstanceOf(CorruptPatchException.class);
    }
  }

  @org.junit.jupiter.api.Test
  void zstdPrefixRefusesBasesThatZstdWouldParseAsTrainedDictionaries() {
    byte[] base = SyntheticDumps.randomPages(1, 7);
    base[0] = 0x37;
    base[1] = (byte) 0xA4;
    base[2] = 0x30;
    base[3] = (byte) 0xEC;
    try (PatchCodec codec = PatchCodecKind.ZSTD_PREFIX.newCodec(3)) {
      assertThat(codec.encode(base.clone(), 0, base, 0, new byte[2 * PAGE], 0, 2 * PAGE)).isEqualTo(-1);
    }
  }

  @org.junit.jupiter.api.Test
  void sub64TurnsPointersMovedByAslrIntoATinyPatch() {
    byte[] base = new byte[PAGE];
    byte[] target = new byte[PAGE];
    SyntheticDumps.heapPage(base, 0, 0x55d3_4a21_0000L, 8);
    SyntheticDumps.heapPage(target, 0, 0x5617_9be0_0000L, 8);
    try (PatchCodec sub64 = PatchCodecKind.SUB64_ZSTD.newCodec(3)) {
      assertThat(sub64.encode(target, 0, base, 0, new byte[2 * PAGE], 0, 2 * PAGE)).isLessThan(64);
    }
  }

  @org.junit.jupiter.api.Test
  void autoPicksWordDeltasForMovedPointersAndMatchingForShiftedContent() throws Exception {
    byte[] base = new byte[PAGE];
    byte[] moved = new byte[PAGE];
    SyntheticDumps.heapPage(base, 0, 0x55d3_4a21_0000L, 9);
    SyntheticDumps.heapPage(moved, 0, 0x5617_9be0_0000L, 9);
    byte[] text = new byte[PAGE];
    textPage(text, 10);
    byte[] shifted = new byte[PAGE];
    System.arraycopy(text, 0, shifted, 13, PAGE - 13);
    try (PatchCodec auto = PatchCodecKind.AUTO.newCodec(3); PatchCodec sub64 = PatchCodecKind.SUB64_ZSTD.newCodec(3);
        PatchCodec prefix = PatchCodecKind.ZSTD_PREFIX.newCodec(3)) {
      byte[] patch = new byte[2 * PAGE];
      byte[] scratch = new byte[2 * PAGE];
      int n = auto.encode(moved, 0, base, 0, patch, 0, 2 * PAGE);
      assertThat(patch[0]).isEqualTo((byte) AutoCodec.TAG_SUB64);
      assertThat(n).isEqualTo(1 + sub64.encode(moved, 0, base, 0, scratch, 0, 2 * PAGE));
      assertThat(auto.decisiveMatch(moved, 0, base, 0)).isTrue();
      byte[] out = new byte[PAGE];
      auto.decode(patch, 0, n, base, 0, out, 0);
      assertThat(out).isEqualTo(moved);

      n = auto.encode(shifted, 0, text, 0, patch, 0, 2 * PAGE);
      assertThat(patch[0]).isEqualTo((byte) AutoCodec.TAG_PREFIX);
      assertThat(n).isEqualTo(1 + prefix.encode(shifted, 0, text, 0, scratch, 0, 2 * PAGE));
      assertThat(auto.decisiveMatch(shifted, 0, text, 0)).isFalse();
      auto.decode(patch, 0, n, text, 0, out, 0);
      assertThat(out).isEqualTo(shifted);
    }
  }

  @org.junit.jupiter.api.Test
  void namesAndIdsAreStable() {
    assertThat(PatchCodecKind.byName("zstd-prefix")).isSameAs(PatchCodecKind.ZSTD_PREFIX);
    assertThat(PatchCodecKind.byId(5)).isSameAs(PatchCodecKind.SUB64_ZSTD);
    assertThatThrownBy(() -> PatchCodecKind.byName("xdelta")).hasMessageContaining("known: zstd-prefix");
  }
}
