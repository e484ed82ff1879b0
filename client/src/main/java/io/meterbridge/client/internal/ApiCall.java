package io.meterbridge.client.internal;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.auth.RequestHeaders;
import io.meterbridge.auth.SignableRequest;
import io.meterbridge.client.ApiCallAttemptTimeoutException;
import io.meterbridge.client.ApiCallTimeoutException;
import io.meterbridge.client.Transport;
import io.meterbridge.client.TransportException;
import io.meterbridge.exception.InvalidRequestException;
import io.meterbridge.exception.MeteringClientException;
import io.meterbridge.exception.MeteringException;
import io.meterbridge.exception.MeteringServiceException;
import io.meterbridge.internal.json.JsonCodec;
import io.meterbridge.model.Operation;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call: a sequence of attempts under one set of rules for signing, interceptors, the wire
 * log, decoding, error mapping, retry decisions, the retry quota and the rate limiter. How the
 * attempts are driven, on the caller's thread or chained on futures, is up to the subclass:
 * {@link BlockingCall} or {@link AsyncCall}.
 *
 * @param <I> the request type
 * @param <O> the response type
 */
abstract class ApiCall<I, O> {
  private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

  final ClientRuntime runtime;
  final Operation<I, O> operation;
  final I request;
  final String invocationId = UUID.randomUUID().toString();
  final long startNanos = System.nanoTime();
  /** Set once, by whichever of a response, a failure, a timeout or a cancellation ends the call. */
  final AtomicBoolean done = new AtomicBoolean();
  /** Earlier attempts' failures, attached to the final one; guarded by this, created on demand. */
  private List<MeteringException> failures;
  volatile int attempts;
  private volatile int quotaSpent;
  /** The encoded request, the same for every attempt. */
  private byte[] body;
  /** Set when an attempt failed on our clock and the next one is the single corrected retry. */
  private volatile boolean skewRetry;
  private volatile boolean skewCorrected;

  ApiCall(ClientRuntime runtime, Operation<I, O> operation, I request) {
    this.runtime = runtime;
    this.operation = operation;
    this.request = request;
  }

  /** Delivers the call's outcome: exactly one of {@code value} and {@code failure} is null. */
  abstract void complete(O value, MeteringException failure);

  /** Called once when the call ends, before the interceptors hear of it: stop its timers. */
  void ended(MeteringException failure) {}

  /** Runs the interceptors' beforeExecution and encodes the body; false if that failed the call. */
  final boolean prepare() {
    try {
      if (!runtime.interceptors.isEmpty()) {
        runtime.interceptors.beforeExecution(operation, request, invocationId);
      }
      body = JsonCodec.encodeRequest(operation, request);
      return true;
    } catch (RuntimeException e) {
      finish(null, fromInterceptor(e));
      return false;
    }
  }

  /**
   * Signs the attempt, runs beforeAttempt and logs it: the request to hand the transport, which
   * has until {@code deadline} ({@link System#nanoTime()} time).
   *
   * @throws MeteringException if credentials or an interceptor failed
   * @throws RuntimeException if an interceptor failed otherwise ({@link #fromInterceptor})
   */
  final Transport.Request buildAttempt(int number, long deadline) {
    AwsCredentials resolved = resolveCredentials();
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Content-Type", CONTENT_TYPE);
    headers.put("X-Amz-Target", operation.target());
    if (!runtime.endpoint.headers().isEmpty()) {
      for (Map.Entry<String, List<String>> header : runtime.endpoint.headers().entrySet()) {
        headers.put(header.getKey(), String.join(",", header.getValue()));
      }
    }
    // Signed: Host (which the transport sends, identically), Content-Type, X-Amz-Target,
    // X-Amz-Date and the session token. Not signed: User-Agent and the amz-sdk-* headers,
    // which change per attempt or may be rewritten on the way.
    SignableRequest.Builder unsigned = SignableRequest.builder().method("POST")
        .path(runtime.requestUri.getRawPath()).body(body).header("Host", runtime.hostHeader);
    for (Map.Entry<String, String> header : headers.entrySet()) {
      unsigned.header(header.getKey(), header.getValue());
    }
    RequestHeaders added = runtime.signer.sign(unsigned.build(), resolved, runtime.now())
        .addedHeaders();
    for (int i = 0; i < added.size(); i++) {
      headers.put(added.name(i), added.value(i));
    }
    headers.put("User-Agent", runtime.userAgent);
    headers.put("amz-sdk-invocation-id", invocationId);
    headers.put("amz-sdk-request", "attempt=" + number + "; max=" + runtime.retry.maxAttempts());
    if (!runtime.interceptors.isEmpty()) {
      runtime.interceptors.beforeAttempt(operation, request, number, runtime.requestUri, headers);
    }
    if (runtime.wireLog != null) {
      runtime.wireLog.request(invocationId, number, runtime.requestUri, headers, body);
    }
    // The map itself, not a read-only view: a view wraps every entry on each pass over it.
    return new AttemptRequest(runtime.requestUri, headers, body, runtime.settings.connectTimeout(), deadline);
  }

  /**
   * Decodes or maps one attempt's response, then settles the attempt: the backoff before the
   * next attempt, or null if the call ended. The caller closes the response afterwards.
   */
  final Duration onResponse(int number, long start, Transport.Response response) {
    long latency = System.nanoTime() - start;
    int status = response.statusCode();
    // The body's bytes where they lie (the socket transport's are in its connection buffer); the
    // buffer object itself goes no further, so the JIT can leave it unallocated.
    ByteBuffer buffer = response.body();
    int length = buffer.remaining();
    byte[] data;
    int offset;
    if (buffer.hasArray()) {
      data = buffer.array();
      offset = buffer.arrayOffset() + buffer.position();
    } else {
      data = new byte[length];
      buffer.duplicate().get(data);
      offset = 0;
    }
    if (runtime.wireLog != null) {
      runtime.wireLog.response(invocationId, number, status, response.headers(),
          Arrays.copyOfRange(data, offset, offset + length), Duration.ofNanos(latency));
    }
    if (status / 100 == 2) {
      O decoded;
      try {
        decoded = JsonCodec.decodeResponse(operation, data, offset, length);
      } catch (MeteringException e) {
        return settle(number, latency, status, null, e);
      }
      return settle(number, latency, status, decoded, null);
    }
    MeteringException error =
        ErrorMapper.map(status, response.headers(), Arrays.copyOfRange(data, offset, offset + length));
    if (!skewCorrected) {
      java.time.Instant ours = runtime.now();
      java.util.Optional<Long> correction = ClockSkew.correction(status, response.headers(), error, ours);
      if (correction.isPresent()) {
        long previous = runtime.clockOffsetMillis;
        runtime.clockOffsetMillis = previous + correction.get();
        skewCorrected = true;
        skewRetry = true;
        if (runtime.wireLog != null) {
          runtime.wireLog.note(invocationId, number, "clock skew: the service's Date is "
              + correction.get() + " ms from our clock (" + ours + "); signing with an offset of "
              + runtime.clockOffsetMillis + " ms from now on and sending once more");
        }
      }
    }
    return settle(number, latency, status, null, error);
  }

  /**
   * Settles an attempt that got no response: the backoff before the next attempt, or null if the
   * call ended.
   */
  final Duration onFailure(int number, long start, MeteringException failure) {
    long latency = System.nanoTime() - start;
    if (runtime.wireLog != null) {
      runtime.wireLog.failure(invocationId, number, failure, Duration.ofNanos(latency));
    }
    return settle(number, latency, 0, null, failure);
  }

  /**
   * Runs afterAttempt, then finishes the call or decides to retry: the backoff before the next
   * attempt, or null if the call ended.
   */
  final Duration settle(int number, long latencyNanos, int status, O decoded, MeteringException failure) {
    if (!runtime.interceptors.isEmpty()) {
      runtime.interceptors.afterAttempt(operation, number, status, Duration.ofNanos(latencyNanos), failure);
    }
    if (failure == null) {
      if (runtime.limiter != null) {
        runtime.limiter.onSuccess();
      }
      if (runtime.quota != null) {
        runtime.quota.release(quotaSpent);
      }
      finish(decoded, null);
      return null;
    }
    boolean throttled = failure instanceof MeteringServiceException s && s.throttling();
    if (runtime.limiter != null && throttled) {
      runtime.limiter.onThrottle();
    }
    if (done.get()) {
      return null;
    }
    if (skewRetry) {
      // Our clock, not the request, was wrong: one more attempt with the corrected clock, at
      // once, outside the retry policy's count and quota (the attempt never had a chance).
      skewRetry = false;
      synchronized (this) {
        if (failures == null) {
          failures = new ArrayList<>(2);
        }
        failures.add(failure);
      }
      return Duration.ZERO;
    }
    if (!shouldRetry(number, failure)) {
      finish(null, failure);
      return null;
    }
    synchronized (this) {
      if (failures == null) {
        failures = new ArrayList<>(2);
      }
      failures.add(failure);
    }
    return runtime.retry.backoff(number, throttled, ThreadLocalRandom.current()::nextDouble);
  }

  private boolean shouldRetry(int number, MeteringException failure) {
    if (number >= runtime.retry.maxAttempts() || !failure.retryable()
        || failure instanceof InvalidRequestException) {
      return false;
    }
    if (runtime.quota != null) {
      int cost = failure instanceof ApiCallAttemptTimeoutException
          ? RetryQuota.TIMEOUT_RETRY_COST : RetryQuota.RETRY_COST;
      if (!runtime.quota.tryAcquire(cost)) {
        failure.addSuppressed(new MeteringClientException("Not retried: the client's retry quota is "
            + "exhausted, so the service has been failing for many calls"));
        return false;
      }
      quotaSpent += cost;
    }
    return true;
  }

  /** Ends the call, once: earlier failures attached, afterExecution run, the outcome delivered. */
  final void finish(O value, MeteringException failure) {
    if (!done.compareAndSet(false, true)) {
      return;
    }
    ended(failure);
    if (failure != null) {
      synchronized (this) {
        if (failures != null) {
          for (MeteringException earlier : failures) {
            if (earlier != failure) {
              failure.addSuppressed(earlier);
            }
          }
        }
      }
    }
    if (!runtime.interceptors.isEmpty()) {
      runtime.interceptors.afterExecution(operation, request, attempts,
          Duration.ofNanos(System.nanoTime() - startNanos), value, failure);
    }
    complete(value, failure);
  }

  final ApiCallTimeoutException callTimeout(Duration timeout) {
    int n = attempts;
    return new ApiCallTimeoutException(operation + " did not complete within "
        + timeout.toMillis() + " ms (" + n + " attempt" + (n == 1 ? "" : "s") + ")", timeout);
  }

  final ApiCallAttemptTimeoutException attemptTimeout(int number) {
    Duration timeout = runtime.settings.apiCallAttemptTimeout();
    return new ApiCallAttemptTimeoutException("Attempt " + number + " of " + operation
        + " got no complete response within " + timeout.toMillis() + " ms", timeout);
  }

  /**
   * Whether a transport failure means the attempt ran out of time: its deadline passed, or the
   * transport said so (a transport may round the timeout down to milliseconds).
   */
  static boolean timedOut(Throwable error, long deadline) {
    return System.nanoTime() - deadline >= 0
        || (error instanceof HttpTimeoutException && !(error instanceof HttpConnectTimeoutException));
  }

  /** The exception for an attempt that got no response. */
  final MeteringException transportFailure(Throwable t) {
    if (t instanceof MeteringException m) {
      return m;
    }
    URI uri = runtime.requestUri;
    String detail = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    if (t instanceof HttpConnectTimeoutException) {
      return new TransportException("Could not connect to " + uri + " within "
          + runtime.settings.connectTimeout().toMillis() + " ms", t);
    }
    if (t instanceof ConnectException) {
      return new TransportException("Could not connect to " + uri + ": " + detail, t);
    }
    if (t instanceof IOException) {
      return new TransportException("I/O error talking to " + uri + ": " + detail, t);
    }
    if (t instanceof CancellationException) {
      return new MeteringClientException("The attempt was cancelled", t);
    }
    return new MeteringClientException("Unexpected failure: " + t, t);
  }

  final MeteringException fromInterceptor(RuntimeException e) {
    if (e instanceof MeteringException m) {
      return m;
    }
    return new MeteringClientException("Call of " + operation + " failed before sending: " + e, e);
  }

  private AwsCredentials resolveCredentials() {
    try {
      return Objects.requireNonNull(runtime.credentials.resolveCredentials(),
          () -> runtime.credentials + " returned no credentials");
    } catch (MeteringException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new MeteringClientException("Could not resolve credentials from " + runtime.credentials
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * An attempt's request as the transport sees it, with its deadline ({@link System#nanoTime()}
   * time); its toString leaves the signature out.
   */
  private record AttemptRequest(URI uri, Map<String, String> headers, byte[] body,
      Duration connectTimeout, long deadline) implements Transport.Request {
    @Override
    public String method() {
      return "POST";
    }

    @Override
    public Duration timeout() {
      return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    @Override
    public String toString() {
      return "Request[POST " + uri + ", " + body.length + " bytes]";
    }
  }
}
