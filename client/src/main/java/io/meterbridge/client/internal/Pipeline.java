package io.meterbridge.client.internal;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.auth.RequestHeaders;
import io.meterbridge.auth.SigV4Signer;
import io.meterbridge.auth.SignableRequest;
import io.meterbridge.client.ApiCallAttemptTimeoutException;
import io.meterbridge.client.ApiCallTimeoutException;
import io.meterbridge.client.RetryPolicy;
import io.meterbridge.client.TransportException;
import io.meterbridge.client.credentials.CredentialsProvider;
import io.meterbridge.client.credentials.DefaultCredentialsProvider;
import io.meterbridge.client.credentials.RegionProvider;
import io.meterbridge.client.endpoints.EndpointParams;
import io.meterbridge.client.endpoints.MeteringEndpoints;
import io.meterbridge.client.endpoints.ResolvedEndpoint;
import io.meterbridge.exception.InvalidRequestException;
import io.meterbridge.exception.MeteringClientException;
import io.meterbridge.exception.MeteringException;
import io.meterbridge.exception.MeteringServiceException;
import io.meterbridge.internal.json.JsonCodec;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.Operation;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine both clients share. A call is a sequence of attempts with one set of rules for
 * signing, interceptors, the wire log, retry decisions, the retry quota and the rate limiter; only
 * the driver differs:
 *
 * <ul>
 *   <li>{@link #executeBlocking} (the blocking client) runs every attempt on the caller's thread
 *       with {@link HttpClient#send}, sleeps between attempts, and enforces the timeouts by
 *       interrupting the caller from the shared {@link Watchdog};
 *   <li>{@link #execute} (the async client) chains attempts on {@link HttpClient#sendAsync}, with
 *       retries, limiter waits and timeouts scheduled on the {@link Watchdog} and continued on the
 *       client's executor.
 * </ul>
 */
public final class Pipeline implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("io.meterbridge.client");
  private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

  private final ClientSettings settings;
  private final String region;
  private final ResolvedEndpoint endpoint;
  private final URI requestUri;
  private final String hostHeader;
  /** The path and query of the request line. */
  private final String requestTarget;
  /** The blocking client's transport, when requests go direct and no HttpClient was given. */
  private final SocketTransport sockets;
  /** Created on first use: the blocking client with its own transport never needs it. */
  private volatile HttpClient http;
  private final boolean ownsHttp;
  private final Executor executor;
  private final CredentialsProvider credentials;
  private final SigV4Signer signer;
  private final RetryPolicy retry;
  private final RetryQuota quota;
  private final AdaptiveRateLimiter limiter;
  private final WireLog wireLog;
  private final String userAgent;
  private final Interceptors interceptors;
  private volatile boolean closed;

  /**
   * A pipeline for the settings.
   *
   * @throws io.meterbridge.client.credentials.CredentialsException if no region is set or found
   * @throws io.meterbridge.client.endpoints.EndpointResolutionException if the endpoint rules
   *     reject the region and switches
   */
  public Pipeline(ClientSettings settings) {
    this(settings, false);
  }

  /**
   * A pipeline for the settings; {@code blocking} for the blocking client, which then sends on
   * its own {@link SocketTransport} unless an HTTP client was given or a proxy applies.
   */
  public Pipeline(ClientSettings settings, boolean blocking) {
    this.settings = settings;
    // Plain conditionals rather than lambdas here and on the first call's path: each lambda site
    // is linked the first time it runs, which adds up before the first call completes.
    this.region = settings.region().isPresent() ? settings.region().get()
        : RegionProvider.defaultChain().requireRegion();
    EndpointParams.Builder params = EndpointParams.builder().region(region)
        .useFips(settings.useFips()).useDualStack(settings.useDualStack());
    if (settings.endpointOverride().isPresent()) {
      params.endpoint(settings.endpointOverride().get());
    }
    this.endpoint = MeteringEndpoints.resolve(params.build());
    URI uri = endpoint.uri();
    this.requestUri = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? uri.resolve("/") : uri;
    this.hostHeader = hostHeader(requestUri);
    this.requestTarget = requestUri.getRawQuery() == null ? requestUri.getRawPath()
        : requestUri.getRawPath() + "?" + requestUri.getRawQuery();
    this.ownsHttp = settings.httpClient().isEmpty();
    this.http = settings.httpClient().orElse(null);
    this.sockets = blocking && ownsHttp && SocketTransport.usable(requestUri)
        ? new SocketTransport(requestUri, settings.connectTimeout(), settings.wireLogger().isPresent()) : null;
    this.executor = settings.executor().orElse(null);
    this.credentials = settings.credentialsProvider().isPresent() ? settings.credentialsProvider().get()
        : DefaultCredentialsProvider.create();
    this.signer = SigV4Signer.builder().service(endpoint.signingName())
        .region(endpoint.signingRegion().orElse(region)).build();
    this.retry = settings.retryPolicy();
    this.quota = retry.retryQuota() ? new RetryQuota() : null;
    this.limiter = retry.mode() == RetryPolicy.Mode.ADAPTIVE ? new AdaptiveRateLimiter() : null;
    this.wireLog = settings.wireLogger().isPresent()
        ? new WireLog(settings.wireLogger().get(), System.Logger.Level.INFO) : null;
    this.userAgent = UserAgent.of(settings.userAgentSuffix());
    this.interceptors = new Interceptors(settings.interceptors());
  }

  private HttpClient http() {
    HttpClient h = http;
    if (h == null) {
      synchronized (this) {
        h = http;
        if (h == null) {
          h = HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(settings.connectTimeout())
              .followRedirects(HttpClient.Redirect.NEVER)
              .executor(executor())
              .build();
          http = h;
        }
      }
    }
    return h;
  }

  private Executor executor() {
    return executor != null ? executor : SharedExecutor.get();
  }

  /** The settings the pipeline was built from. */
  public ClientSettings settings() {
    return settings;
  }

  /** The region in use. */
  public String region() {
    return region;
  }

  /** The endpoint in use. */
  public ResolvedEndpoint endpoint() {
    return endpoint;
  }

  /**
   * Starts a call. The future fails with a {@link MeteringException}; cancelling it abandons the
   * call.
   */
  public <I, O> CompletableFuture<O> execute(Operation<I, O> operation, I request) {
    Objects.requireNonNull(request, "request");
    if (closed) {
      return CompletableFuture.failedFuture(new MeteringClientException("The client is closed"));
    }
    Call<I, O> call = new Call<>(operation, withClientToken(operation, request));
    call.startAsync();
    return call.result;
  }

  /**
   * Runs a call on the caller's thread and returns its response.
   *
   * @throws MeteringException as the call failed
   */
  public <I, O> O executeBlocking(Operation<I, O> operation, I request) {
    Objects.requireNonNull(request, "request");
    if (closed) {
      throw new MeteringClientException("The client is closed");
    }
    return new Call<>(operation, withClientToken(operation, request)).runBlocking();
  }

  /** Waits for a call, rethrowing its failure as it is, for the blocking client. */
  public static <O> O join(CompletableFuture<O> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new MeteringClientException("Call failed: " + cause, cause);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new MeteringClientException("Interrupted while waiting for the call", e);
    }
  }

  /**
   * MeterUsage without a ClientToken gets a random one, once per call, so every retry of the
   * call carries the same token and the service meters it at most once.
   */
  @SuppressWarnings("unchecked")
  public static <I> I withClientToken(Operation<I, ?> operation, I request) {
    if (operation == Operation.METER_USAGE) {
      MeterUsageRequest meter = (MeterUsageRequest) request;
      if (meter.clientToken().isEmpty()) {
        return (I) meter.toBuilder().clientToken(UUID.randomUUID().toString()).build();
      }
    }
    return request;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (sockets != null) {
      sockets.close();
    }
    // HttpClient is AutoCloseable from Java 21 on (waits for exchanges in flight); on 17 its
    // threads are daemons that end once it is unreachable.
    HttpClient h = http;
    if (ownsHttp && h instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.log(System.Logger.Level.DEBUG, "closing the HTTP client failed", e);
      }
    }
  }

  /**
   * The Host header exactly as {@link HttpClient} sends it (the port only when not the scheme's
   * default), because SigV4 signs it.
   */
  static String hostHeader(URI uri) {
    int port = uri.getPort();
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    boolean defaultPort = port == -1 || (https ? port == 443 : port == 80);
    String host = uri.getHost();
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return defaultPort ? host : host + ":" + port;
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private MeteringException transportFailure(Throwable error) {
    Throwable t = unwrap(error);
    if (t instanceof MeteringException m) {
      return m;
    }
    String detail = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    if (t instanceof HttpConnectTimeoutException) {
      return new TransportException("Could not connect to " + requestUri + " within "
          + settings.connectTimeout().toMillis() + " ms", t);
    }
    if (t instanceof ConnectException) {
      return new TransportException("Could not connect to " + requestUri + ": " + detail, t);
    }
    if (t instanceof IOException) {
      return new TransportException("I/O error talking to " + requestUri + ": " + detail, t);
    }
    if (t instanceof CancellationException) {
      return new MeteringClientException("The attempt was cancelled", t);
    }
    return new MeteringClientException("Unexpected failure: " + t, t);
  }

  /** One call: its attempts, timers and outcome. */
  private final class Call<I, O> {
    final Operation<I, O> operation;
    final I request;
    final String invocationId = UUID.randomUUID().toString();
    final CompletableFuture<O> result = new CompletableFuture<>();
    final long startNanos = System.nanoTime();
    final AtomicBoolean done = new AtomicBoolean();
    /** Earlier attempts' failures, attached to the final one; guarded by this, created on demand. */
    List<MeteringException> failures;
    volatile int attempts;
    volatile int quotaSpent;
    volatile byte[] body;
    volatile CompletableFuture<?> inFlight;
    volatile Watchdog.Task pending;
    volatile Watchdog.Task callTimer;

    Call(Operation<I, O> operation, I request) {
      this.operation = operation;
      this.request = request;
    }

    /** Runs the interceptors' beforeExecution and encodes the body; false if that failed the call. */
    boolean prepare() {
      try {
        if (!interceptors.isEmpty()) {
          interceptors.beforeExecution(operation, request, invocationId);
        }
        body = JsonCodec.encodeRequest(operation, request);
        return true;
      } catch (RuntimeException e) {
        finish(null, fromInterceptor(e));
        return false;
      }
    }

    ApiCallTimeoutException callTimeout(Duration timeout) {
      int n = attempts;
      return new ApiCallTimeoutException(operation + " did not complete within "
          + timeout.toMillis() + " ms (" + n + " attempt" + (n == 1 ? "" : "s") + ")", timeout);
    }

    ApiCallAttemptTimeoutException attemptTimeout(int number, Duration timeout) {
      return new ApiCallAttemptTimeoutException("Attempt " + number + " of " + operation
          + " got no complete response within " + timeout.toMillis() + " ms", timeout);
    }

    // ------------------------------------------------------------------------ blocking driver

    O runBlocking() {
      if (prepare()) {
        Duration callTimeout = settings.apiCallTimeout().orElse(null);
        long callDeadline = callTimeout == null ? 0 : startNanos + callTimeout.toNanos();
        while (true) {
          int number = ++attempts;
          if (limiter != null) {
            Duration wait = limiter.acquire();
            if (!wait.isZero() && !pause(wait, callTimeout, callDeadline)) {
              break;
            }
          }
          Duration backoff = attemptBlocking(number, callTimeout, callDeadline);
          if (backoff == null || !pause(backoff, callTimeout, callDeadline)) {
            break;
          }
        }
      }
      return join(result);
    }

    /** Sleeps before the next attempt; false if the call ended instead (call timeout, interrupt). */
    boolean pause(Duration wait, Duration callTimeout, long callDeadline) {
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

    /** One attempt on the caller's thread; the backoff before the next, or null if the call ended. */
    Duration attemptBlocking(int number, Duration callTimeout, long callDeadline) {
      long start = System.nanoTime();
      Duration attemptTimeout = settings.apiCallAttemptTimeout().orElse(null);
      long deadline = 0;
      if (attemptTimeout != null || callTimeout != null) {
        deadline = attemptTimeout == null ? callDeadline : start + attemptTimeout.toNanos();
        if (callTimeout != null && callDeadline - deadline < 0) {
          deadline = callDeadline;
        }
      }
      boolean guarded = attemptTimeout != null || callTimeout != null;
      int status = 0;
      Object source = null;
      byte[] responseBody = null;
      Throwable error = null;
      boolean fired;
      if (sockets != null) {
        byte[] head;
        try {
          head = toHead(buildAttempt(number));
        } catch (RuntimeException e) {
          return settle(number, System.nanoTime() - start, 0, null, fromInterceptor(e));
        }
        SocketGuard guard = null;
        if (guarded) {
          guard = new SocketGuard();
          Watchdog.shared().schedule(guard, deadline);
        }
        SocketTransport.Response r = null;
        try {
          r = sockets.exchange(head, body, guard == null ? SocketTransport.NO_DEADLINE : guard);
        } catch (IOException | RuntimeException e) {
          error = e;
        }
        fired = guard != null && !guard.disarm();
        if (r != null) {
          try {
            if (fired && callTimeout != null && callDeadline - System.nanoTime() <= 0) {
              finish(null, callTimeout(callTimeout));
              return null;
            }
            return onResponse(number, start, r.status, r, r.data, r.offset, r.length, null);
          } finally {
            r.release();
          }
        }
      } else {
        HttpRequest httpRequest;
        try {
          httpRequest = toHttpRequest(buildAttempt(number));
        } catch (RuntimeException e) {
          return settle(number, System.nanoTime() - start, 0, null, fromInterceptor(e));
        }
        Interrupter guard = null;
        if (guarded) {
          guard = new Interrupter(Thread.currentThread());
          Watchdog.shared().schedule(guard, deadline);
        }
        boolean interrupted = false;
        try {
          HttpResponse<byte[]> response = http().send(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
          status = response.statusCode();
          responseBody = response.body();
          source = response;
        } catch (InterruptedException e) {
          interrupted = true;
          error = e;
        } catch (IOException | RuntimeException e) {
          error = e;
        }
        fired = guard != null && !guard.disarm();
        if (!fired && interrupted) {
          Thread.currentThread().interrupt();
          finish(null, new MeteringClientException("Interrupted while waiting for the call", error));
          return null;
        }
      }
      if (fired) {
        if (callTimeout != null && callDeadline - System.nanoTime() <= 0) {
          finish(null, callTimeout(callTimeout));
          return null;
        }
        if (source == null) {
          error = attemptTimeout(number, attemptTimeout);
        }
      }
      return responseBody == null
          ? onResponse(number, start, status, source, NO_BYTES, 0, 0, error)
          : onResponse(number, start, status, source, responseBody, 0, responseBody.length, error);
    }

    // --------------------------------------------------------------------------- async driver

    void startAsync() {
      if (!prepare()) {
        return;
      }
      settings.apiCallTimeout().ifPresent(timeout -> {
        Watchdog.Task t = new Watchdog.Task() {
          @Override
          void fire() {
            executor().execute(() -> finish(null, callTimeout(timeout)));
          }
        };
        callTimer = t;
        Watchdog.shared().schedule(t, startNanos + timeout.toNanos());
      });
      result.whenComplete((r, e) -> {
        if (result.isCancelled() && done.compareAndSet(false, true)) {
          cancelTimers();
          cancelInFlight();
        }
      });
      nextAttempt();
    }

    void nextAttempt() {
      if (done.get()) {
        return;
      }
      int number = ++attempts;
      Duration wait = limiter == null ? Duration.ZERO : limiter.acquire();
      if (wait.isZero()) {
        sendAttempt(number);
      } else {
        schedule(wait, () -> sendAttempt(number));
      }
    }

    void schedule(Duration delay, Runnable action) {
      Watchdog.Task t = new Watchdog.Task() {
        @Override
        void fire() {
          executor().execute(action);
        }
      };
      pending = t;
      Watchdog.shared().schedule(t, System.nanoTime() + delay.toNanos());
      if (done.get()) {
        t.cancel();
      }
    }

    void sendAttempt(int number) {
      if (done.get()) {
        return;
      }
      long start = System.nanoTime();
      CompletableFuture<HttpResponse<byte[]>> send;
      try {
        send = http().sendAsync(toHttpRequest(buildAttempt(number)), HttpResponse.BodyHandlers.ofByteArray());
      } catch (RuntimeException e) {
        Duration next = settle(number, System.nanoTime() - start, 0, null, fromInterceptor(e));
        if (next != null) {
          schedule(next, this::nextAttempt);
        }
        return;
      }
      inFlight = send;
      CompletableFuture<HttpResponse<byte[]>> attempt = new CompletableFuture<>();
      Watchdog.Task timer = settings.apiCallAttemptTimeout().map(timeout -> {
        Watchdog.Task t = new Watchdog.Task() {
          @Override
          void fire() {
            executor().execute(() -> {
              if (attempt.completeExceptionally(attemptTimeout(number, timeout))) {
                send.cancel(true);
              }
            });
          }
        };
        Watchdog.shared().schedule(t, start + timeout.toNanos());
        return t;
      }).orElse(null);
      send.whenComplete((response, error) -> {
        if (timer != null) {
          timer.cancel();
        }
        if (error != null) {
          attempt.completeExceptionally(error);
        } else {
          attempt.complete(response);
        }
      });
      attempt.whenComplete((response, error) -> {
        byte[] received = error != null || response.body() == null ? NO_BYTES : response.body();
        Duration next = error != null ? onResponse(number, start, 0, null, NO_BYTES, 0, 0, error)
            : onResponse(number, start, response.statusCode(), response, received, 0, received.length, null);
        if (next != null) {
          schedule(next, this::nextAttempt);
        }
      });
    }

    // ------------------------------------------------------------------------- shared rules

    /** Signs the attempt, runs beforeAttempt, logs it: the headers to send. */
    Map<String, String> buildAttempt(int number) {
      AwsCredentials resolved = resolveCredentials();
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.put("Content-Type", CONTENT_TYPE);
      headers.put("X-Amz-Target", operation.target());
      if (!endpoint.headers().isEmpty()) {
        for (Map.Entry<String, List<String>> header : endpoint.headers().entrySet()) {
          headers.put(header.getKey(), String.join(",", header.getValue()));
        }
      }
      // Signed: Host (which HttpClient sets itself, identically), Content-Type, X-Amz-Target,
      // X-Amz-Date and the session token. Not signed: User-Agent and the amz-sdk-* headers,
      // which change per attempt or may be rewritten on the way.
      SignableRequest.Builder unsigned = SignableRequest.builder().method("POST")
          .path(requestUri.getRawPath()).body(body).header("Host", hostHeader);
      for (Map.Entry<String, String> header : headers.entrySet()) {
        unsigned.header(header.getKey(), header.getValue());
      }
      RequestHeaders added = signer.sign(unsigned.build(), resolved, settings.clock().instant())
          .addedHeaders();
      for (int i = 0; i < added.size(); i++) {
        headers.put(added.name(i), added.value(i));
      }
      headers.put("User-Agent", userAgent);
      headers.put("amz-sdk-invocation-id", invocationId);
      headers.put("amz-sdk-request", "attempt=" + number + "; max=" + retry.maxAttempts());
      if (!interceptors.isEmpty()) {
        interceptors.beforeAttempt(operation, request, number, requestUri, headers);
      }
      if (wireLog != null) {
        wireLog.request(invocationId, number, requestUri, headers, body);
      }
      return headers;
    }

    HttpRequest toHttpRequest(Map<String, String> headers) {
      HttpRequest.Builder builder = HttpRequest.newBuilder(requestUri)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .expectContinue(false);
      headers.forEach(builder::header);
      return builder.build();
    }

    /** The request line and headers for the socket transport, checked as HttpRequest checks them. */
    byte[] toHead(Map<String, String> headers) {
      String length = Integer.toString(body.length);
      int size = 5 + requestTarget.length() + 17 + hostHeader.length() + 2 + 16 + length.length() + 4;
      for (Map.Entry<String, String> header : headers.entrySet()) {
        HeaderRules.check(header.getKey(), header.getValue());
        size += header.getKey().length() + 2 + header.getValue().length() + 2;
      }
      byte[] head = new byte[size];
      int at = put(head, 0, "POST ");
      at = put(head, at, requestTarget);
      at = put(head, at, " HTTP/1.1\r\nHost: ");
      at = put(head, at, hostHeader);
      at = put(head, at, "\r\n");
      for (Map.Entry<String, String> header : headers.entrySet()) {
        at = put(head, at, header.getKey());
        at = put(head, at, ": ");
        at = put(head, at, header.getValue());
        at = put(head, at, "\r\n");
      }
      at = put(head, at, "Content-Length: ");
      at = put(head, at, length);
      put(head, at, "\r\n\r\n");
      return head;
    }

    /**
     * Decodes or maps one attempt's outcome ({@code source} is the {@link HttpResponse} or
     * {@link SocketTransport.Response}, asked for headers only when needed); the backoff before
     * the next attempt, or null if the call ended.
     */
    Duration onResponse(int number, long start, int status, Object source, byte[] data, int offset,
        int length, Throwable error) {
      long latency = System.nanoTime() - start;
      if (error != null) {
        MeteringException failure = transportFailure(error);
        if (wireLog != null) {
          wireLog.failure(invocationId, number, failure, Duration.ofNanos(latency));
        }
        return settle(number, latency, 0, null, failure);
      }
      if (wireLog != null) {
        wireLog.response(invocationId, number, status, headersOf(source), bodyOf(source, data),
            Duration.ofNanos(latency));
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
      return settle(number, latency, status, null,
          ErrorMapper.map(status, headersOf(source), bodyOf(source, data)));
    }

    /**
     * Runs afterAttempt, then finishes the call or decides to retry: the backoff before the next
     * attempt, or null if the call ended.
     */
    Duration settle(int number, long latencyNanos, int status, O decoded, MeteringException failure) {
      if (!interceptors.isEmpty()) {
        interceptors.afterAttempt(operation, number, status, Duration.ofNanos(latencyNanos), failure);
      }
      if (failure == null) {
        if (limiter != null) {
          limiter.onSuccess();
        }
        if (quota != null) {
          quota.release(quotaSpent);
        }
        finish(decoded, null);
        return null;
      }
      boolean throttled = failure instanceof MeteringServiceException s && s.throttling();
      if (limiter != null && throttled) {
        limiter.onThrottle();
      }
      if (done.get()) {
        return null;
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
      return retry.backoff(number, throttled, ThreadLocalRandom.current()::nextDouble);
    }

    boolean shouldRetry(int number, MeteringException failure) {
      if (number >= retry.maxAttempts() || !failure.retryable()
          || failure instanceof InvalidRequestException) {
        return false;
      }
      if (quota != null) {
        int cost = failure instanceof ApiCallAttemptTimeoutException
            ? RetryQuota.TIMEOUT_RETRY_COST : RetryQuota.RETRY_COST;
        if (!quota.tryAcquire(cost)) {
          failure.addSuppressed(new MeteringClientException("Not retried: the client's retry quota is "
              + "exhausted, so the service has been failing for many calls"));
          return false;
        }
        quotaSpent += cost;
      }
      return true;
    }

    void finish(O value, MeteringException failure) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      cancelTimers();
      if (failure != null) {
        if (failure instanceof ApiCallTimeoutException) {
          cancelInFlight();
        }
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
      if (!interceptors.isEmpty()) {
        interceptors.afterExecution(operation, request, attempts,
            Duration.ofNanos(System.nanoTime() - startNanos), value, failure);
      }
      if (failure == null) {
        result.complete(value);
      } else {
        result.completeExceptionally(failure);
      }
    }

    void cancelTimers() {
      Watchdog.Task t = pending;
      if (t != null) {
        t.cancel();
      }
      t = callTimer;
      if (t != null) {
        t.cancel();
      }
    }

    void cancelInFlight() {
      CompletableFuture<?> f = inFlight;
      if (f != null) {
        f.cancel(true);
      }
    }

    AwsCredentials resolveCredentials() {
      try {
        return Objects.requireNonNull(credentials.resolveCredentials(),
            () -> credentials + " returned no credentials");
      } catch (MeteringException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new MeteringClientException("Could not resolve credentials from " + credentials + ": "
            + e.getMessage(), e);
      }
    }

    MeteringException fromInterceptor(RuntimeException e) {
      if (e instanceof MeteringException m) {
        return m;
      }
      return new MeteringClientException("Call of " + operation + " failed before sending: " + e, e);
    }
  }

  /** Copies Latin-1 text (checked by {@link HeaderRules}) into {@code target} at {@code at}. */
  private static int put(byte[] target, int at, String text) {
    for (int i = 0; i < text.length(); i++) {
      target[at++] = (byte) text.charAt(i);
    }
    return at;
  }

  private static final byte[] NO_BYTES = new byte[0];

  /** The whole body as an array of its own: the socket transport's may sit in a shared buffer. */
  private static byte[] bodyOf(Object source, byte[] data) {
    return source instanceof SocketTransport.Response r ? r.body() : data;
  }

  private static java.net.http.HttpHeaders headersOf(Object source) {
    return source instanceof HttpResponse<?> r ? r.headers() : ((SocketTransport.Response) source).headers();
  }

  /**
   * Closes a socket-transport attempt's connection at its deadline, which ends any read or write
   * in progress. {@link #disarm} after the attempt says whether that happened.
   */
  private static final class SocketGuard extends Watchdog.Task implements SocketTransport.Guard {
    private java.io.Closeable target;
    private int state; // 0 armed, 1 fired, 2 disarmed; guarded by this

    @Override
    synchronized void fire() {
      if (state == 0) {
        state = 1;
        if (target != null) {
          SocketTransport.closeQuietly(target);
        }
      }
    }

    @Override
    public synchronized void attach(java.io.Closeable connection) throws IOException {
      if (state == 1) {
        SocketTransport.closeQuietly(connection);
        throw new java.net.SocketTimeoutException("The attempt's deadline passed");
      }
      target = connection;
    }

    @Override
    public synchronized boolean detach() {
      target = null;
      return state != 1;
    }

    /** False if the deadline passed. */
    boolean disarm() {
      cancel();
      synchronized (this) {
        target = null;
        if (state == 1) {
          return false;
        }
        state = 2;
        return true;
      }
    }
  }

  /**
   * Interrupts a blocking attempt's thread at its deadline. {@link #disarm} after the attempt: it
   * says whether the interrupt came, and if it did, clears it, so that it never leaks past the call.
   */
  private static final class Interrupter extends Watchdog.Task {
    private final Thread thread;
    private int state; // 0 armed, 1 fired, 2 disarmed; guarded by this

    Interrupter(Thread thread) {
      this.thread = thread;
    }

    @Override
    synchronized void fire() {
      if (state == 0) {
        state = 1;
        thread.interrupt();
      }
    }

    /** False if the deadline passed (the thread's interrupt status is then cleared). */
    boolean disarm() {
      cancel();
      synchronized (this) {
        if (state == 1) {
          Thread.interrupted();
          return false;
        }
        state = 2;
        return true;
      }
    }
  }
}
