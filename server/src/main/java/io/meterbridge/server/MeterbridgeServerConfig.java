package io.meterbridge.server;

import io.meterbridge.model.Operation;
import io.meterbridge.server.admin.AdminApi;
import io.meterbridge.server.catalog.CatalogRules;
import io.meterbridge.server.http.HttpServerConfig;
import io.meterbridge.server.metering.TimeWindow;
import io.meterbridge.server.throttle.Throttling;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a whole Meterbridge server needs to start ({@link MeterbridgeServer#start}), validated
 * when built: a bad value fails {@link Builder#build()} with a {@link
 * MeterbridgeServerConfigException} that lists every wrong setting by its configuration name
 * ({@code port}, {@code db}, {@code time-window}, ...), the names the command line, the
 * environment ({@code METERBRIDGE_PORT}) and the config file share. The HTTP layer's own settings
 * are the {@link HttpServerConfig}'s ({@link #http()}).
 *
 * <pre>{@code
 * MeterbridgeServerConfig config = MeterbridgeServerConfig.builder()
 *     .port(0)
 *     .dataDir(Path.of("data"))
 *     .insecureAnyCredentials(true)
 *     .build();
 * }</pre>
 */
public final class MeterbridgeServerConfig {
  /** Setting names, as they appear in messages, config files and (upper-cased) environment variables. */
  public static final String PORT = "port";
  public static final String BIND = "bind";
  public static final String DATA = "data";
  public static final String DB = "db";
  public static final String REGION = "region";
  public static final String TIME_WINDOW = "time-window";
  public static final String THROTTLING = "throttling";
  public static final String RATES = "rates";
  public static final String INSECURE_ANY_CREDENTIALS = "insecure-any-credentials";
  public static final String ADMIN_TOKEN = "admin-token";
  public static final String REGISTRATION_TOKEN_TTL = "registration-token-ttl";
  public static final String SEED = "seed";
  public static final String FAULTS = "faults";
  public static final String DEMO = "demo";
  public static final String DISABLED_REGIONS = "disabled-regions";
  public static final String MAX_CONNECTIONS = "max-connections";
  public static final String MAX_CONNECTIONS_PER_ADDRESS = "max-connections-per-address";
  public static final String REQUEST_HEAD_TIMEOUT = "request-head-timeout";
  public static final String TLS_CERT = "tls-cert";
  public static final String TLS_KEY = "tls-key";
  public static final String AUDIT = "audit";
  public static final String AUDIT_RETENTION = "audit-retention";
  public static final String ACCESS_LOG = "access-log";


  private final int port;
  private final String bindAddress;
  private final Path dataDir;
  private final String databaseUrl;
  private final List<String> regions;
  private final TimeWindow timeWindow;
  private final Throttling throttling;
  private final boolean insecureAnyCredentials;
  private final String adminToken;
  private final Duration registrationTokenTtl;
  private final Path seedFile;
  private final Path faultsFile;
  private final boolean demo;
  private final Set<String> disabledRegions;
  private final HttpServerConfig http;
  private final boolean audit;
  private final Duration auditRetention;
  private final String accessLog;

  private MeterbridgeServerConfig(Builder b, TimeWindow timeWindow, Throttling throttling, HttpServerConfig http) {
    this.port = b.port;
    this.bindAddress = b.bindAddress;
    this.dataDir = b.dataDir;
    this.databaseUrl = b.databaseUrl;
    this.regions = List.copyOf(b.regions);
    this.timeWindow = timeWindow;
    this.throttling = throttling;
    this.insecureAnyCredentials = b.insecureAnyCredentials;
    this.adminToken = b.adminToken;
    this.audit = b.audit;
    this.auditRetention = b.auditRetention;
    this.accessLog = b.accessLog;
    this.registrationTokenTtl = b.registrationTokenTtl;
    this.seedFile = b.seedFile;
    this.faultsFile = b.faultsFile;
    this.demo = b.demo;
    this.disabledRegions = Set.copyOf(b.disabledRegions);
    this.http = http;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port to listen on; 0 picks a free one. Default 8080. */
  public int port() {
    return port;
  }

  /** The address to listen on. Default {@code 127.0.0.1}. */
  public String bindAddress() {
    return bindAddress;
  }

  /** Where the embedded SQLite database lives ({@code <data>/meterbridge.db}). Default {@code ./data}. */
  public Path dataDir() {
    return dataDir;
  }

  /** The PostgreSQL JDBC URL; empty for the embedded SQLite database. */
  public Optional<String> databaseUrl() {
    return Optional.ofNullable(databaseUrl);
  }

  /** The regions served; the first is the default. Default {@code us-east-1}. */
  public List<String> regions() {
    return regions;
  }

  /** The BatchMeterUsage time window policy ({@code 24h} by default, or {@code 6h}). */
  public TimeWindow timeWindow() {
    return timeWindow;
  }

  /** The request quotas: the published ones by default, none when throttling is off. */
  public Throttling throttling() {
    return throttling;
  }

  /** <b>Insecure.</b> Whether signatures go unchecked (local demos only). Default false. */
  public boolean insecureAnyCredentials() {
    return insecureAnyCredentials;
  }

  /** The bearer token of the admin API; empty when the admin API is off. */
  public Optional<String> adminToken() {
    return Optional.ofNullable(adminToken);
  }

  /** How long registration tokens are valid when nothing says otherwise. Default 4 hours. */
  public Duration registrationTokenTtl() {
    return registrationTokenTtl;
  }

  /** The seed file loaded at every start; empty for none. */
  public Optional<Path> seedFile() {
    return Optional.ofNullable(seedFile);
  }

  /** A fault plan (see {@code docs/admin-api.md}, "Fault injection") in force from the start; empty for none. */
  public Optional<Path> faultsFile() {
    return Optional.ofNullable(faultsFile);
  }

  /** Whether an empty database without a seed file gets the demo catalog. Default true. */
  public boolean demo() {
    return demo;
  }

  /** Regions whose calls are answered {@code DisabledApiException}. Default none. */
  public Set<String> disabledRegions() {
    return disabledRegions;
  }

  /** Connections beyond this many are reset at accept. Default 10,000. */
  public int maxConnections() {
    return http.maxConnections();
  }

  /** Connections from one address beyond this many are reset at accept. Default 1,000. */
  public int maxConnectionsPerAddress() {
    return http.maxConnectionsPerAddress();
  }

  /** How long a request's line and headers may take to arrive. Default 10 s. */
  public Duration requestHeadTimeout() {
    return http.requestHeadTimeout();
  }

  /** The PEM certificate chain to serve HTTPS with; empty for plain HTTP. */
  public Optional<Path> tlsCertificate() {
    return http.tlsCertificate();
  }

  /** The PEM PKCS#8 private key of {@link #tlsCertificate()}. */
  public Optional<Path> tlsPrivateKey() {
    return http.tlsPrivateKey();
  }

  /** Whether every call and admin request is recorded in the audit trail. Default true. */
  public boolean audit() {
    return audit;
  }

  /** How long audit entries are kept; older ones are deleted every hour. Default 30 days. */
  public Duration auditRetention() {
    return auditRetention;
  }

  /**
   * Where the one-line-per-call access log goes: {@code off} (the default), {@code stdout}, or a
   * file path (appended to).
   */
  public String accessLog() {
    return accessLog;
  }

  /** How the HTTP server listens and protects itself, from these settings. */
  public HttpServerConfig http() {
    return http;
  }

  @Override
  public String toString() {
    return "MeterbridgeServerConfig[" + bindAddress + ":" + port
        + ", " + (databaseUrl == null ? "sqlite " + dataDir : "postgresql " + redact(databaseUrl))
        + ", regions " + regions + ", time-window " + timeWindow.name() + ", " + throttling
        + (insecureAnyCredentials ? ", INSECURE any credentials" : "")
        + ", admin-token " + (adminToken == null ? "none" : "***")
        + ", registration-token-ttl " + registrationTokenTtl
        + ", seed " + (seedFile == null ? "none" : seedFile) + ", demo " + demo
        + (disabledRegions.isEmpty() ? "" : ", disabled-regions " + disabledRegions)
        + ", max-connections " + http.maxConnections() + ", max-connections-per-address "
        + http.maxConnectionsPerAddress() + ", request-head-timeout " + http.requestHeadTimeout()
        + ", tls " + http.tlsCertificate().map(Path::toString).orElse("off")
        + (faultsFile == null ? "" : ", faults " + faultsFile)
        + ", audit " + (audit ? "on, retention " + auditRetention : "off") + ", access-log " + accessLog + "]";
  }

  /** A JDBC URL without any password parameter, for logs. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  /** Builds a {@link MeterbridgeServerConfig}. Not thread-safe. */
  public static final class Builder {
    private int port = 8080;
    private String bindAddress = "127.0.0.1";
    private Path dataDir = Path.of("data");
    private String databaseUrl;
    private List<String> regions = List.of("us-east-1");
    private String timeWindow = "24h";
    private boolean throttling = true;
    private final Map<String, Double> rates = new LinkedHashMap<>();
    private boolean insecureAnyCredentials;
    private String adminToken;
    private Duration registrationTokenTtl = Duration.ofHours(4);
    private Path seedFile;
    private Path faultsFile;
    private boolean demo = true;
    private Set<String> disabledRegions = Set.of();
    private int maxConnections = HttpServerConfig.defaults().maxConnections();
    private int maxConnectionsPerAddress = HttpServerConfig.defaults().maxConnectionsPerAddress();
    private Duration requestHeadTimeout = HttpServerConfig.defaults().requestHeadTimeout();
    private Path tlsCertificate;
    private Path tlsPrivateKey;
    private boolean audit = true;
    private Duration auditRetention = Duration.ofDays(30);
    private String accessLog = "off";

    private Builder() {}

    /** Default 8080; 0 picks a free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Default {@code 127.0.0.1}; {@code 0.0.0.0} listens on every interface. */
    public Builder bindAddress(String bindAddress) {
      this.bindAddress = bindAddress;
      return this;
    }

    /** Default {@code ./data}. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** A {@code jdbc:postgresql://} URL, instead of the embedded SQLite database. */
    public Builder databaseUrl(String databaseUrl) {
      this.databaseUrl = databaseUrl;
      return this;
    }

    /** Default {@code us-east-1}. */
    public Builder regions(List<String> regions) {
      this.regions = regions;
      return this;
    }

    /** Default {@code us-east-1}. */
    public Builder regions(String... regions) {
      return regions(List.of(regions));
    }

    /** {@code 24h} (default) or {@code 6h}; see {@link TimeWindow#batchPolicy(String)}. */
    public Builder timeWindow(String policy) {
      this.timeWindow = policy;
      return this;
    }

    /** Default true: the published quotas (with {@link #rate} overrides); false: no quotas at all. */
    public Builder throttling(boolean throttling) {
      this.throttling = throttling;
      return this;
    }

    /**
     * Limits {@code operation} (its model name, such as {@code BatchMeterUsage}) to {@code
     * perSecond} calls a second per account, when throttling is on.
     */
    public Builder rate(String operation, double perSecond) {
      rates.put(operation, perSecond);
      return this;
    }

    /** <b>Insecure.</b> Accept requests without checking their signatures. Default false. */
    public Builder insecureAnyCredentials(boolean insecureAnyCredentials) {
      this.insecureAnyCredentials = insecureAnyCredentials;
      return this;
    }

    /** The bearer token of the admin API, at least 16 characters. Default: none. */
    public Builder adminToken(String adminToken) {
      this.adminToken = adminToken;
      return this;
    }

    /** Default 4 hours; between 1 minute and 365 days. */
    public Builder registrationTokenTtl(Duration registrationTokenTtl) {
      this.registrationTokenTtl = registrationTokenTtl;
      return this;
    }

    /** A seed file to load at start. Default: none. */
    public Builder seedFile(Path seedFile) {
      this.seedFile = seedFile;
      return this;
    }

    /** A fault plan file (JSON, as {@code POST /admin/faults} takes) in force from the start. Default: none. */
    public Builder faultsFile(Path faultsFile) {
      this.faultsFile = faultsFile;
      return this;
    }

    /** Whether an empty database without a seed file gets the demo catalog. Default true. */
    public Builder demo(boolean demo) {
      this.demo = demo;
      return this;
    }

    /**
     * Regions whose calls authenticate and are then answered {@code DisabledApiException}, as AWS
     * answers where the API is switched off. Default none.
     */
    public Builder disabledRegions(Set<String> disabledRegions) {
      this.disabledRegions = disabledRegions;
      return this;
    }

    /** Default 10,000; between 1 and 1,000,000. */
    public Builder maxConnections(int maxConnections) {
      this.maxConnections = maxConnections;
      return this;
    }

    /** Default 1,000; between 1 and {@link #maxConnections}. Behind a proxy, raise it to the proxy's pool. */
    public Builder maxConnectionsPerAddress(int maxConnectionsPerAddress) {
      this.maxConnectionsPerAddress = maxConnectionsPerAddress;
      return this;
    }

    /** Default 10 s; between 100 ms and 10 min. */
    public Builder requestHeadTimeout(Duration requestHeadTimeout) {
      this.requestHeadTimeout = requestHeadTimeout;
      return this;
    }

    /** Serve HTTPS with this PEM certificate chain; needs {@link #tlsPrivateKey}. Default: plain HTTP. */
    public Builder tlsCertificate(Path tlsCertificate) {
      this.tlsCertificate = tlsCertificate;
      return this;
    }

    /** The PEM PKCS#8 private key ({@code BEGIN PRIVATE KEY}) of {@link #tlsCertificate}. */
    public Builder tlsPrivateKey(Path tlsPrivateKey) {
      this.tlsPrivateKey = tlsPrivateKey;
      return this;
    }

    /** Whether every call and admin request is recorded in the audit trail. Default true. */
    public Builder audit(boolean audit) {
      this.audit = audit;
      return this;
    }

    /** How long audit entries are kept. Default 30 days; between 1 hour and 10 years. */
    public Builder auditRetention(Duration auditRetention) {
      this.auditRetention = auditRetention;
      return this;
    }

    /** {@code off} (default), {@code stdout}, or a file path to append one line per call to. */
    public Builder accessLog(String accessLog) {
      this.accessLog = accessLog;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws MeterbridgeServerConfigException naming every invalid setting
     */
    public MeterbridgeServerConfig build() {
      List<MeterbridgeServerConfigException.Problem> problems = new ArrayList<>();
      if (port < 0 || port > 65_535) {
        problem(problems, PORT, "must be between 0 and 65535, was " + port);
      }
      if (bindAddress == null || bindAddress.isBlank()) {
        problem(problems, BIND, "must be set, such as 127.0.0.1 or 0.0.0.0");
      } else {
        try {
          InetAddress.getByName(bindAddress);
        } catch (UnknownHostException e) {
          problem(problems, BIND, "'" + bindAddress + "' is not an IP address or a known host name");
        }
      }
      if (dataDir == null) {
        problem(problems, DATA, "must be set, such as ./data");
      } else if (databaseUrl == null && Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
        problem(problems, DATA, "'" + dataDir + "' is a file, not a directory");
      }
      if (databaseUrl != null && !databaseUrl.startsWith("jdbc:postgresql:")) {
        problem(problems, DB, "'" + redact(databaseUrl)
            + "' is not a PostgreSQL JDBC URL such as jdbc:postgresql://localhost:5432/meterbridge"
            + " (leave it unset for the embedded SQLite database under " + DATA + ")");
      }
      if (regions == null || regions.isEmpty()) {
        problem(problems, REGION, "must name at least one region, such as us-east-1");
      } else {
        for (String region : regions) {
          if (region == null || !CatalogRules.isRegion(region)) {
            problem(problems, REGION, "'" + region + "' is not a region name such as us-east-1");
          }
        }
        if (regions.stream().distinct().count() != regions.size()) {
          problem(problems, REGION, "names a region twice: " + regions);
        }
      }
      TimeWindow window = null;
      if (timeWindow == null) {
        problem(problems, TIME_WINDOW, "must be 24h or 6h");
      } else {
        try {
          window = TimeWindow.batchPolicy(timeWindow);
        } catch (IllegalArgumentException e) {
          problem(problems, TIME_WINDOW, "'" + timeWindow + "' is not a policy: use 24h (the current documented"
              + " BatchMeterUsage window) or 6h (legacy)");
        }
      }
      Throttling quotas = throttling ? Throttling.defaults() : Throttling.off();
      for (Map.Entry<String, Double> rate : rates.entrySet()) {
        Optional<Operation<?, ?>> operation = Operation.fromName(rate.getKey());
        if (operation.isEmpty()) {
          problem(problems, RATES, "'" + rate.getKey() + "' is not an operation: use one of "
              + Operation.values().stream().map(Operation::name).toList());
        } else if (!(rate.getValue() > 0) || rate.getValue().isInfinite()) {
          problem(problems, RATES, rate.getKey() + " must be a positive number of calls a second, was "
              + rate.getValue());
        } else if (throttling) {
          quotas = quotas.rate(operation.get(), rate.getValue());
        }
      }
      if (!throttling && !rates.isEmpty()) {
        problem(problems, RATES, "are set but " + THROTTLING + " is off; turn throttling on or drop the rates");
      }
      if (adminToken != null && (adminToken.length() < AdminApi.MIN_TOKEN_LENGTH || adminToken.isBlank()
          || adminToken.chars().anyMatch(Character::isWhitespace))) {
        problem(problems, ADMIN_TOKEN, "must be at least " + AdminApi.MIN_TOKEN_LENGTH
            + " characters without spaces (it guards the admin API); was " + adminToken.length() + " characters");
      }
      if (registrationTokenTtl == null
          || registrationTokenTtl.compareTo(Duration.ofMinutes(1)) < 0
          || registrationTokenTtl.compareTo(Duration.ofDays(365)) > 0) {
        problem(problems, REGISTRATION_TOKEN_TTL, "must be between 1m and 365d, was " + registrationTokenTtl);
      }
      if (seedFile != null && !Files.isRegularFile(seedFile)) {
        problem(problems, SEED, "'" + seedFile + "' is not a file");
      } else if (seedFile != null && !Files.isReadable(seedFile)) {
        problem(problems, SEED, "'" + seedFile + "' is not readable");
      }
      if (faultsFile != null && !Files.isRegularFile(faultsFile)) {
        problem(problems, FAULTS, "'" + faultsFile + "' is not a file");
      }
      if (disabledRegions == null) {
        problem(problems, DISABLED_REGIONS, "must be set; empty for none");
      } else {
        for (String region : disabledRegions) {
          if (region == null || !CatalogRules.isRegion(region)) {
            problem(problems, DISABLED_REGIONS, "'" + region + "' is not a region name such as eu-west-1");
          }
        }
      }
      if (maxConnections < 1 || maxConnections > 1_000_000) {
        problem(problems, MAX_CONNECTIONS, "must be between 1 and 1000000, was " + maxConnections);
      }
      if (maxConnectionsPerAddress < 1 || maxConnectionsPerAddress > Math.max(1, maxConnections)) {
        problem(problems, MAX_CONNECTIONS_PER_ADDRESS, "must be between 1 and " + MAX_CONNECTIONS + " ("
            + maxConnections + "), was " + maxConnectionsPerAddress);
      }
      if (requestHeadTimeout == null || requestHeadTimeout.compareTo(Duration.ofMillis(100)) < 0
          || requestHeadTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
        problem(problems, REQUEST_HEAD_TIMEOUT, "must be between 100ms and 10m, was " + requestHeadTimeout);
      }
      if (tlsCertificate != null && tlsPrivateKey == null) {
        problem(problems, TLS_KEY, "must be set with " + TLS_CERT + ": the PEM private key of the certificate");
      } else if (tlsCertificate == null && tlsPrivateKey != null) {
        problem(problems, TLS_CERT, "must be set with " + TLS_KEY + ": the PEM certificate chain");
      }
      for (var file : java.util.Map.of(TLS_CERT, Optional.ofNullable(tlsCertificate),
          TLS_KEY, Optional.ofNullable(tlsPrivateKey)).entrySet()) {
        file.getValue().filter(f -> !Files.isRegularFile(f) || !Files.isReadable(f))
            .ifPresent(f -> problem(problems, file.getKey(), "'" + f + "' is not a readable file"));
      }
      if (auditRetention == null || auditRetention.compareTo(Duration.ofHours(1)) < 0
          || auditRetention.compareTo(Duration.ofDays(3660)) > 0) {
        problem(problems, AUDIT_RETENTION, "must be between 1h and 3660d, was " + auditRetention);
      }
      if (accessLog == null || accessLog.isBlank()) {
        problem(problems, ACCESS_LOG, "must be off, stdout, or a file path");
      } else if (!accessLog.equals("off") && !accessLog.equals("stdout")) {
        Path parent = Path.of(accessLog).toAbsolutePath().getParent();
        if (Files.isDirectory(Path.of(accessLog))) {
          problem(problems, ACCESS_LOG, "'" + accessLog + "' is a directory: name a file to append to");
        } else if (parent == null || !Files.isDirectory(parent)) {
          problem(problems, ACCESS_LOG, "the directory of '" + accessLog + "' does not exist: create it, or use "
              + "stdout or off");
        }
      }
      if (!problems.isEmpty()) {
        throw new MeterbridgeServerConfigException(problems);
      }
      HttpServerConfig.Builder http = HttpServerConfig.builder()
          .bindAddress(bindAddress)
          .port(port)
          .regions(regions)
          .disabledRegions(disabledRegions)
          .throttling(quotas)
          .maxConnections(maxConnections)
          .maxConnectionsPerAddress(maxConnectionsPerAddress)
          .requestHeadTimeout(requestHeadTimeout);
      if (tlsCertificate != null) {
        http.tls(tlsCertificate, tlsPrivateKey);
      }
      return new MeterbridgeServerConfig(this, window, quotas, http.build());
    }

    private static void problem(List<MeterbridgeServerConfigException.Problem> problems, String setting, String message) {
      problems.add(new MeterbridgeServerConfigException.Problem(setting, message));
    }
  }
}
