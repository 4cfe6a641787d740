package io.medes.dedup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecycledPagesFilesTest {
  @TempDir Path tmp;

  private Path file(String name, int bytes, int fill) throws IOException {
    byte[] content = new byte[bytes];
    Arrays.fill(content, (byte) fill);
    return Files.write(tmp.resolve(name), content);
  }

  @Test
  void keptFileIsTakenAtTheRequestedSize() throws Exception {
    RecycledPagesFiles recycled = new RecycledPagesFiles(tmp.resolve("kept"), 1 << 20);
    Path used = file("pages-1.img", 8192, 7);
    recycled.recycle(used);
    assertThat(used).doesNotExist();
    assertThat(recycled.keptBytes()).isEqualTo(8192);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("kept")))).isEqualTo("rwx------");

    Path target = tmp.resolve("out.partial");
    assertThat(recycled.takeInto(target, 4096)).isTrue();
    assertThat(Files.size(target)).isEqualTo(4096);
    assertThat(recycled.keptBytes()).isZero();
    assertThat(recycled.takeInto(tmp.resolve("another"), 4096)).as("nothing left").isFalse();
    assertThat(tmp.resolve("another")).doesNotExist();
  }

  @Test
  void smallerKeptFileIsExtended() throws Exception {
    RecycledPagesFiles recycled = new RecycledPagesFiles(tmp.resolve("kept"), 1 << 20);
    recycled.recycle(file("pages-1.img", 4096, 1));
    Path target = tmp.resolve("out");
    assertThat(recycled.takeInto(target, 3 * 4096)).isTrue();
    assertThat(Files.size(target)).isEqualTo(3 * 4096);
  }

  @Test
  void bestFitIsTheSmallestLargeEnoughFileElseTheLargest() throws Exception {
    RecycledPagesFiles recycled = new RecycledPagesFiles(tmp.resolve("kept"), 1 << 20);
    recycled.recycle(file("a", 4 * 4096, 'a'));
    recycled.recycle(file("b", 2 * 4096, 'b'));
    recycled.recycle(file("c", 8 * 4096, 'c'));
    Path target = tmp.resolve("out");
    assertThat(recycled.takeInto(target, 3 * 4096)).isTrue();
    assertThat(Files.readAllBytes(target)[0]).as("the 4-page file").isEqualTo((byte) 'a');
    assertThat(recycled.keptBytes()).isEqualTo(10 * 4096);

    Path larger = tmp.resolve("out2");
    assertThat(recycled.takeInto(larger, 100 * 4096)).isTrue();
    assertThat(Files.readAllBytes(larger)[0]).as("none fits: the largest").isEqualTo((byte) 'c');
    assertThat(Files.size(larger)).isEqualTo(100 * 4096);
  }

  @Test
  void filesBeyondTheCapacityAreDeleted() throws Exception {
    RecycledPagesFiles recycled = new RecycledPagesFiles(tmp.resolve("kept"), 3 * 4096);
    recycled.recycle(file("a", 2 * 4096, 1));
    Path tooMany = file("b", 2 * 4096, 2);
    recycled.recycle(tooMany);
    assertThat(tooMany).doesNotExist();
    assertThat(recycled.keptFiles()).isEqualTo(1);
    assertThat(recycled.keptBytes()).isEqualTo(2 * 4096);
  }

  @Test
  void noneKeepsNothing() throws Exception {
    Path used = file("pages-1.img", 4096, 1);
    RecycledPagesFiles.none().recycle(used);
    assertThat(used).doesNotExist();
    assertThat(RecycledPagesFiles.none().takeInto(tmp.resolve("out"), 4096)).isFalse();
    assertThat(RecycledPagesFiles.none().keptBytes()).isZero();
  }

  @Test
  void missingFilesAreIgnoredAndEmptyOnesNotKept() throws Exception {
    RecycledPagesFiles recycled = new RecycledPagesFiles(tmp.resolve("kept"), 1 << 20);
    recycled.recycle(tmp.resolve("gone"));
    Path empty = file("empty", 0, 0);
    recycled.recycle(empty);
    assertThat(empty).doesNotExist();
    assertThat(recycled.keptFiles()).isZero();
    assertThat(recycled.takeInto(tmp.resolve("out"), 0)).isFalse();
  }

  @Test
  void filesLeftByAnEarlierProcessAreDeletedAndCloseFreesEverything() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("kept"));
    Path stale = Files.write(dir.resolve("pages-9.kept"), new byte[4096]);
    RecycledPagesFiles recycled = new RecycledPagesFiles(dir, 1 << 20);
    recycled.recycle(file("pages-1.img", 4096, 1));
    assertThat(stale).doesNotExist();
    assertThat(recycled.keptFiles()).isEqualTo(1);
    recycled.close();
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
    assertThat(recycled.keptBytes()).isZero();
  }

  @Test
  void aFileRemovedUnderTheKeeperIsNotTaken() throws Exception {
    Path dir = tmp.resolve("kept");
    RecycledPagesFiles recycled = new RecycledPagesFiles(dir, 1 << 20);
    recycled.recycle(file("pages-1.img", 4096, 1));
    try (Stream<Path> kept = Files.list(dir)) {
      for (Path p : (Iterable<Path>) kept::iterator) Files.delete(p);
    }
    assertThat(recycled.takeInto(tmp.resolve("out"), 4096)).isFalse();
    assertThat(tmp.resolve("out")).doesNotExist();
    assertThat(recycled.keptBytes()).isZero();
  }

  @Test
  void badCapacitiesAreRejected() {
    assertThatThrownBy(() -> new RecycledPagesFiles(tmp, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RecycledPagesFiles(null, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
