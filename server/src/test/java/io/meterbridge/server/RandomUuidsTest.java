package io.meterbridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class RandomUuidsTest {
  @Test
  void next_isARandomVersion4Uuid() {
    UUID id = UUID.fromString(RandomUuids.next());

    assertThat(id.version()).isEqualTo(4);
    assertThat(id.variant()).isEqualTo(2);
  }

  @Test
  void requestId_isVersion4ShapedAndLeadsWithTheTime() {
    long before = System.currentTimeMillis();
    UUID first = UUID.fromString(RandomUuids.requestId());
    UUID second = UUID.fromString(RandomUuids.requestId());
    long after = System.currentTimeMillis();

    assertThat(first.version()).isEqualTo(4);
    assertThat(first.variant()).isEqualTo(2);
    assertThat(first.getMostSignificantBits() >>> 16).isBetween(before, after);
    assertThat(first.toString().substring(0, 13).compareTo(second.toString().substring(0, 13)))
        .as("ids sort by time").isLessThanOrEqualTo(0);
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void next_fromSeveralThreads_neverRepeats() throws InterruptedException {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 50_000; i++) {
          ids.add(RandomUuids.next());
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(ids).hasSize(200_000);
  }
}
