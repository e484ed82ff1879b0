package io.meterbridge.server;

import io.meterbridge.server.admin.AdminApi;
import io.meterbridge.server.auth.Authenticator;
import io.meterbridge.server.auth.SigV4Authenticator;
import io.meterbridge.server.auth.UnverifiedKeyAuthenticator;
import io.meterbridge.server.faults.FaultPlan;
import io.meterbridge.server.faults.FaultPlanException;
import io.meterbridge.server.faults.Faults;
import io.meterbridge.server.faults.FaultyService;
import io.meterbridge.server.http.HttpServer;
import io.meterbridge.server.metering.Catalog;
import io.meterbridge.server.metering.MeteringOperations;
import io.meterbridge.server.metering.TimeWindow;
import io.meterbridge.server.observe.AccessLog;
import io.meterbridge.server.observe.AuditRecorder;
import io.meterbridge.server.observe.DatabaseHealth;
import io.meterbridge.server.observe.ServerMetrics;
import io.meterbridge.server.seed.DemoCatalog;
import io.meterbridge.server.seed.SeedFile;
import io.meterbridge.server.seed.SeedSummary;
import io.meterbridge.server.store.Store;
import io.meterbridge.server.store.StoreConfig;
import io.meterbridge.server.store.Stores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole Meterbridge service, what {@code meterbridge serve} runs, assembled from a {@link
 * MeterbridgeServerConfig}: the store (SQLite under the data directory, or PostgreSQL), the seed
 * file or, on an empty database, the {@link DemoCatalog}, the cached catalog, the operations,
 * authentication, the admin API and the {@link HttpServer}, started. {@link #close()} stops them in
 * reverse order.
 *
 * <pre>{@code
 * try (MeterbridgeServer meterbridge =
 *     MeterbridgeServer.start(MeterbridgeServerConfig.builder().port(0).build())) {
 *   URI endpoint = meterbridge.endpoint();
 *   ...
 * }
 * }</pre>
 */
public final class MeterbridgeServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MeterbridgeServer.class);

  private static final int CATALOG_THREADS = 8;
  private static final Duration CATALOG_TTL = Catalog.UNTIL_CHANGED;
  private static final Duration AUDIT_PURGE_EVERY = Duration.ofHours(1);
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
  private static final String SQLITE_FILE = "meterbridge.db";

  private final MeterbridgeServerConfig config;
  private final ServerClock clock;
  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private final Faults faults = new Faults();
  private Store store;
  private Catalog catalog;
  private HttpServer server;
  private DemoCatalog demo;
  private boolean demoFromEarlierStart;
  private SeedSummary seeded;
  private Instant startedAt;
  private boolean closed;

  private MeterbridgeServer(MeterbridgeServerConfig config, ServerClock clock) {
    this.config = config;
    this.clock = clock;
  }

  /**
   * Starts a Meterbridge server on the system clock.
   *
   * @throws io.meterbridge.server.seed.SeedException if the seed file is invalid; nothing is loaded
   * @throws io.meterbridge.server.store.StoreException if the database cannot be opened or migrated
   * @throws java.io.UncheckedIOException if the port cannot be bound
   */
  public static MeterbridgeServer start(MeterbridgeServerConfig config) {
    return start(config, ServerClock.system());
  }

  /** Starts a Meterbridge server on {@code clock}, for tests. See {@link #start(MeterbridgeServerConfig)}. */
  public static MeterbridgeServer start(MeterbridgeServerConfig config, ServerClock clock) {
    MeterbridgeServer meterbridge = new MeterbridgeServer(config, clock);
    // A failed start leaves no SQLite database behind that it created itself.
    Optional<Path> newDatabase = config.databaseUrl().isPresent() ? Optional.empty()
        : Optional.of(config.dataDir().resolve(SQLITE_FILE)).filter(f -> !Files.exists(f));
    boolean newDataDir = !Files.exists(config.dataDir());
    try {
      meterbridge.open();
      return meterbridge;
    } catch (RuntimeException | Error e) {
      meterbridge.close();
      newDatabase.ifPresent(file -> removeCreated(file, newDataDir));
      throw e;
    }
  }

  private static void removeCreated(Path database, boolean dataDir) {
    try {
      for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
        Files.deleteIfExists(database.resolveSibling(database.getFileName() + suffix));
      }
      if (dataDir) {
        Files.deleteIfExists(database.getParent());
      }
    } catch (IOException e) {
      LOG.warn("Could not remove {}, created by the failed start: {}", database, e.toString());
    }
  }

  /**
   * Fails at once when another program listens on the port, before a database is opened or a
   * catalog loaded for nothing. The server binds for real later; this check only spares the work.
   */
  private void checkPortFree() {
    if (config.port() == 0) {
      return;
    }
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new java.net.InetSocketAddress(config.bindAddress(), config.port()));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not listen on " + config.bindAddress() + ":" + config.port() + ": "
          + e.getMessage(), e);
    }
  }

  private void open() {
    // A bad seed or faults file fails before any database is touched.
    Optional<SeedFile> seed = config.seedFile().map(SeedFile::read);
    if (config.faultsFile().isPresent()) {
      Path file = config.faultsFile().get();
      try {
        faults.apply(FaultPlan.parse(Files.readAllBytes(file)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the faults file " + file + ": " + e.getMessage(), e);
      } catch (FaultPlanException e) {
        throw new FaultPlanException(e.problems().stream().map(p -> file + ": " + p).toList());
      }
      LOG.warn("Fault injection on from the start: {} rule(s) of {}", faults.plan().rules().size(), file);
    }
    checkPortFree();
    ExecutorService executor = Executors.newFixedThreadPool(CATALOG_THREADS, daemonThreads("meterbridge-catalog-"));
    closeables.push(() -> {
      executor.shutdown();
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    });

    StoreConfig storeConfig = config.databaseUrl()
        .map(url -> StoreConfig.postgres(url).build())
        .orElseGet(() -> StoreConfig.sqlite(config.dataDir()).build());
    store = Stores.open(storeConfig);
    closeables.push(store);

    Instant now = clock.instant();
    String region = config.regions().get(0);
    if (seed.isPresent()) {
      seeded = seed.get().load(store, now, config.registrationTokenTtl(), region);
      LOG.info("Seed file {} loaded: {}", seed.get().source(), seeded);
    } else if (config.demo() && store.products().isEmpty()) {
      demo = DemoCatalog.load(store, region, now, config.registrationTokenTtl());
      LOG.info("Empty database: demo catalog loaded");
      if (!loopback(config.bindAddress())) {
        LOG.warn("The demo catalog's published keys are valid on {}, which other machines can reach;"
            + " use a seed file or demo=off for anything but a local demo", config.bindAddress());
      }
    } else {
      demoFromEarlierStart = DemoCatalog.present(store);
    }

    catalog = new Catalog(store, CATALOG_TTL);
    catalog.preload();
    TimeWindow window = config.timeWindow();
    MeteringOperations operations = MeteringOperations.builder()
        .catalog(catalog)
        .clock(clock)
        .batchWindow(window)
        .executor(executor)
        .build();
    Authenticator authenticator = authenticator(config, catalog, executor);
    // Without a token /admin/* answers 404; the public key download under /keys/* is always on.
    AdminApi.Builder adminBuilder = AdminApi.builder().catalog(catalog).clock(clock).faults(faults)
        .secureCookies(config.tlsCertificate().isPresent());
    config.adminToken().ifPresent(adminBuilder::token);
    AdminApi admin = adminBuilder.build();
    closeables.push(admin);
    DatabaseHealth health = new DatabaseHealth(store, HEALTH_TIMEOUT);
    closeables.push(health);
    List<CallListener> listeners = new ArrayList<>();
    ServerMetrics metrics = new ServerMetrics(store);
    closeables.push(metrics);
    listeners.add(metrics);
    if (config.audit()) {
      listeners.add(new AuditRecorder(store.audit()));
      ScheduledExecutorService purger = Executors.newSingleThreadScheduledExecutor(daemonThreads("meterbridge-audit-purge-"));
      closeables.push(purger::shutdownNow);
      purger.scheduleWithFixedDelay(this::purgeAudit, 1, AUDIT_PURGE_EVERY.toMinutes(), TimeUnit.MINUTES);
    }
    AccessLog.open(config.accessLog()).ifPresent(log -> {
      closeables.push(log);
      listeners.add(log);
    });
    server = HttpServer.builder()
        .config(config.http())
        .service(new FaultyService(operations, faults))
        .authenticator(authenticator)
        .admin(admin)
        .calls(CallListener.all(listeners))
        .health(health)
        .metrics(() -> CompletableFuture.supplyAsync(metrics::scrape, executor))
        .build();
    closeables.push(server);
    server.start();
    startedAt = now;
  }

  /**
   * How requests are authenticated: SigV4 against the access keys of the catalog, or, with {@code
   * insecure-any-credentials}, the access key id believed without a signature check.
   */
  static Authenticator authenticator(MeterbridgeServerConfig config, Catalog catalog, ExecutorService executor) {
    if (config.insecureAnyCredentials()) {
      return new UnverifiedKeyAuthenticator(catalog::accessKey,
          DemoCatalog.SELLER_ACCOUNT_ID, config.regions().get(0), executor);
    }
    // The real clock, not the server's movable one: clients sign with real time. Calls to a disabled
    // Region authenticate as any other, then the server answers DisabledApiException.
    java.util.Set<String> regions = new java.util.LinkedHashSet<>(config.regions());
    regions.addAll(config.disabledRegions());
    return SigV4Authenticator.builder().regions(List.copyOf(regions)).keys(catalog.accessKeys()).build();
  }

  /**
   * Deletes the audit entries older than the retention (every hour, and once a minute after the
   * start); returns how many went.
   */
  public long purgeAudit() {
    try {
      long deleted = store.audit().purge(Instant.now().minus(config.auditRetention()));
      if (deleted > 0) {
        LOG.info("Audit trail: {} entries older than {} deleted", deleted, config.auditRetention());
      }
      return deleted;
    } catch (RuntimeException e) {
      LOG.warn("Audit trail purge failed; the next one runs in {}", AUDIT_PURGE_EVERY, e);
      return 0;
    }
  }

  /** The faults the server injects (none unless set by {@code --faults} or {@code /admin/faults}). */
  public Faults faults() {
    return faults;
  }

  /** The configuration. */
  public MeterbridgeServerConfig config() {
    return config;
  }

  /** The port the server listens on. */
  public int port() {
    return server.port();
  }

  /**
   * The URL clients call: the bind address, or the loopback address when bound to every
   * interface, so that it works when pasted on this machine.
   */
  public URI endpoint() {
    String host = config.bindAddress();
    if (host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    } else if (host.equals("::") || host.equals("[::]")) {
      host = "[::1]";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return URI.create((config.tlsCertificate().isPresent() ? "https://" : "http://") + host + ":" + port());
  }

  /** The store. */
  public Store store() {
    return store;
  }

  /** The cached catalog the operations read; {@link Catalog#invalidate()} it after changing the store. */
  public Catalog catalog() {
    return catalog;
  }

  /** The server's clock (time travel for tests and the admin API). */
  public ServerClock clock() {
    return clock;
  }

  /** The demo catalog, when this start loaded it into an empty database. */
  public Optional<DemoCatalog> demo() {
    return Optional.ofNullable(demo);
  }

  /** Whether the database holds the demo catalog from an earlier start. */
  public boolean demoFromEarlierStart() {
    return demoFromEarlierStart;
  }

  /** What the seed file loaded, when there was one. */
  public Optional<SeedSummary> seeded() {
    return Optional.ofNullable(seeded);
  }

  /** When this server started, on its clock. */
  public Instant startedAt() {
    return startedAt;
  }

  /** The database, for humans: {@code SQLite data/meterbridge.db} or the redacted PostgreSQL URL. */
  public String databaseDescription() {
    return config.databaseUrl()
        .map(url -> "PostgreSQL " + MeterbridgeServerConfig.redact(url))
        .orElseGet(() -> "SQLite " + config.dataDir().resolve("meterbridge.db"));
  }

  /** Stops the server (letting calls in flight finish), then the worker threads, then the store. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    while (!closeables.isEmpty()) {
      AutoCloseable closeable = closeables.pop();
      try {
        closeable.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.warn("Closing {} failed", closeable, e);
      }
    }
  }

  @Override
  public String toString() {
    return "MeterbridgeServer[" + (server == null ? "not started" : server) + ", " + databaseDescription() + "]";
  }

  private static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
