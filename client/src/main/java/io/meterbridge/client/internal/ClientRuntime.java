package io.meterbridge.client.internal;

import io.meterbridge.auth.SigV4Signer;
import io.meterbridge.client.RetryPolicy;
import io.meterbridge.client.Transport;
import io.meterbridge.client.credentials.CredentialsProvider;
import io.meterbridge.client.credentials.DefaultCredentialsProvider;
import io.meterbridge.client.credentials.SharedSettings;
import io.meterbridge.client.endpoints.EndpointParams;
import io.meterbridge.client.endpoints.MeteringEndpoints;
import io.meterbridge.client.endpoints.ResolvedEndpoint;
import io.meterbridge.exception.MeteringClientException;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.Operation;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What one built client runs on: its settings resolved once (region, endpoint, signer,
 * credentials, user agent), the state its calls share (retry quota, rate limiter) and its
 * {@link Transport}. Each call is a {@link BlockingCall} or an {@link AsyncCall} over it.
 *
 * <p>The transport: the one given to the builder; else {@code java.net.http} over the given
 * {@code HttpClient}; else, for the blocking client, the {@link SocketTransport} when requests go
 * direct (no proxy applies); else {@code java.net.http} over a client of its own.
 */
public final class ClientRuntime implements AutoCloseable {
  final ClientSettings settings;
  final String region;
  final ResolvedEndpoint endpoint;
  final URI requestUri;
  /** The Host header the transports send, which SigV4 signs. */
  final String hostHeader;
  final Transport transport;
  /** The transport when the client made it, to close with the client; otherwise null. */
  private final AutoCloseable ownedTransport;
  private final Executor executor;
  final CredentialsProvider credentials;
  final SigV4Signer signer;
  final RetryPolicy retry;
  /** Null when the policy has no retry quota. */
  final RetryQuota quota;
  /** Null unless the policy is adaptive. */
  final AdaptiveRateLimiter limiter;
  /** Null unless the wire log is on. */
  final WireLog wireLog;
  final String userAgent;
  final Interceptors interceptors;
  private volatile boolean closed;
  /**
   * Added to the settings' clock when signing: the service's time minus ours, learnt from a clock
   * skew error ({@link ClockSkew}); 0 until then.
   */
  volatile long clockOffsetMillis;

  /**
   * The runtime of a client with these settings; {@code blocking} for the blocking client, which
   * may then send on its own sockets.
   *
   * @throws io.meterbridge.client.credentials.CredentialsException if no region is set or found
   * @throws io.meterbridge.client.endpoints.EndpointResolutionException if the endpoint rules
   *     reject the region and switches
   */
  public ClientRuntime(ClientSettings settings, boolean blocking) {
    this.settings = settings;
    SharedSettings shared = settings.shared().snapshot();
    // Plain conditionals rather than lambdas here and on the first call's path: each lambda site
    // is linked the first time it runs, which adds up before the first call completes.
    this.region = settings.region().isPresent() ? settings.region().get()
        : shared.regionProvider().requireRegion();
    // A builder value beats the shared settings (properties, environment, profile), as in the
    // AWS SDKs; each shared setting is looked up only when the builder left it unset.
    // An explicit endpoint makes the configured FIPS and dual-stack switches moot.
    boolean explicitEndpoint = settings.endpointOverride().isPresent();
    boolean useFips = settings.useFips().isPresent() ? settings.useFips().get()
        : !explicitEndpoint && shared.useFips().orElse(false);
    boolean useDualStack = settings.useDualStack().isPresent() ? settings.useDualStack().get()
        : !explicitEndpoint && shared.useDualStack().orElse(false);
    Optional<URI> endpointUrl = settings.endpointOverride().isPresent()
        ? settings.endpointOverride() : shared.endpointUrl();
    if (settings.endpointOverride().isEmpty() && endpointUrl.isPresent() && (useFips || useDualStack)) {
      throw new IllegalStateException("An endpoint URL is configured (AWS_ENDPOINT_URL_MARKETPLACE_METERING,"
          + " AWS_ENDPOINT_URL or the profile's endpoint_url) and so is "
          + (useFips ? "the FIPS" : "the dual-stack") + " endpoint; a custom endpoint cannot be"
          + " combined with either: unset one, or set AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true");
    }
    EndpointParams.Builder params = EndpointParams.builder().region(region)
        .useFips(useFips).useDualStack(useDualStack);
    if (endpointUrl.isPresent()) {
      params.endpoint(endpointUrl.get());
    }
    this.endpoint = MeteringEndpoints.resolve(params.build());
    URI uri = endpoint.uri();
    this.requestUri = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? uri.resolve("/") : uri;
    this.hostHeader = HeaderRules.host(requestUri);
    this.executor = settings.executor().isPresent() ? settings.executor().get() : null;
    boolean ownTransport = settings.transport().isEmpty() && settings.httpClient().isEmpty();
    SSLContext tls = null;
    if (ownTransport && "https".equalsIgnoreCase(requestUri.getScheme())) {
      if (settings.caBundle().isPresent()) {
        tls = TrustBundle.sslContext(settings.caBundle().get(), "caBundle");
      } else {
        Optional<Path> bundle = shared.caBundle();
        if (bundle.isPresent()) {
          tls = TrustBundle.sslContext(bundle.get(), "AWS_CA_BUNDLE or the profile's ca_bundle");
        }
      }
    }
    if (settings.transport().isPresent()) {
      this.transport = settings.transport().get();
      this.ownedTransport = null;
    } else if (settings.httpClient().isPresent()) {
      this.transport = new JdkTransport(settings.httpClient().get());
      this.ownedTransport = null;
    } else if (blocking && (settings.proxy().isPresent() || SocketTransport.usable(requestUri))) {
      SocketTransport sockets = new SocketTransport(requestUri, settings.connectTimeout(),
          settings.wireLogger().isPresent(), new SocketTransport.Options(tls,
              settings.proxy().orElse(null), settings.maxIdleConnections(),
              settings.connectionMaxIdleTime(), SocketTransport.Options.defaults().resolver()));
      this.transport = sockets;
      this.ownedTransport = sockets;
    } else {
      JdkTransport jdk = new JdkTransport(settings.connectTimeout(), executor(), tls,
          settings.proxy().orElse(null));
      this.transport = jdk;
      this.ownedTransport = jdk;
    }
    this.credentials = settings.credentialsProvider().isPresent() ? settings.credentialsProvider().get()
        : DefaultCredentialsProvider.create();
    this.signer = SigV4Signer.builder().service(endpoint.signingName())
        .region(endpoint.signingRegion().orElse(region)).build();
    this.retry = settings.retryPolicy().isPresent() ? settings.retryPolicy().get()
        : configuredRetry(shared);
    this.quota = retry.retryQuota() ? new RetryQuota() : null;
    this.limiter = retry.mode() == RetryPolicy.Mode.ADAPTIVE ? new AdaptiveRateLimiter() : null;
    this.wireLog = settings.wireLogger().isPresent()
        ? new WireLog(settings.wireLogger().get(), System.Logger.Level.INFO) : null;
    this.userAgent = UserAgent.of(settings.userAgentSuffix(),
        settings.appId().isPresent() ? settings.appId() : shared.appId());
    this.interceptors = new Interceptors(settings.interceptors());
  }

  /** {@code AWS_RETRY_MODE} and {@code AWS_MAX_ATTEMPTS} over the standard policy. */
  private static RetryPolicy configuredRetry(SharedSettings shared) {
    Optional<String> mode = shared.retryMode();
    Optional<Integer> attempts = shared.maxAttempts();
    // legacy is the SDKs' pre-2020 behaviour; standard is its successor and the closest we have.
    RetryPolicy base = mode.isPresent() && mode.get().equals("adaptive")
        ? RetryPolicy.adaptive() : RetryPolicy.standard();
    return attempts.isPresent() ? base.toBuilder().maxAttempts(attempts.get()).build() : base;
  }

  /** The time to sign with: our clock, corrected by what the service told us. */
  java.time.Instant now() {
    long offset = clockOffsetMillis;
    java.time.Instant instant = settings.clock().instant();
    return offset == 0 ? instant : instant.plusMillis(offset);
  }

  /** The settings the client was built from. */
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

  /** The executor for work off the caller's thread: the given one, or the shared pool. */
  Executor executor() {
    return executor != null ? executor : SharedExecutor.get();
  }

  /**
   * Runs a call on the caller's thread and returns its response.
   *
   * @throws io.meterbridge.exception.MeteringException as the call failed
   */
  public <I, O> O executeBlocking(Operation<I, O> operation, I request) {
    Objects.requireNonNull(request, "request");
    if (closed) {
      throw new MeteringClientException("The client is closed");
    }
    return new BlockingCall<>(this, operation, withClientToken(operation, request)).run();
  }

  /**
   * Starts a call. The future fails with a {@link io.meterbridge.exception.MeteringException};
   * cancelling it abandons the call.
   */
  public <I, O> CompletableFuture<O> execute(Operation<I, O> operation, I request) {
    Objects.requireNonNull(request, "request");
    if (closed) {
      return CompletableFuture.failedFuture(new MeteringClientException("The client is closed"));
    }
    return new AsyncCall<>(this, operation, withClientToken(operation, request)).start();
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
    if (ownedTransport != null) {
      try {
        ownedTransport.close();
      } catch (Exception e) {
        System.getLogger("io.meterbridge.client").log(System.Logger.Level.DEBUG,
            "closing the transport failed", e);
      }
    }
  }
}
