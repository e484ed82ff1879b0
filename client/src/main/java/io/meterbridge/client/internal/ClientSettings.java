package io.meterbridge.client.internal;

import io.meterbridge.client.ExecutionInterceptor;
import io.meterbridge.client.RetryPolicy;
import io.meterbridge.client.Transport;
import io.meterbridge.client.credentials.CredentialsProvider;
import io.meterbridge.client.credentials.SharedSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Everything a client builder collected, frozen. Not part of the public API.
 *
 * @param region the region, when set or found
 * @param credentialsProvider the credentials, when set (otherwise the default chain)
 * @param endpointOverride a fixed endpoint instead of the resolved one
 * @param useFips use the FIPS endpoint, when set (otherwise the shared settings decide)
 * @param useDualStack use the dual-stack endpoint, when set
 * @param retryPolicy the retry policy, when set (otherwise from the shared settings)
 * @param connectTimeout the TCP (and TLS) connect timeout
 * @param apiCallAttemptTimeout the limit on one attempt (never longer than the call timeout)
 * @param apiCallTimeout the limit on a whole call
 * @param interceptors interceptors in order
 * @param wireLogger where the wire log goes, when enabled
 * @param userAgentSuffix appended to the User-Agent
 * @param clock the clock for signing
 * @param httpClient a shared HTTP client the client does not own
 * @param transport a transport the client does not own, instead of the built-in ones
 * @param executor a shared executor for the HTTP client and retry scheduling
 * @param appId the application id for the User-Agent, when set
 * @param caBundle a PEM file of trusted certificate authorities, when set
 * @param shared where settings not given to the builder are looked up
 * @param proxy the client's own HTTP proxy, when set
 * @param maxIdleConnections idle connections the socket transport keeps
 * @param connectionMaxIdleTime how long the socket transport keeps an idle connection
 */
public record ClientSettings(
    Optional<String> region,
    Optional<CredentialsProvider> credentialsProvider,
    Optional<URI> endpointOverride,
    Optional<Boolean> useFips,
    Optional<Boolean> useDualStack,
    Optional<RetryPolicy> retryPolicy,
    Duration connectTimeout,
    Duration apiCallAttemptTimeout,
    Optional<Duration> apiCallTimeout,
    List<ExecutionInterceptor> interceptors,
    Optional<System.Logger> wireLogger,
    Optional<String> userAgentSuffix,
    Clock clock,
    Optional<HttpClient> httpClient,
    Optional<Transport> transport,
    Optional<Executor> executor,
    Optional<String> appId,
    Optional<Path> caBundle,
    SharedSettings shared,
    Optional<ProxySetting> proxy,
    int maxIdleConnections,
    Duration connectionMaxIdleTime) {

  /** A new builder's connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /** A new builder's attempt timeout. */
  public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(30);

  public ClientSettings {
    interceptors = List.copyOf(interceptors);
  }

  /** A new builder's settings. */
  public static ClientSettings defaults() {
    return new ClientSettings(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_ATTEMPT_TIMEOUT, Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
        Clock.systemUTC(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), SharedSettings.system(), Optional.empty(),
        SocketTransport.MAX_IDLE_CONNECTIONS, SocketTransport.MAX_IDLE_TIME);
  }
}
