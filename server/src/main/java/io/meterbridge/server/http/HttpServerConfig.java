package io.meterbridge.server.http;

import io.meterbridge.server.catalog.CatalogRules;
import io.meterbridge.server.throttle.Throttling;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything about how the {@link HttpServer} listens and protects itself, validated when built: a bad value
 * fails {@link Builder#build()} with an {@link IllegalArgumentException} naming every setting that
 * is wrong and why.
 *
 * <pre>{@code
 * HttpServerConfig config = HttpServerConfig.builder()
 *     .bindAddress("0.0.0.0").port(8080)
 *     .regions("us-east-1", "eu-west-1")
 *     .throttling(Throttling.off())
 *     .build();
 * }</pre>
 */
public final class HttpServerConfig {
  /** The service's request size limit: a body of this many bytes (1 MiB) or more is refused. */
  public static final int SERVICE_BODY_LIMIT = 1_048_576;

  private final String bindAddress;
  private final int port;
  private final List<String> regions;
  private final Set<String> disabledRegions;
  private final int bodyLimitBytes;
  private final int maxHeaderBytes;
  private final int maxInitialLineBytes;
  private final Duration idleTimeout;
  private final Duration requestReadTimeout;
  private final Duration requestHeadTimeout;
  private final int maxConnections;
  private final int maxConnectionsPerAddress;
  private final Duration shutdownGracePeriod;
  private final int ioThreads;
  private final boolean nativeTransport;
  private final Throttling throttling;
  private final Path tlsCertificate;
  private final Path tlsPrivateKey;
  private final Duration tlsReloadInterval;

  private HttpServerConfig(Builder b) {
    this.bindAddress = b.bindAddress;
    this.port = b.port;
    this.regions = List.copyOf(b.regions);
    this.disabledRegions = Set.copyOf(b.disabledRegions);
    this.bodyLimitBytes = b.bodyLimitBytes;
    this.maxHeaderBytes = b.maxHeaderBytes;
    this.maxInitialLineBytes = b.maxInitialLineBytes;
    this.idleTimeout = b.idleTimeout;
    this.requestReadTimeout = b.requestReadTimeout;
    this.requestHeadTimeout = b.requestHeadTimeout;
    this.maxConnections = b.maxConnections;
    this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
    this.shutdownGracePeriod = b.shutdownGracePeriod;
    this.ioThreads = b.ioThreads;
    this.nativeTransport = b.nativeTransport;
    this.throttling = b.throttling;
    this.tlsCertificate = b.tlsCertificate;
    this.tlsPrivateKey = b.tlsPrivateKey;
    this.tlsReloadInterval = b.tlsReloadInterval;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults: 127.0.0.1:8080, us-east-1, published quotas. */
  public static HttpServerConfig defaults() {
    return builder().build();
  }

  /** A builder holding this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder()
        .bindAddress(bindAddress).port(port).regions(regions).disabledRegions(disabledRegions)
        .bodyLimitBytes(bodyLimitBytes).maxHeaderBytes(maxHeaderBytes).maxInitialLineBytes(maxInitialLineBytes)
        .idleTimeout(idleTimeout).requestReadTimeout(requestReadTimeout).requestHeadTimeout(requestHeadTimeout)
        .maxConnections(maxConnections).maxConnectionsPerAddress(maxConnectionsPerAddress)
        .shutdownGracePeriod(shutdownGracePeriod)
        .ioThreads(ioThreads).nativeTransport(nativeTransport).throttling(throttling)
        .tlsReloadInterval(tlsReloadInterval);
    if (tlsCertificate != null) {
      b.tls(tlsCertificate, tlsPrivateKey);
    }
    return b;
  }

  /** The address to listen on: an IP literal or host name, such as {@code 0.0.0.0}. */
  public String bindAddress() {
    return bindAddress;
  }

  /** The port to listen on; 0 picks a free one, which {@link HttpServer#port()} reports. */
  public int port() {
    return port;
  }

  /**
   * The regions this endpoint serves; the first is the region of calls whose signature names none.
   * Signed requests must be scoped to one of them.
   */
  public List<String> regions() {
    return regions;
  }

  /**
   * Regions whose calls are answered {@code DisabledApiException}: signed for such a Region, a call
   * authenticates (the signature is checked as for any served Region) and is then refused.
   */
  public Set<String> disabledRegions() {
    return disabledRegions;
  }

  /** Requests whose body is this many bytes or more are refused with 413 before being read. */
  public int bodyLimitBytes() {
    return bodyLimitBytes;
  }

  /** The most bytes of headers a request may carry. */
  public int maxHeaderBytes() {
    return maxHeaderBytes;
  }

  /** The longest request line ({@code POST / HTTP/1.1}) accepted. */
  public int maxInitialLineBytes() {
    return maxInitialLineBytes;
  }

  /** A connection with nothing to read, write or answer for this long is closed. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** A request whose headers and body are not all received this long after it began fails with 408. */
  public Duration requestReadTimeout() {
    return requestReadTimeout;
  }

  /**
   * The request line and headers must all arrive within this time of a connection's opening (or,
   * on a kept-alive connection, of the request's first byte), however steadily they trickle in;
   * otherwise 408 and the connection is closed. Also bounds the TLS handshake.
   */
  public Duration requestHeadTimeout() {
    return requestHeadTimeout;
  }

  /** Connections beyond this many open at once are closed as soon as they are accepted. */
  public int maxConnections() {
    return maxConnections;
  }

  /** Connections from one source address beyond this many open at once are closed as soon as accepted. */
  public int maxConnectionsPerAddress() {
    return maxConnectionsPerAddress;
  }

  /** The PEM certificate chain served over TLS; empty for plain HTTP. */
  public Optional<Path> tlsCertificate() {
    return Optional.ofNullable(tlsCertificate);
  }

  /** The PEM (PKCS#8) private key of {@link #tlsCertificate()}; empty for plain HTTP. */
  public Optional<Path> tlsPrivateKey() {
    return Optional.ofNullable(tlsPrivateKey);
  }

  /** How often the TLS files are checked for changes, and reloaded when they changed. */
  public Duration tlsReloadInterval() {
    return tlsReloadInterval;
  }

  /** How long {@link HttpServer#close()} lets calls in flight finish. */
  public Duration shutdownGracePeriod() {
    return shutdownGracePeriod;
  }

  /** The number of network threads. */
  public int ioThreads() {
    return ioThreads;
  }

  /** Whether to use the native epoll transport where the platform has it (NIO otherwise). */
  public boolean nativeTransport() {
    return nativeTransport;
  }

  /** The request quotas. */
  public Throttling throttling() {
    return throttling;
  }

  @Override
  public String toString() {
    return "HttpServerConfig[bind " + bindAddress + ":" + port + ", regions " + regions
        + (disabledRegions.isEmpty() ? "" : ", disabledRegions " + disabledRegions)
        + ", bodyLimitBytes " + bodyLimitBytes + ", maxHeaderBytes " + maxHeaderBytes
        + ", maxInitialLineBytes " + maxInitialLineBytes + ", idleTimeout " + idleTimeout
        + ", requestReadTimeout " + requestReadTimeout + ", requestHeadTimeout " + requestHeadTimeout
        + ", maxConnections " + maxConnections + ", maxConnectionsPerAddress " + maxConnectionsPerAddress
        + ", tls " + (tlsCertificate == null ? "off" : tlsCertificate) + ", shutdownGracePeriod " + shutdownGracePeriod
        + ", ioThreads " + ioThreads + ", nativeTransport " + nativeTransport + ", " + throttling + "]";
  }

  /** Builds {@link HttpServerConfig}s. Not thread-safe. */
  public static final class Builder {
    private String bindAddress = "127.0.0.1";
    private int port = 8080;
    private List<String> regions = List.of("us-east-1");
    private Set<String> disabledRegions = Set.of();
    private int bodyLimitBytes = SERVICE_BODY_LIMIT;
    private int maxHeaderBytes = 16 * 1024;
    private int maxInitialLineBytes = 4 * 1024;
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration requestReadTimeout = Duration.ofSeconds(30);
    private Duration requestHeadTimeout = Duration.ofSeconds(10);
    private int maxConnections = 10_000;
    private int maxConnectionsPerAddress = 1_000;
    private Duration shutdownGracePeriod = Duration.ofSeconds(10);
    private int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private boolean nativeTransport = true;
    private Throttling throttling = Throttling.defaults();
    private Path tlsCertificate;
    private Path tlsPrivateKey;
    private Duration tlsReloadInterval = Duration.ofSeconds(10);

    private Builder() {}

    /** Default {@code 127.0.0.1}; {@code 0.0.0.0} listens on every interface. */
    public Builder bindAddress(String bindAddress) {
      this.bindAddress = bindAddress;
      return this;
    }

    /** Default 8080; 0 picks a free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Default {@code us-east-1}. */
    public Builder regions(String... regions) {
      return regions(List.of(regions));
    }

    /** Default {@code us-east-1}. */
    public Builder regions(List<String> regions) {
      this.regions = regions;
      return this;
    }

    /** Default none. */
    public Builder disabledRegions(Set<String> disabledRegions) {
      this.disabledRegions = disabledRegions;
      return this;
    }

    /** Default 1,048,576 (1 MiB, the service's limit); between 1,024 and that. */
    public Builder bodyLimitBytes(int bodyLimitBytes) {
      this.bodyLimitBytes = bodyLimitBytes;
      return this;
    }

    /** Default 16 KiB; between 1 KiB and 1 MiB. */
    public Builder maxHeaderBytes(int maxHeaderBytes) {
      this.maxHeaderBytes = maxHeaderBytes;
      return this;
    }

    /** Default 4 KiB; between 256 bytes and 64 KiB. */
    public Builder maxInitialLineBytes(int maxInitialLineBytes) {
      this.maxInitialLineBytes = maxInitialLineBytes;
      return this;
    }

    /** Default 60 s; between 1 s and 1 h. */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
      return this;
    }

    /** Default 30 s; between 100 ms and 10 min. */
    public Builder requestReadTimeout(Duration requestReadTimeout) {
      this.requestReadTimeout = requestReadTimeout;
      return this;
    }

    /** Default 10 s; between 100 ms and 10 min. */
    public Builder requestHeadTimeout(Duration requestHeadTimeout) {
      this.requestHeadTimeout = requestHeadTimeout;
      return this;
    }

    /** Default 10,000; between 1 and 1,000,000. Keep it below the process's file descriptor limit. */
    public Builder maxConnections(int maxConnections) {
      this.maxConnections = maxConnections;
      return this;
    }

    /**
     * Default 1,000; between 1 and {@link #maxConnections}. Behind a proxy every connection comes
     * from the proxy's address: raise it to the proxy's pool size, or to {@code maxConnections}.
     */
    public Builder maxConnectionsPerAddress(int maxConnectionsPerAddress) {
      this.maxConnectionsPerAddress = maxConnectionsPerAddress;
      return this;
    }

    /**
     * Serve HTTPS (TLS 1.3 and 1.2, modern AEAD ciphers only) with this PEM certificate chain and
     * PEM PKCS#8 private key ({@code BEGIN PRIVATE KEY}). Both files are reloaded when they change.
     * Default: plain HTTP.
     */
    public Builder tls(Path certificate, Path privateKey) {
      this.tlsCertificate = certificate;
      this.tlsPrivateKey = privateKey;
      return this;
    }

    /** Default 10 s; between 100 ms and 1 h. */
    public Builder tlsReloadInterval(Duration tlsReloadInterval) {
      this.tlsReloadInterval = tlsReloadInterval;
      return this;
    }

    /** Default 10 s; between 0 and 5 min. */
    public Builder shutdownGracePeriod(Duration shutdownGracePeriod) {
      this.shutdownGracePeriod = shutdownGracePeriod;
      return this;
    }

    /** Default: the number of processors; between 1 and 256. */
    public Builder ioThreads(int ioThreads) {
      this.ioThreads = ioThreads;
      return this;
    }

    /** Default true: epoll where available, NIO otherwise. */
    public Builder nativeTransport(boolean nativeTransport) {
      this.nativeTransport = nativeTransport;
      return this;
    }

    /** Default {@link Throttling#defaults()}; {@link Throttling#off()} for benchmarks. */
    public Builder throttling(Throttling throttling) {
      this.throttling = throttling;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException naming each invalid setting
     */
    public HttpServerConfig build() {
      List<String> problems = new ArrayList<>();
      if (bindAddress == null || bindAddress.isBlank()) {
        problems.add("bindAddress must be set, such as 127.0.0.1 or 0.0.0.0");
      } else {
        try {
          InetAddress.getByName(bindAddress);
        } catch (UnknownHostException e) {
          problems.add("bindAddress '" + bindAddress + "' is not an IP address or a known host name");
        }
      }
      if (port < 0 || port > 65_535) {
        problems.add("port must be between 0 and 65535, was " + port);
      }
      if (regions == null || regions.isEmpty()) {
        problems.add("regions must name at least one region, such as us-east-1");
      } else {
        for (String region : regions) {
          if (region == null || !CatalogRules.isRegion(region)) {
            problems.add("regions: '" + region + "' is not a region name such as us-east-1");
          }
        }
      }
      if (disabledRegions == null) {
        problems.add("disabledRegions must be set; use an empty set for none");
      } else {
        for (String region : disabledRegions) {
          if (region == null || !CatalogRules.isRegion(region)) {
            problems.add("disabledRegions: '" + region + "' is not a region name such as us-east-1");
          }
        }
      }
      range(problems, "bodyLimitBytes", bodyLimitBytes, 1024, SERVICE_BODY_LIMIT);
      range(problems, "maxHeaderBytes", maxHeaderBytes, 1024, 1024 * 1024);
      range(problems, "maxInitialLineBytes", maxInitialLineBytes, 256, 64 * 1024);
      range(problems, "idleTimeout", idleTimeout, Duration.ofSeconds(1), Duration.ofHours(1));
      range(problems, "requestReadTimeout", requestReadTimeout, Duration.ofMillis(100), Duration.ofMinutes(10));
      range(problems, "requestHeadTimeout", requestHeadTimeout, Duration.ofMillis(100), Duration.ofMinutes(10));
      range(problems, "maxConnections", maxConnections, 1, 1_000_000);
      range(problems, "maxConnectionsPerAddress", maxConnectionsPerAddress, 1, Math.max(1, maxConnections));
      range(problems, "tlsReloadInterval", tlsReloadInterval, Duration.ofMillis(100), Duration.ofHours(1));
      if ((tlsCertificate == null) != (tlsPrivateKey == null)) {
        problems.add("tls needs both a certificate and a private key, or neither for plain HTTP");
      } else if (tlsCertificate != null) {
        for (Path file : List.of(tlsCertificate, tlsPrivateKey)) {
          if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            problems.add("tls: '" + file + "' is not a readable file");
          }
        }
      }
      range(problems, "shutdownGracePeriod", shutdownGracePeriod, Duration.ZERO, Duration.ofMinutes(5));
      range(problems, "ioThreads", ioThreads, 1, 256);
      if (throttling == null) {
        problems.add("throttling must be set; use Throttling.off() for no quotas");
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("Invalid server configuration: " + String.join("; ", problems));
      }
      return new HttpServerConfig(this);
    }

    private static void range(List<String> problems, String name, int value, int min, int max) {
      if (value < min || value > max) {
        problems.add(name + " must be between " + min + " and " + max + ", was " + value);
      }
    }

    private static void range(List<String> problems, String name, Duration value, Duration min, Duration max) {
      if (value == null) {
        problems.add(name + " must be set");
      } else if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        problems.add(name + " must be between " + min + " and " + max + ", was " + value);
      }
    }
  }
}
