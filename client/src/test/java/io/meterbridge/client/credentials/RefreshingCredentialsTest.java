package io.meterbridge.client.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.AwsCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RefreshingCredentialsTest {

  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);
  private final AtomicInteger fetches = new AtomicInteger();
  private final ExecutorService threads = Executors.newFixedThreadPool(8);

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  private static AwsCredentials expiringAt(String id, Instant expiry) {
    return AwsCredentials.session(id, "secret", "token", expiry);
  }

  private Supplier<AwsCredentials> counting(Supplier<AwsCredentials> fetch) {
    return () -> {
      fetches.incrementAndGet();
      return fetch.get();
    };
  }

  @Test
  void cache_freshCredentials_fetchOnce() {
    RefreshingCredentials cache = new RefreshingCredentials(
        counting(() -> expiringAt("ONE", NOW.plus(Duration.ofHours(1)))), clock);

    for (int i = 0; i < 10; i++) {
      cache.resolveCredentials();
    }

    assertThat(fetches).hasValue(1);
  }

  @Test
  void cache_insideRefreshWindow_refetches() {
    List<AwsCredentials> answers = new ArrayList<>(List.of(
        expiringAt("ONE", NOW.plus(Duration.ofHours(1))),
        expiringAt("TWO", NOW.plus(Duration.ofHours(2)))));
    RefreshingCredentials cache = new RefreshingCredentials(counting(() -> answers.remove(0)), clock);
    cache.resolveCredentials();

    clock.advance(Duration.ofMinutes(55).plusSeconds(1));

    assertThat(cache.resolveCredentials().accessKeyId()).isEqualTo("TWO");
    assertThat(fetches).hasValue(2);
  }

  @Test
  void cache_failedPrefetch_keepsCachedAndWaitsBeforeRetrying() {
    AtomicInteger call = new AtomicInteger();
    RefreshingCredentials cache = new RefreshingCredentials(counting(() -> {
      if (call.getAndIncrement() == 0) {
        return expiringAt("ONE", NOW.plus(Duration.ofHours(1)));
      }
      throw new CredentialsException("endpoint down");
    }), clock);
    cache.resolveCredentials();

    clock.advance(Duration.ofMinutes(57));
    assertThat(cache.resolveCredentials().accessKeyId()).isEqualTo("ONE");
    assertThat(cache.resolveCredentials().accessKeyId()).isEqualTo("ONE");
    assertThat(fetches).as("second call within the retry delay").hasValue(2);

    clock.advance(RefreshingCredentials.RETRY_DELAY);
    cache.resolveCredentials();
    assertThat(fetches).hasValue(3);
  }

  @Test
  void cache_failedRefreshInLastMinute_keepsCachedUntilExpiryWithoutRetryingEveryCall() {
    AtomicInteger call = new AtomicInteger();
    RefreshingCredentials cache = new RefreshingCredentials(counting(() -> {
      if (call.getAndIncrement() == 0) {
        return expiringAt("ONE", NOW.plus(Duration.ofHours(1)));
      }
      throw new CredentialsException("endpoint down");
    }), clock);
    cache.resolveCredentials();

    clock.advance(Duration.ofMinutes(59).plusSeconds(30)); // 30 seconds left: stale
    assertThat(cache.resolveCredentials().accessKeyId()).isEqualTo("ONE");
    assertThat(cache.resolveCredentials().accessKeyId()).isEqualTo("ONE");
    assertThat(fetches).hasValue(2);

    clock.advance(Duration.ofSeconds(31)); // expired
    assertThatThrownBy(cache::resolveCredentials).hasMessage("endpoint down");
  }

  @Test
  void cache_nothingCachedAndFetchFails_throws() {
    RefreshingCredentials cache = new RefreshingCredentials(() -> {
      throw new CredentialsException("endpoint down");
    }, clock);

    assertThatThrownBy(cache::resolveCredentials)
        .isInstanceOf(CredentialsException.class)
        .hasMessage("endpoint down");
  }

  @Test
  void cache_permanentCredentials_areNeverRefetched() {
    RefreshingCredentials cache =
        new RefreshingCredentials(counting(() -> AwsCredentials.of("AKID", "secret")), clock);
    cache.resolveCredentials();

    clock.advance(Duration.ofDays(3650));
    cache.resolveCredentials();

    assertThat(fetches).hasValue(1);
  }

  @Test
  void cache_concurrentCallersInRefreshWindow_oneRefreshesOthersGetCachedWithoutWaiting()
      throws Exception {
    CountDownLatch refreshStarted = new CountDownLatch(1);
    CountDownLatch releaseRefresh = new CountDownLatch(1);
    AtomicInteger call = new AtomicInteger();
    RefreshingCredentials cache = new RefreshingCredentials(counting(() -> {
      if (call.getAndIncrement() == 0) {
        return expiringAt("ONE", NOW.plus(Duration.ofHours(1)));
      }
      refreshStarted.countDown();
      await(releaseRefresh);
      return expiringAt("TWO", NOW.plus(Duration.ofHours(2)));
    }), clock);
    cache.resolveCredentials();
    clock.advance(Duration.ofMinutes(57));

    Future<AwsCredentials> refresher = threads.submit(cache::resolveCredentials);
    assertThat(refreshStarted.await(5, TimeUnit.SECONDS)).isTrue();
    List<Future<AwsCredentials>> others = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      others.add(threads.submit(cache::resolveCredentials));
    }
    for (Future<AwsCredentials> other : others) {
      assertThat(other.get(2, TimeUnit.SECONDS).accessKeyId()).isEqualTo("ONE");
    }
    releaseRefresh.countDown();

    assertThat(refresher.get(5, TimeUnit.SECONDS).accessKeyId()).isEqualTo("TWO");
    assertThat(cache.resolveCredentials().accessKeyId()).isEqualTo("TWO");
    assertThat(fetches).hasValue(2);
  }

  @Test
  void cache_concurrentCallersWithNothingCached_shareOneFetch() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    RefreshingCredentials cache = new RefreshingCredentials(counting(() -> {
      await(release);
      return expiringAt("ONE", NOW.plus(Duration.ofHours(1)));
    }), clock);

    List<Future<AwsCredentials>> callers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      callers.add(threads.submit(cache::resolveCredentials));
    }
    Thread.sleep(100); // let the callers pile up on the lock
    release.countDown();

    for (Future<AwsCredentials> caller : callers) {
      assertThat(caller.get(5, TimeUnit.SECONDS).accessKeyId()).isEqualTo("ONE");
    }
    assertThat(fetches).hasValue(1);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(5, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
