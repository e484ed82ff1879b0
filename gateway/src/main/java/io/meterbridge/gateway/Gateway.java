package io.meterbridge.gateway;

import io.meterbridge.client.MeteringClient;
import io.meterbridge.client.RetryPolicy;
import io.meterbridge.client.credentials.DefaultCredentialsProvider;
import io.meterbridge.gateway.internal.Engine;
import io.meterbridge.gateway.internal.EngineConfig;
import io.meterbridge.gateway.internal.UpstreamWindow;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

/**
 * The metering gateway: takes a seller's usage events, sums them into one record per product,
 * customer, license, dimension and hour, and sends each record to AWS Marketplace's BatchMeterUsage
 * exactly once, before its deadline, at the account's quota. Every accepted event is durable before
 * {@link #ingest} returns; every record's fate is in the ledger ({@link #records}, {@link #event}).
 *
 * <p>Embedded, on a SQLite file:
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.builder()
 *     .dataDir(Path.of("metering"))
 *     .product(CatalogProduct.saas("prod-saas", "api_calls", "storage_gb"))
 *     .region("us-east-1")                      // credentials from the default chain
 *     .start()) {
 *   List<IngestResult> results = gateway.ingest(List.of(UsageEvent.builder()
 *       .id("req-7f3a").productCode("prod-saas").customerAwsAccountId("111122223333")
 *       .dimension("api_calls").quantity(3).timestamp(Instant.now()).build()));
 * }
 * }</pre>
 *
 * <p>{@code meterbridge gateway} runs the same engine as a service, over HTTP, on SQLite or on
 * PostgreSQL (several processes may share one database). Thread-safe.
 */
public final class Gateway implements AutoCloseable {
  private final Engine engine;

  private Gateway(Engine engine) {
    this.engine = engine;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Ingests events and waits until the accepted ones are durable. The answers are in the order of
   * {@code events}: accepted, duplicate (same id, same content), conflict (same id, other content:
   * nothing changed) or rejected (with a reason that names the field).
   *
   * @throws GatewayOverloadedException if the ingest queue is full; retry shortly
   * @throws GatewayException if the events could not be stored (none of them was accepted)
   */
  public List<IngestResult> ingest(List<UsageEvent> events) {
    try {
      return ingestAsync(events).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /** {@link #ingest}, completing once the accepted events are durable. */
  public CompletableFuture<List<IngestResult>> ingestAsync(List<UsageEvent> events) {
    return engine.ingest(List.copyOf(events));
  }

  /** A page of the ledger's records. */
  public RecordPage records(RecordQuery query) {
    return engine.records(Objects.requireNonNull(query, "query"));
  }

  /**
   * Where an accepted event went. Ids are unique per product; without a product code every product
   * is searched.
   *
   * @throws IllegalArgumentException if several products have an event with this id
   */
  public Optional<EventTrace> event(String id, Optional<String> productCode) {
    return engine.event(Objects.requireNonNull(id, "id"), productCode);
  }

  /** Counts by state, the oldest unsent deadline, alerts and quota use, over every process. */
  public GatewayStatus status() {
    return engine.status();
  }

  /** The catalog. */
  public List<CatalogProduct> products() {
    return engine.products();
  }

  /** Adds products, or dimensions to known products (none is removed). */
  public void addProducts(List<CatalogProduct> products) {
    engine.upsertProducts(List.copyOf(products));
  }

  /** The gateway's clock: real time, unless time travel moved it. */
  public Instant now() {
    return engine.now();
  }

  /**
   * Time travel, for tests: moves the clock of every gateway process on the database {@code offset}
   * from real time ({@link Duration#ZERO} returns to it), then closes the hours that have ended.
   */
  public void clockOffset(Duration offset) {
    engine.clockOffset(Objects.requireNonNull(offset, "offset"));
  }

  /** The HTTP port, when started with {@link Builder#port}. */
  public Optional<Integer> port() {
    return engine.port();
  }

  /** Runs the once-a-second work now: close ended hours, alert, expire. */
  public void sweep() {
    engine.sweep();
  }

  /** Which database the gateway runs on, for messages. */
  public String databaseDescription() {
    return engine.databaseDescription();
  }

  /**
   * Stops: HTTP first, then forwarding (records being sent go back for another process or the next
   * start), then ingest (everything accepted is committed), then the database. Idempotent.
   */
  @Override
  public void close() {
    engine.close();
  }

  /**
   * Builds and starts a {@link Gateway}. Every setter checks its value at once with an {@link
   * IllegalArgumentException} naming the problem; {@link #start()} opens the database.
   */
  public static final class Builder {
    private static final Pattern REGION = Pattern.compile("[a-z]{2,}(-[a-z]+)+-[0-9]+");
    /** The shortest token accepted for ingest and admin. */
    public static final int MIN_TOKEN_LENGTH = 16;

    private Path dataDir = Path.of("data");
    private String jdbcUrl;
    private String schema;
    private Path catalogFile;
    private final List<CatalogProduct> products = new ArrayList<>();
    private MeteringClient upstream;
    private boolean forwarding = true;
    private String region;
    private URI endpoint;
    private String bind = "127.0.0.1";
    private Integer port;
    private String ingestToken;
    private String adminToken;
    private UpstreamWindow window = UpstreamWindow.current();
    private Duration closeDelay = Duration.ofMinutes(10);
    private Duration alertBefore = Duration.ofHours(1);
    private boolean zeroHours;
    private String account = "default";
    private double quota = 10;
    private int workers = 4;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** SQLite in {@code <dir>/gateway.db} (the default, {@code ./data}); one process per directory. */
    public Builder dataDir(Path dir) {
      this.dataDir = Objects.requireNonNull(dir, "dir");
      this.jdbcUrl = null;
      return this;
    }

    /** PostgreSQL at a {@code jdbc:postgresql://} URL instead of SQLite; any number of processes may share it. */
    public Builder postgres(String jdbcUrl) {
      if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException("'" + jdbcUrl + "' is not a PostgreSQL JDBC URL (jdbc:postgresql://...)");
      }
      this.jdbcUrl = jdbcUrl;
      return this;
    }

    /** The PostgreSQL schema of the gateway's tables, created if missing. */
    public Builder schema(String schema) {
      if (schema == null || !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
        throw new IllegalArgumentException("'" + schema + "' is not a schema name ([a-z_][a-z0-9_]*)");
      }
      this.schema = schema;
      return this;
    }

    /** A seed file whose {@code products} (code, type, dimensions) are loaded at start. */
    public Builder catalog(Path file) {
      this.catalogFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /** A product loaded at start (added to the catalog; dimensions are never removed). */
    public Builder product(CatalogProduct product) {
      products.add(Objects.requireNonNull(product, "product"));
      return this;
    }

    /**
     * The client records go through. The gateway sends each call once and handles every retry
     * itself, so give a client with {@link RetryPolicy#none()}. Default: a client of our own for
     * {@link #region} (or {@link #upstreamEndpoint}) with the default credential chain.
     */
    public Builder upstream(MeteringClient client) {
      this.upstream = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Whether to forward at all (default on); off keeps ingest and the ledger only. */
    public Builder forwarding(boolean on) {
      this.forwarding = on;
      return this;
    }

    /** The AWS region of the Metering Service endpoint. Default: the region chain (AWS_REGION, the profile). */
    public Builder region(String region) {
      if (region == null || !REGION.matcher(region).matches()) {
        throw new IllegalArgumentException("'" + region + "' is not an AWS region such as us-east-1");
      }
      this.region = region;
      return this;
    }

    /** Another endpoint than AWS's, such as a Meterbridge server: {@code http://127.0.0.1:8080}. */
    public Builder upstreamEndpoint(URI endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      if (endpoint.getScheme() == null || !Set.of("http", "https").contains(endpoint.getScheme())
          || endpoint.getHost() == null) {
        throw new IllegalArgumentException("'" + endpoint + "' is not an http(s) URL such as http://127.0.0.1:8080");
      }
      this.endpoint = endpoint;
      return this;
    }

    /** The HTTP address (default 127.0.0.1). */
    public Builder bind(String bind) {
      this.bind = Objects.requireNonNull(bind, "bind");
      return this;
    }

    /** Serve HTTP on this port (0 picks a free one); needs an {@link #ingestToken}. Default: no HTTP. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(port + " is not a port number from 0 to 65535");
      }
      this.port = port;
      return this;
    }

    /** The bearer token of {@code /v1/usage}, 16 characters or more. */
    public Builder ingestToken(String token) {
      this.ingestToken = token(token, "ingest");
      return this;
    }

    /** The bearer token of {@code /admin/*} (time travel, catalog), 16 characters or more. Default: no admin API. */
    public Builder adminToken(String token) {
      this.adminToken = token(token, "admin");
      return this;
    }

    private static String token(String token, String what) {
      if (token == null || token.strip().length() < MIN_TOKEN_LENGTH) {
        throw new IllegalArgumentException("the " + what + " token must have at least " + MIN_TOKEN_LENGTH
            + " characters");
      }
      return token.strip();
    }

    /** The upstream window: {@code 24h} (AWS's current one, with the month-end cutoff; the default) or {@code 6h}. */
    public Builder window(String window) {
      this.window = UpstreamWindow.named(Objects.requireNonNull(window, "window"));
      return this;
    }

    /** How long after its end an hour closes, for late events to join it (default 10 minutes). */
    public Builder closeDelay(Duration delay) {
      if (delay == null || delay.isNegative() || delay.compareTo(Duration.ofHours(6)) > 0) {
        throw new IllegalArgumentException("close-delay must be from 0 to 6 hours, was " + delay);
      }
      this.closeDelay = delay;
      return this;
    }

    /** How long before its deadline an unsent record raises an alert (default 1 hour). */
    public Builder alertBefore(Duration before) {
      if (before == null || before.isNegative() || before.compareTo(Duration.ofHours(23)) > 0) {
        throw new IllegalArgumentException("alert-before must be from 0 to 23 hours, was " + before);
      }
      this.alertBefore = before;
      return this;
    }

    /** Whether every active customer gets a zero record for each hour without usage (default off). */
    public Builder zeroHours(boolean on) {
      this.zeroHours = on;
      return this;
    }

    /** The seller account whose quota the calls use: processes naming the same one share it. Default {@code default}. */
    public Builder account(String account) {
      if (account == null || account.isBlank() || account.length() > 64) {
        throw new IllegalArgumentException("account must be 1 to 64 characters");
      }
      this.account = account;
      return this;
    }

    /** The account's BatchMeterUsage quota in calls a second (default 10, AWS's published quota). */
    public Builder quota(double callsPerSecond) {
      if (!(callsPerSecond > 0 && callsPerSecond <= 10_000)) {
        throw new IllegalArgumentException(callsPerSecond + " is not a quota from above 0 to 10000 calls a second");
      }
      this.quota = callsPerSecond;
      return this;
    }

    /** Forwarding threads of this process (default 4). */
    public Builder workers(int workers) {
      if (workers < 1 || workers > 64) {
        throw new IllegalArgumentException("workers must be from 1 to 64, was " + workers);
      }
      this.workers = workers;
      return this;
    }

    /** The base clock (tests); time travel offsets it. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Opens the database (creating or migrating it), loads the catalog, and starts ingest, the
     * sweeper, forwarding and HTTP.
     *
     * @throws IllegalArgumentException if HTTP is asked without an ingest token
     * @throws GatewayException if the database cannot be opened or the catalog file is invalid
     * @throws java.io.UncheckedIOException if the port cannot be bound
     */
    public Gateway start() {
      if (port != null && ingestToken == null) {
        throw new IllegalArgumentException("an ingest token is required to serve HTTP: set ingest-token");
      }
      if (schema != null && jdbcUrl == null) {
        throw new IllegalArgumentException("a schema applies to PostgreSQL only: set db as well");
      }
      MeteringClient client = upstream;
      boolean own = false;
      if (client == null && forwarding) {
        MeteringClient.Builder b = MeteringClient.builder()
            .credentialsProvider(DefaultCredentialsProvider.create())
            .retryPolicy(RetryPolicy.none())
            .apiCallAttemptTimeout(Duration.ofSeconds(20))
            .userAgentSuffix("meterbridge-gateway");
        if (region != null) {
          b.region(region);
        } else if (endpoint != null) {
          b.region("us-east-1"); // signing region for an endpoint given without one
        }
        if (endpoint != null) {
          b.endpointOverride(endpoint);
        }
        client = b.build();
        own = true;
      }
      EngineConfig config = new EngineConfig(jdbcUrl == null ? Optional.of(dataDir) : Optional.empty(),
          Optional.ofNullable(jdbcUrl), Optional.ofNullable(schema), Optional.ofNullable(catalogFile),
          List.copyOf(products), forwarding ? Optional.of(client) : Optional.empty(), own, bind,
          Optional.ofNullable(port), Optional.ofNullable(ingestToken), Optional.ofNullable(adminToken), window,
          closeDelay, alertBefore, zeroHours, account, quota, workers, clock);
      try {
        return new Gateway(Engine.start(config));
      } catch (RuntimeException e) {
        if (own && client != null) {
          client.close();
        }
        throw e;
      }
    }
  }
}
