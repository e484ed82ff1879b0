package io.meterbridge.client;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.credentials.CredentialsProvider;
import io.meterbridge.client.credentials.SharedSettings;
import io.meterbridge.client.internal.ClientSettings;
import io.meterbridge.client.internal.ProxySetting;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The settings {@link MeteringClient.Builder} and {@link MeteringAsyncClient.Builder} share. Each
 * setter checks its argument at once (a null or a negative duration fails there, not at
 * {@code build()}); {@code build()} checks how they combine. Not thread-safe.
 *
 * <pre>{@code
 * MeteringClient client = MeteringClient.builder()
 *     .region("us-east-1")
 *     .credentialsProvider(() -> AwsCredentials.of(accessKeyId, secretAccessKey))
 *     .apiCallTimeout(Duration.ofSeconds(10))
 *     .retryPolicy(r -> r.maxAttempts(5))
 *     .build();
 * }</pre>
 *
 * @param <B> the concrete builder
 */
public abstract class ClientBuilder<B extends ClientBuilder<B>> {
  private Optional<String> region;
  private Optional<CredentialsProvider> credentialsProvider;
  private Optional<URI> endpointOverride;
  private Optional<Boolean> useFips;
  private Optional<Boolean> useDualStack;
  private Optional<RetryPolicy> retryPolicy;
  private Duration connectTimeout;
  private Duration apiCallAttemptTimeout;
  private Optional<Duration> apiCallTimeout;
  private final List<ExecutionInterceptor> interceptors;
  private Optional<System.Logger> wireLogger;
  private Optional<String> userAgentSuffix;
  private Clock clock;
  private Optional<HttpClient> httpClient;
  private Optional<Transport> transport;
  private Optional<Executor> executor;
  private Optional<String> appId;
  private Optional<Path> caBundle;
  private SharedSettings shared;
  private Optional<ProxySetting> proxy;
  private int maxIdleConnections;
  private Duration connectionMaxIdleTime;

  ClientBuilder(ClientSettings s) {
    region = s.region();
    credentialsProvider = s.credentialsProvider();
    endpointOverride = s.endpointOverride();
    useFips = s.useFips();
    useDualStack = s.useDualStack();
    retryPolicy = s.retryPolicy();
    connectTimeout = s.connectTimeout();
    apiCallAttemptTimeout = s.apiCallAttemptTimeout();
    apiCallTimeout = s.apiCallTimeout();
    interceptors = new ArrayList<>(s.interceptors());
    wireLogger = s.wireLogger();
    userAgentSuffix = s.userAgentSuffix();
    clock = s.clock();
    httpClient = s.httpClient();
    transport = s.transport();
    executor = s.executor();
    appId = s.appId();
    caBundle = s.caBundle();
    shared = s.shared();
    proxy = s.proxy();
    maxIdleConnections = s.maxIdleConnections();
    connectionMaxIdleTime = s.connectionMaxIdleTime();
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * The AWS region, such as {@code us-east-1}: it picks the endpoint and the signing region. When
   * not set, {@link io.meterbridge.client.credentials.RegionProvider#defaultChain()}:
   * {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, the {@code aws.region} property, the profile.
   *
   * <pre>{@code
   * builder.region("eu-west-1");
   * }</pre>
   *
   * @throws IllegalArgumentException if blank
   */
  public B region(String region) {
    Objects.requireNonNull(region, "region");
    if (region.isBlank()) {
      throw new IllegalArgumentException("region is blank");
    }
    this.region = Optional.of(region.strip());
    return self();
  }

  /**
   * Where credentials come from; asked before every attempt, so a refreshing provider keeps a
   * long-lived client working. When not set,
   * {@link io.meterbridge.client.credentials.DefaultCredentialsProvider}: environment, system
   * properties, profiles, container and instance credentials.
   *
   * <pre>{@code
   * builder.credentialsProvider(DefaultCredentialsProvider.create());
   * }</pre>
   */
  public B credentialsProvider(CredentialsProvider credentialsProvider) {
    this.credentialsProvider = Optional.of(Objects.requireNonNull(credentialsProvider, "credentialsProvider"));
    return self();
  }

  /**
   * Fixed credentials, for tests and scripts.
   *
   * <pre>{@code
   * builder.credentials(AwsCredentials.of("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
   * }</pre>
   */
  public B credentials(AwsCredentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    return credentialsProvider(new CredentialsProvider() {
      @Override
      public AwsCredentials resolveCredentials() {
        return credentials;
      }

      @Override
      public String toString() {
        return "static " + credentials;
      }
    });
  }

  /**
   * Sends requests to this URI instead of the region's endpoint, such as a Meterbridge server or a
   * test server. The region still names the signing region. Cannot be combined with
   * {@link #useFips(boolean)} or {@link #useDualStack(boolean)}. When not set, the endpoint URL
   * configured outside the code is used, if any: {@code AWS_ENDPOINT_URL_MARKETPLACE_METERING},
   * {@code AWS_ENDPOINT_URL}, the profile's {@code services} section or {@code endpoint_url} (see
   * {@link SharedSettings}), unless {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS} is true.
   *
   * <pre>{@code
   * builder.endpointOverride(URI.create("http://127.0.0.1:8080"));
   * }</pre>
   *
   * @throws IllegalArgumentException if the URI is not absolute http or https
   */
  public B endpointOverride(URI endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    String scheme = endpoint.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || endpoint.getHost() == null) {
      throw new IllegalArgumentException("endpointOverride must be an absolute http or https URI, was "
          + endpoint);
    }
    this.endpointOverride = Optional.of(endpoint);
    return self();
  }

  /**
   * Use the region's FIPS 140 endpoint ({@code metering.marketplace-fips...}). When not set,
   * {@code AWS_USE_FIPS_ENDPOINT} (or {@code aws.useFipsEndpoint}, or the profile's
   * {@code use_fips_endpoint}); off by default.
   *
   * <pre>{@code
   * builder.region("us-gov-west-1").useFips(true);
   * }</pre>
   */
  public B useFips(boolean useFips) {
    this.useFips = Optional.of(useFips);
    return self();
  }

  /**
   * Use the region's dual-stack (IPv4 and IPv6) endpoint. When not set,
   * {@code AWS_USE_DUALSTACK_ENDPOINT} (or {@code aws.useDualstackEndpoint}, or the profile's
   * {@code use_dualstack_endpoint}); off by default.
   *
   * <pre>{@code
   * builder.useDualStack(true);
   * }</pre>
   */
  public B useDualStack(boolean useDualStack) {
    this.useDualStack = Optional.of(useDualStack);
    return self();
  }

  /**
   * The retry policy. When not set: {@code AWS_RETRY_MODE} ({@code standard}, {@code adaptive};
   * {@code legacy} reads as standard) and {@code AWS_MAX_ATTEMPTS} (or their system properties
   * and profile keys, see {@link SharedSettings}) over {@link RetryPolicy#standard()}. A policy set
   * here is used as it is: the shared settings no longer apply.
   *
   * <pre>{@code
   * builder.retryPolicy(RetryPolicy.adaptive());
   * }</pre>
   */
  public B retryPolicy(RetryPolicy retryPolicy) {
    this.retryPolicy = Optional.of(Objects.requireNonNull(retryPolicy, "retryPolicy"));
    return self();
  }

  /**
   * Changes the current retry policy in place ({@link RetryPolicy#standard()} if none was set);
   * the result is set as by {@link #retryPolicy(RetryPolicy)}.
   *
   * <pre>{@code
   * builder.retryPolicy(r -> r.maxAttempts(5).maxBackoff(Duration.ofSeconds(5)));
   * }</pre>
   */
  public B retryPolicy(Consumer<RetryPolicy.Builder> retryPolicy) {
    RetryPolicy.Builder b = this.retryPolicy.orElse(RetryPolicy.standard()).toBuilder();
    retryPolicy.accept(b);
    return retryPolicy(b.build());
  }

  /**
   * How long opening a connection (TCP and TLS) may take; 2 s by default. Ignored when an
   * {@linkplain #httpClient(HttpClient) HTTP client} is given: it has its own.
   *
   * <pre>{@code
   * builder.connectTimeout(Duration.ofMillis(500));
   * }</pre>
   *
   * @throws IllegalArgumentException if not positive
   */
  public B connectTimeout(Duration connectTimeout) {
    this.connectTimeout = positive("connectTimeout", connectTimeout);
    return self();
  }

  /**
   * How long one attempt, from sending to the last byte of the response, may take; 30 s by
   * default. An attempt that takes longer fails with {@link ApiCallAttemptTimeoutException} and is
   * retried.
   *
   * <pre>{@code
   * builder.apiCallAttemptTimeout(Duration.ofSeconds(3));
   * }</pre>
   *
   * @throws IllegalArgumentException if not positive
   */
  public B apiCallAttemptTimeout(Duration timeout) {
    this.apiCallAttemptTimeout = positive("apiCallAttemptTimeout", timeout);
    return self();
  }

  /**
   * How long a whole call, retries and waits included, may take; unlimited by default. A call that
   * takes longer fails with {@link ApiCallTimeoutException}, which is final.
   *
   * <pre>{@code
   * builder.apiCallTimeout(Duration.ofSeconds(10));
   * }</pre>
   *
   * @throws IllegalArgumentException if not positive
   */
  public B apiCallTimeout(Duration timeout) {
    this.apiCallTimeout = Optional.of(positive("apiCallTimeout", timeout));
    return self();
  }

  /**
   * Adds an interceptor after those already added.
   *
   * <pre>{@code
   * builder.addInterceptor(new MetricsInterceptor(registry));
   * }</pre>
   */
  public B addInterceptor(ExecutionInterceptor interceptor) {
    interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
    return self();
  }

  /**
   * Replaces the interceptors.
   *
   * <pre>{@code
   * builder.interceptors(List.of(tracing, metrics));
   * }</pre>
   */
  public B interceptors(List<ExecutionInterceptor> interceptors) {
    List<ExecutionInterceptor> copy = List.copyOf(interceptors);
    this.interceptors.clear();
    this.interceptors.addAll(copy);
    return self();
  }

  /**
   * Switches the wire log on or off (off by default). When on, every request and response, with
   * headers and bodies, goes to the {@link System.Logger} {@code io.meterbridge.client.wire} at
   * level INFO, with the signature and session token masked.
   *
   * <pre>{@code
   * builder.wireLog(true);
   * }</pre>
   */
  public B wireLog(boolean enabled) {
    this.wireLogger = enabled ? Optional.of(System.getLogger("io.meterbridge.client.wire")) : Optional.empty();
    return self();
  }

  /**
   * Switches the wire log on, writing to this logger at level INFO.
   *
   * <pre>{@code
   * builder.wireLog(System.getLogger("billing.metering.wire"));
   * }</pre>
   */
  public B wireLog(System.Logger logger) {
    this.wireLogger = Optional.of(Objects.requireNonNull(logger, "logger"));
    return self();
  }

  /**
   * Text appended to the {@code User-Agent} header, such as your product and version.
   *
   * <pre>{@code
   * builder.userAgentSuffix("acme-saas/2.3.1");
   * }</pre>
   *
   * @throws IllegalArgumentException if it contains a line break
   */
  public B userAgentSuffix(String suffix) {
    Objects.requireNonNull(suffix, "suffix");
    if (suffix.indexOf('\r') >= 0 || suffix.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("userAgentSuffix must not contain line breaks");
    }
    this.userAgentSuffix = suffix.isBlank() ? Optional.empty() : Optional.of(suffix.strip());
    return self();
  }

  /**
   * The clock that dates signatures; the system clock by default. For tests.
   *
   * <pre>{@code
   * builder.clock(Clock.fixed(Instant.parse("2026-08-01T10:15:00Z"), ZoneOffset.UTC));
   * }</pre>
   */
  public B clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /**
   * Sends through this HTTP client, shared with other clients, instead of one of its own. The
   * client never closes it. Use HTTP/1.1: the service does not speak HTTP/2. For the blocking
   * client this replaces its own socket transport (see {@link MeteringClient}) with
   * {@code HttpClient.send}, which costs more CPU per call. Cannot be combined with
   * {@link #transport(Transport)}.
   *
   * <pre>{@code
   * HttpClient shared = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
   * MeteringClient a = MeteringClient.builder().region("us-east-1").httpClient(shared).build();
   * MeteringClient b = MeteringClient.builder().region("eu-west-1").httpClient(shared).build();
   * }</pre>
   */
  public B httpClient(HttpClient httpClient) {
    this.httpClient = Optional.of(Objects.requireNonNull(httpClient, "httpClient"));
    return self();
  }

  /**
   * Sends through this transport, your own HTTP stack, instead of the built-in ones; see
   * {@link Transport} for what it must do. The client never closes it. Cannot be combined with
   * {@link #httpClient(HttpClient)}; {@link #connectTimeout(Duration)} reaches it as
   * {@link Transport.Request#connectTimeout()}.
   *
   * <pre>{@code
   * MeteringClient client = MeteringClient.builder().region("us-east-1")
   *     .transport(new UrlConnectionTransport())
   *     .build();
   * }</pre>
   */
  public B transport(Transport transport) {
    this.transport = Optional.of(Objects.requireNonNull(transport, "transport"));
    return self();
  }

  /**
   * The executor for the client's {@code java.net.http} client and for the async client's work
   * off the caller's thread (starting a retry, completing a call after a timeout, a blocking
   * {@link Transport}'s exchanges for the async client); otherwise one
   * shared pool of daemon threads, never {@code ForkJoinPool.commonPool()}. The blocking client
   * runs its calls on the caller's thread and uses it only when it sends through
   * {@code java.net.http}. The client never shuts it down.
   *
   * <pre>{@code
   * builder.executor(Executors.newFixedThreadPool(4));
   * }</pre>
   */
  public B executor(Executor executor) {
    this.executor = Optional.of(Objects.requireNonNull(executor, "executor"));
    return self();
  }

  /**
   * Your application's id, sent in the {@code User-Agent} as {@code app/<id>} so that AWS can
   * tell your calls apart; when not set, {@code AWS_SDK_UA_APP_ID} (or {@code sdk.ua.appId}, or
   * the profile's {@code sdk_ua_app_id}).
   *
   * <pre>{@code
   * builder.appId("acme-billing");
   * }</pre>
   *
   * @throws IllegalArgumentException if longer than 50 characters or not visible ASCII
   */
  public B appId(String appId) {
    Objects.requireNonNull(appId, "appId");
    try {
      SharedSettings.checkAppId(appId, "appId");
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    this.appId = Optional.of(appId);
    return self();
  }

  /**
   * Trust the certificate authorities in this PEM file instead of the JVM's trust store, for
   * {@code https} endpoints (a proxy that re-signs TLS, a private Meterbridge server); when not
   * set, {@code AWS_CA_BUNDLE} (or the profile's {@code ca_bundle}). Applies to the built-in
   * transports, not to a given {@link #httpClient(HttpClient)} or {@link #transport(Transport)}.
   *
   * <pre>{@code
   * builder.caBundle(Path.of("/etc/ssl/corp-ca.pem"));
   * }</pre>
   *
   * @throws IllegalArgumentException if the file does not exist
   */
  public B caBundle(Path pemFile) {
    Objects.requireNonNull(pemFile, "pemFile");
    if (!Files.isRegularFile(pemFile)) {
      throw new IllegalArgumentException("caBundle " + pemFile + " is not a file; give a PEM file"
          + " of CA certificates");
    }
    this.caBundle = Optional.of(pemFile);
    return self();
  }

  /**
   * Sends through this HTTP proxy ({@code http://host:port}), whatever the JVM's
   * {@code ProxySelector} says. The blocking client's socket transport speaks to it itself: a
   * {@code CONNECT} tunnel for {@code https} endpoints, the absolute-form request line for
   * {@code http}. The async client passes it to its {@code java.net.http} client.
   *
   * <pre>{@code
   * builder.proxy(URI.create("http://proxy.corp:3128"));
   * }</pre>
   *
   * @throws IllegalArgumentException if not an {@code http} URI with a host, or with a path
   */
  public B proxy(URI proxy) {
    this.proxy = Optional.of(new ProxySetting(checkProxy(proxy), Optional.empty(), Optional.empty()));
    return self();
  }

  /**
   * Sends through this HTTP proxy, answering its Basic authentication with this user and
   * password (sent on the tunnel's {@code CONNECT}, or on each request to an {@code http}
   * endpoint). The password is never logged. The async client's {@code java.net.http} refuses
   * Basic for tunnels unless the JVM sets {@code jdk.http.auth.tunneling.disabledSchemes=""};
   * the blocking client needs nothing.
   *
   * <pre>{@code
   * builder.proxy(URI.create("http://proxy.corp:3128"), "metering", System.getenv("PROXY_PASSWORD"));
   * }</pre>
   *
   * @throws IllegalArgumentException as {@link #proxy(URI)}, or if the user is blank or holds a colon
   */
  public B proxy(URI proxy, String username, String password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (username.isBlank() || username.indexOf(':') >= 0) {
      throw new IllegalArgumentException("proxy username must be non-blank and without ':'");
    }
    this.proxy = Optional.of(new ProxySetting(checkProxy(proxy), Optional.of(username), Optional.of(password)));
    return self();
  }

  private static URI checkProxy(URI proxy) {
    Objects.requireNonNull(proxy, "proxy");
    if (!"http".equalsIgnoreCase(proxy.getScheme()) || proxy.getHost() == null
        || (proxy.getRawPath() != null && !proxy.getRawPath().isEmpty() && !proxy.getRawPath().equals("/"))
        || proxy.getRawUserInfo() != null) {
      throw new IllegalArgumentException("proxy must be http://host:port (without user or path; give"
          + " the user and password as arguments), was " + proxy.getScheme() + "://"
          + proxy.getHost() + (proxy.getPort() < 0 ? "" : ":" + proxy.getPort())
          + (proxy.getRawUserInfo() != null ? " with a user in it" : ""));
    }
    return proxy;
  }

  /**
   * How many idle connections the blocking client's socket transport keeps for reuse; 32 by
   * default, 0 to open a connection per call. Not applied to {@code java.net.http}, whose pool
   * is JVM-wide ({@code jdk.httpclient.connectionPoolSize}).
   *
   * <pre>{@code
   * builder.maxIdleConnections(4);
   * }</pre>
   *
   * @throws IllegalArgumentException if negative
   */
  public B maxIdleConnections(int maxIdleConnections) {
    if (maxIdleConnections < 0) {
      throw new IllegalArgumentException("maxIdleConnections must be 0 or more, was " + maxIdleConnections);
    }
    this.maxIdleConnections = maxIdleConnections;
    return self();
  }

  /**
   * How long the blocking client's socket transport keeps an idle connection; 50 s by default
   * (under the 60 s after which AWS load balancers close one). Not applied to
   * {@code java.net.http} ({@code jdk.httpclient.keepalive.timeout}).
   *
   * <pre>{@code
   * builder.connectionMaxIdleTime(Duration.ofSeconds(20));
   * }</pre>
   *
   * @throws IllegalArgumentException if not positive
   */
  public B connectionMaxIdleTime(Duration maxIdleTime) {
    this.connectionMaxIdleTime = positive("connectionMaxIdleTime", maxIdleTime);
    return self();
  }

  /** Where settings not given to the builder come from; tests pass their own maps. */
  B sharedSettings(SharedSettings shared) {
    this.shared = Objects.requireNonNull(shared, "shared");
    return self();
  }

  /** The frozen settings, checked for contradictions. */
  ClientSettings settings() {
    if (endpointOverride.isPresent() && useFips.orElse(false)) {
      throw new IllegalStateException("useFips(true) cannot be combined with endpointOverride");
    }
    if (endpointOverride.isPresent() && useDualStack.orElse(false)) {
      throw new IllegalStateException("useDualStack(true) cannot be combined with endpointOverride");
    }
    if (httpClient.isPresent() && transport.isPresent()) {
      throw new IllegalStateException("httpClient and transport cannot be combined: the client sends "
          + "through one or the other");
    }
    if (proxy.isPresent() && (httpClient.isPresent() || transport.isPresent())) {
      throw new IllegalStateException("proxy applies to the built-in transports only; configure the"
          + " proxy on your httpClient or transport instead");
    }
    if (caBundle.isPresent() && (httpClient.isPresent() || transport.isPresent())) {
      throw new IllegalStateException("caBundle applies to the built-in transports only; give your"
          + " httpClient or transport its own trust settings instead");
    }
    Duration attemptTimeout = apiCallAttemptTimeout;
    if (apiCallTimeout.isPresent() && attemptTimeout.compareTo(apiCallTimeout.get()) > 0) {
      // The call timeout would always win; cap the attempt timeout so the numbers say what happens.
      attemptTimeout = apiCallTimeout.get();
    }
    return new ClientSettings(region, credentialsProvider, endpointOverride, useFips, useDualStack,
        retryPolicy, connectTimeout, attemptTimeout, apiCallTimeout, interceptors, wireLogger,
        userAgentSuffix, clock, httpClient, transport, executor, appId, caBundle, shared, proxy,
        maxIdleConnections, connectionMaxIdleTime);
  }

  private static Duration positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return value;
  }
}
