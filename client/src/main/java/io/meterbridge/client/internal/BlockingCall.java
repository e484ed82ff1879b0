package io.meterbridge.client.internal;

import io.meterbridge.client.Transport;
import io.meterbridge.exception.MeteringClientException;
import io.meterbridge.exception.MeteringException;
import io.meterbridge.model.Operation;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A call of the blocking client: every attempt runs on the caller's thread through
 * {@link Transport#send}, and the backoffs are slept there too, as the AWS SDK's sync client does.
 * The transport enforces each attempt's deadline ({@link Transport.Request#timeout()}); the call
 * timeout bounds the sleeps.
 */
final class BlockingCall<I, O> extends ApiCall<I, O> {
  private O value;
  private MeteringException failure;

  BlockingCall(ClientRuntime runtime, Operation<I, O> operation, I request) {
    super(runtime, operation, request);
  }

  @Override
  void complete(O value, MeteringException failure) {
    this.value = value;
    this.failure = failure;
  }

  /**
   * Runs the call to its end.
   *
   * @throws MeteringException as the call failed
   */
  O run() {
    if (prepare()) {
      Duration callTimeout = runtime.settings.apiCallTimeout().orElse(null);
      long callDeadline = callTimeout == null ? 0 : startNanos + callTimeout.toNanos();
      while (true) {
        int number = ++attempts;
        if (runtime.limiter != null) {
          Duration wait = runtime.limiter.acquire();
          if (!wait.isZero() && !pause(wait, callTimeout, callDeadline)) {
            break;
          }
        }
        Duration backoff = attempt(number, callTimeout, callDeadline);
        if (backoff == null || !pause(backoff, callTimeout, callDeadline)) {
          break;
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    return value;
  }

  /** Sleeps before the next attempt; false if the call ended instead (call timeout, interrupt). */
  private boolean pause(Duration wait, Duration callTimeout, long callDeadline) {
    long nanos = wait.toNanos();
    boolean timesOut = false;
    if (callTimeout != null) {
      long left = callDeadline - System.nanoTime();
      if (left < nanos) {
        nanos = Math.max(0, left);
        timesOut = true;
      }
    }
    try {
      if (nanos > 0) {
        TimeUnit.NANOSECONDS.sleep(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finish(null, new MeteringClientException("Interrupted while waiting for the call", e));
      return false;
    }
    if (timesOut) {
      finish(null, callTimeout(callTimeout));
      return false;
    }
    return true;
  }

  /** One attempt; the backoff before the next, or null if the call ended. */
  private Duration attempt(int number, Duration callTimeout, long callDeadline) {
    long start = System.nanoTime();
    long deadline = start + runtime.settings.apiCallAttemptTimeout().toNanos();
    if (callTimeout != null && callDeadline - deadline < 0) {
      deadline = callDeadline;
    }
    Transport.Request request;
    try {
      request = buildAttempt(number, deadline);
    } catch (RuntimeException e) {
      return settle(number, System.nanoTime() - start, 0, null, fromInterceptor(e));
    }
    Transport.Response response;
    try {
      response = runtime.transport.send(request);
    } catch (InterruptedException e) {
      // Not the deadline (a transport reports that as an IOException): someone else's interrupt.
      Thread.currentThread().interrupt();
      finish(null, new MeteringClientException("Interrupted while waiting for the call", e));
      return null;
    } catch (IOException | RuntimeException e) {
      if (!timedOut(e, deadline)) {
        return onFailure(number, start, transportFailure(e));
      }
      if (callTimeout != null && callDeadline - System.nanoTime() <= 0) {
        finish(null, callTimeout(callTimeout));
        return null;
      }
      return onFailure(number, start, attemptTimeout(number));
    }
    try {
      return onResponse(number, start, response);
    } finally {
      response.close();
    }
  }
}
