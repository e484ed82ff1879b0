package io.meterbridge.server.observe;

import io.meterbridge.server.Futures;
import io.meterbridge.server.Health;
import io.meterbridge.server.HealthCheck;
import io.meterbridge.server.store.Store;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The database's health for {@code /health}: {@link Store#ping()} on a thread of its own, with a
 * timeout, its result kept for a second so that however often the server is asked, the database is
 * asked at most once a second. One probe at a time: while one hangs (a database that stopped
 * answering), the last answer, down by then, stands.
 */
public final class DatabaseHealth implements HealthCheck, AutoCloseable {
  private static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Store store;
  private final Duration timeout;
  private final ExecutorService prober = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "meterbridge-health");
    t.setDaemon(true);
    return t;
  });
  private CompletableFuture<Health> last;
  private long lastAt;
  private boolean probing;

  /** @param timeout how long the database may take to answer before it counts as down */
  public DatabaseHealth(Store store, Duration timeout) {
    this.store = store;
    this.timeout = timeout;
  }

  @Override
  public synchronized CompletableFuture<Health> check() {
    long now = System.nanoTime();
    if (last != null && (now - lastAt < FRESH_NANOS || probing)) {
      return last;
    }
    probing = true;
    CompletableFuture<Health> probe = new CompletableFuture<>();
    try {
      prober.execute(() -> {
        try {
          store.ping();
          probe.complete(Health.ok());
        } catch (RuntimeException e) {
          probe.complete(Health.down(Futures.unwrap(e).getMessage()));
        } finally {
          synchronized (this) {
            probing = false;
          }
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      probing = false;
      probe.complete(Health.down("the server is stopping"));
    }
    CompletableFuture<Health> answer = probe.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(h -> h != null ? h
            : Health.down("the database did not answer within " + timeout.toMillis() + " ms"));
    last = answer;
    lastAt = now;
    return answer;
  }

  @Override
  public void close() {
    prober.shutdownNow();
  }

  @Override
  public String toString() {
    return "DatabaseHealth[" + store + "]";
  }

}
