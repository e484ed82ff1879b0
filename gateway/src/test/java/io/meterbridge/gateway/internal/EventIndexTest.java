package io.meterbridge.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventIndexTest {
  static final long DAY = 86_400_000L;

  @Test
  void candidates_findEveryAddedKey_acrossGrowthAndSegments() {
    EventIndex index = new EventIndex();
    SplittableRandom random = new SplittableRandom(1);
    long[] keys = new long[50_000];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = random.nextLong();
      index.add(keys[i], i + 1, (i < 25_000 ? 0 : DAY) + i);
    }

    for (int i = 0; i < keys.length; i++) {
      assertThat(index.candidates(keys[i])).contains((long) i + 1);
    }
    assertThat(index.candidates(random.nextLong())).isEmpty();
    assertThat(index.size()).isEqualTo(50_000);
  }

  @Test
  void zeroKey_andSharedKeyHalves_areAllFound() {
    EventIndex index = new EventIndex();
    index.add(0, 1, 0);
    index.add(42, 2, 0);
    index.add(42, 3, 0);

    assertThat(index.candidates(0)).containsExactly(1L);
    assertThat(index.candidates(42)).containsExactlyInAnyOrder(2L, 3L);
  }

  @Test
  void dropReceivedBefore_forgetsWholeOldSegmentsOnly() {
    EventIndex index = new EventIndex();
    index.add(7, 1, 10);            // day 0
    index.add(8, 2, DAY + 10);      // day 1
    index.add(9, 3, 2 * DAY + 10);  // day 2, the current segment

    index.dropReceivedBefore(DAY + 5);

    assertThat(index.candidates(7)).isEmpty();
    assertThat(index.candidates(8)).containsExactly(2L);
    assertThat(index.candidates(9)).containsExactly(3L);
    assertThat(index.size()).isEqualTo(2);
  }
}
