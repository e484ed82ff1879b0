package io.meterbridge.client.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor of clients built without {@code executor(...)}: for their {@code HttpClient} and
 * for the work the async client does off the caller's thread (starting a retry, completing a call
 * after a timeout). One per JVM, created on first use: daemon threads, reused while busy and ended
 * after 30 s idle, so an idle JVM holds none and nothing needs shutting down.
 *
 * <p>Not {@code ForkJoinPool.commonPool()}: with fewer than two CPUs the common pool's parallelism
 * is below 2, and {@code CompletableFuture} then runs every async stage on a new thread.
 */
final class SharedExecutor {
  private SharedExecutor() {}

  private static final class Holder {
    static final Executor INSTANCE = create();
  }

  static Executor get() {
    return Holder.INSTANCE;
  }

  private static Executor create() {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
        new SynchronousQueue<>(), runnable -> {
          Thread t = new Thread(runnable, "meterbridge-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    return pool;
  }
}
