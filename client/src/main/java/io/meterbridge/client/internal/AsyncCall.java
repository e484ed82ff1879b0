package io.meterbridge.client.internal;

import io.meterbridge.client.ApiCallTimeoutException;
import io.meterbridge.client.Transport;
import io.meterbridge.exception.MeteringException;
import io.meterbridge.model.Operation;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A call of the async client: attempts chained on {@link Transport#sendAsync}, with the attempt
 * and call timeouts, backoffs and rate-limiter waits scheduled on the {@link Watchdog} and
 * continued on the client's executor, so no thread waits. Cancelling the result abandons the call
 * and the exchange in flight.
 */
final class AsyncCall<I, O> extends ApiCall<I, O> {
  private final CompletableFuture<O> result = new CompletableFuture<>();
  private volatile CompletableFuture<?> inFlight;
  private volatile Watchdog.Task pending;
  private volatile Watchdog.Task callTimer;

  AsyncCall(ClientRuntime runtime, Operation<I, O> operation, I request) {
    super(runtime, operation, request);
  }

  /** Starts the call; its future. */
  CompletableFuture<O> start() {
    if (!prepare()) {
      return result;
    }
    Optional<Duration> callTimeout = runtime.settings.apiCallTimeout();
    if (callTimeout.isPresent()) {
      Duration timeout = callTimeout.get();
      Watchdog.Task t = new Watchdog.Task() {
        @Override
        void fire() {
          runtime.executor().execute(() -> finish(null, callTimeout(timeout)));
        }
      };
      callTimer = t;
      Watchdog.shared().schedule(t, startNanos + timeout.toNanos());
    }
    result.whenComplete((r, e) -> {
      if (result.isCancelled() && done.compareAndSet(false, true)) {
        cancelTimers();
        cancelInFlight();
      }
    });
    nextAttempt();
    return result;
  }

  @Override
  void ended(MeteringException failure) {
    cancelTimers();
    if (failure instanceof ApiCallTimeoutException) {
      cancelInFlight();
    }
  }

  @Override
  void complete(O value, MeteringException failure) {
    if (failure == null) {
      result.complete(value);
    } else {
      result.completeExceptionally(failure);
    }
  }

  private void nextAttempt() {
    if (done.get()) {
      return;
    }
    int number = ++attempts;
    Duration wait = runtime.limiter == null ? Duration.ZERO : runtime.limiter.acquire();
    if (wait.isZero()) {
      sendAttempt(number);
    } else {
      schedule(wait, () -> sendAttempt(number));
    }
  }

  private void schedule(Duration delay, Runnable action) {
    Watchdog.Task t = new Watchdog.Task() {
      @Override
      void fire() {
        runtime.executor().execute(action);
      }
    };
    pending = t;
    Watchdog.shared().schedule(t, System.nanoTime() + delay.toNanos());
    if (done.get()) {
      t.cancel();
    }
  }

  private void sendAttempt(int number) {
    if (done.get()) {
      return;
    }
    long start = System.nanoTime();
    long attemptDeadline = start + runtime.settings.apiCallAttemptTimeout().toNanos();
    long deadline = attemptDeadline;
    if (runtime.settings.apiCallTimeout().isPresent()) {
      long callDeadline = startNanos + runtime.settings.apiCallTimeout().get().toNanos();
      if (callDeadline - deadline < 0) {
        deadline = callDeadline;
      }
    }
    Transport.Request request;
    try {
      request = buildAttempt(number, deadline);
    } catch (RuntimeException e) {
      retryLater(settle(number, System.nanoTime() - start, 0, null, fromInterceptor(e)));
      return;
    }
    CompletableFuture<Transport.Response> send;
    try {
      send = runtime.transport.sendAsync(request, runtime.executor());
    } catch (RuntimeException e) {
      retryLater(onFailure(number, start, transportFailure(e)));
      return;
    }
    inFlight = send;
    // The attempt ends with the response or the attempt timeout, whichever comes first.
    CompletableFuture<Transport.Response> attempt = new CompletableFuture<>();
    Watchdog.Task timer = new Watchdog.Task() {
      @Override
      void fire() {
        runtime.executor().execute(() -> {
          if (attempt.completeExceptionally(attemptTimeout(number))) {
            send.cancel(true);
          }
        });
      }
    };
    Watchdog.shared().schedule(timer, attemptDeadline);
    long timedOutAt = deadline;
    send.whenComplete((response, error) -> {
      timer.cancel();
      if (error != null) {
        attempt.completeExceptionally(error);
      } else if (!attempt.complete(response)) {
        response.close(); // the attempt timed out first
      }
    });
    attempt.whenComplete((response, error) -> {
      Duration next;
      if (error == null) {
        try {
          next = onResponse(number, start, response);
        } finally {
          response.close();
        }
      } else {
        Throwable cause = unwrap(error);
        next = onFailure(number, start, !(cause instanceof MeteringException) && timedOut(cause, timedOutAt)
            ? attemptTimeout(number) : transportFailure(cause));
      }
      retryLater(next);
    });
  }

  /** Schedules the next attempt after {@code backoff}; nothing if the call ended (null). */
  private void retryLater(Duration backoff) {
    if (backoff != null) {
      schedule(backoff, this::nextAttempt);
    }
  }

  private void cancelTimers() {
    Watchdog.Task t = pending;
    if (t != null) {
      t.cancel();
    }
    t = callTimer;
    if (t != null) {
      t.cancel();
    }
  }

  private void cancelInFlight() {
    CompletableFuture<?> f = inFlight;
    if (f != null) {
      f.cancel(true);
    }
  }

  /** The failure inside the wrappers that dependent futures add. */
  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
