package io.meterbridge.server.admin;

import io.meterbridge.server.Futures;
import io.meterbridge.server.ServerClock;
import io.meterbridge.server.faults.Faults;
import io.meterbridge.server.http.PlainHandler;
import io.meterbridge.server.http.PlainRequest;
import io.meterbridge.server.http.PlainResponse;
import io.meterbridge.server.metering.Catalog;
import io.meterbridge.server.ui.Dashboard;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's admin HTTP API ({@code /admin/*}, bearer token) and the public key download
 * ({@code GET /keys/*}, no authentication): catalog changes, signing-key rotation, time travel, fault
 * injection and a view of the stored records. JSON in and out; every error is {@code {"error": ..., "message": ...}}
 * (400 naming the bad field, 401, 404, 405, 409, 503 when the worker queue is full). See
 * {@code docs/admin-api.md} for every endpoint.
 *
 * <p>Plugs into the server with one call:
 *
 * <pre>{@code
 * AdminApi admin = AdminApi.builder()
 *     .catalog(catalog)            // the same Catalog the MeteringOperations read
 *     .clock(clock)                // the same ServerClock the MeteringOperations use
 *     .token(adminToken)           // omit to disable /admin/* (the key download stays on)
 *     .build();
 * HttpServer server = HttpServer.builder()...admin(admin).build().start();
 * ...
 * server.close();
 * admin.close();                   // stops its worker threads
 * }</pre>
 *
 * <p>Store calls block, so every endpoint runs on a worker executor (by default two daemon threads
 * owned by this object, with a bounded queue), never on a network thread. Every catalog change
 * calls {@link Catalog#invalidate()}, so the metering operations of this process see it at once.
 * Thread-safe.
 */
public final class AdminApi implements PlainHandler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  /** The shortest admin token accepted. */
  public static final int MIN_TOKEN_LENGTH = 16;

  private final byte[] tokenDigest; // null: /admin/* disabled
  private final Executor executor;
  private final ExecutorService ownedExecutor; // null when the executor was given
  private final Routes adminRoutes;
  private final Routes keyRoutes;
  private final Dashboard dashboard; // null: /admin/* disabled

  private AdminApi(Builder b) {
    this.tokenDigest = b.token == null ? null : sha256(b.token);
    if (b.executor == null) {
      AtomicInteger threads = new AtomicInteger();
      ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(1024), r -> {
            Thread t = new Thread(r, "meterbridge-admin-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      pool.allowCoreThreadTimeOut(true);
      this.ownedExecutor = pool;
      this.executor = pool;
    } else {
      this.ownedExecutor = null;
      this.executor = b.executor;
    }
    CatalogEndpoints c = new CatalogEndpoints(b.catalog, b.clock);
    RecordEndpoints records = new RecordEndpoints(b.catalog.store(), b.clock);
    KeyDownload keys = new KeyDownload(b.catalog, b.clock);
    FaultEndpoints faults = new FaultEndpoints(b.faults);
    ReportEndpoints reports = new ReportEndpoints(b.catalog.store(), this.executor);
    ReconcileEndpoints reconcile = new ReconcileEndpoints(b.catalog.store(), b.clock);
    AuditEndpoints audit = new AuditEndpoints(b.catalog.store().audit());
    this.adminRoutes = Routes.builder(path -> "No admin endpoint at " + path + "; see docs/admin-api.md")
        .get("/admin/products", (r, p) -> c.products())
        .post("/admin/products", (r, p) -> c.createProduct(r))
        .get("/admin/products/{productCode}", (r, p) -> c.product(p.get("productCode")))
        .post("/admin/products/{productCode}/dimensions", (r, p) -> c.addDimensions(p.get("productCode"), r))
        .get("/admin/products/{productCode}/keys", (r, p) -> c.keys(p.get("productCode")))
        .post("/admin/products/{productCode}/keys/rotate", (r, p) -> c.rotate(p.get("productCode")))
        .get("/admin/products/{productCode}/subscriptions", (r, p) -> c.subscriptions(p.get("productCode")))
        .get("/admin/products/{productCode}/tokens", (r, p) -> c.tokens(p.get("productCode")))
        .get("/admin/accounts", (r, p) -> c.accounts())
        .post("/admin/accounts", (r, p) -> c.createAccount(r))
        .get("/admin/accounts/{accountId}", (r, p) -> c.account(p.get("accountId")))
        .post("/admin/subscriptions", (r, p) -> c.upsertSubscription(r))
        .get("/admin/subscriptions/{productCode}/{customer}",
            (r, p) -> c.subscription(p.get("productCode"), p.get("customer")))
        .post("/admin/subscriptions/{productCode}/{customer}/activate",
            (r, p) -> c.setActive(p.get("productCode"), p.get("customer"), true))
        .post("/admin/subscriptions/{productCode}/{customer}/deactivate",
            (r, p) -> c.setActive(p.get("productCode"), p.get("customer"), false))
        .post("/admin/tokens", (r, p) -> c.createToken(r))
        .get("/admin/clock", (r, p) -> records.clock())
        .post("/admin/clock", (r, p) -> records.moveClock(r))
        .get("/admin/records/batch", (r, p) -> records.batchRecords(r))
        .get("/admin/records/meter", (r, p) -> records.meterRecords(r))
        .get("/admin/records/tasks", (r, p) -> records.tasks(r))
        .get("/admin/stats", (r, p) -> records.stats())
        .get("/admin/reports/usage", (r, p) -> reports.usage(r))
        .post("/admin/reconcile", (r, p) -> reconcile.reconcile(r))
        .get("/admin/audit", (r, p) -> audit.list(r))
        .get("/admin/faults", (r, p) -> faults.list())
        .post("/admin/faults", (r, p) -> faults.set(r))
        .route("DELETE", "/admin/faults", (r, p) -> faults.clear())
        .build();
    this.keyRoutes = Routes.builder(
            path -> "No key at " + path + ": use /keys/{productCode} or /keys/{productCode}/{version}.pem")
        .get("/keys/{productCode}", (r, p) -> keys.versions(p.get("productCode")))
        .route("HEAD", "/keys/{productCode}", (r, p) -> keys.versions(p.get("productCode")))
        .get("/keys/{productCode}/{file}", (r, p) -> keys.pem(p.get("productCode"), p.get("file")))
        .route("HEAD", "/keys/{productCode}/{file}", (r, p) -> keys.pem(p.get("productCode"), p.get("file")))
        .build();
    this.dashboard = tokenDigest == null ? null : Dashboard.builder().tokenCheck(this::tokenMatches)
        .routes(this::internal).secureCookies(b.secureCookies).build();
  }

  private boolean tokenMatches(String token) {
    // Digests have a fixed length, so the comparison takes the same time whatever was sent.
    return MessageDigest.isEqual(tokenDigest, sha256(token));
  }

  /** Answers an in-process request of the dashboard: the admin routes, errors as their JSON. */
  private PlainResponse internal(PlainRequest request) {
    return answer(request, () -> adminRoutes.answer(request));
  }

  /** A builder; {@link Builder#catalog} and {@link Builder#clock} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether {@code /admin/*} is served (a token was given); the key download always is. */
  public boolean adminEnabled() {
    return tokenDigest != null;
  }

  @Override
  public CompletableFuture<PlainResponse> handle(PlainRequest request) {
    String path = request.path();
    Supplier<PlainResponse> work;
    try {
      if (path.equals("/keys") || path.startsWith("/keys/")) {
        work = () -> keyRoutes.answer(request);
      } else if (Dashboard.serves(path)) {
        if (dashboard == null) {
          throw AdminException.notFound("The dashboard is not enabled on this server: start it with an admin token");
        }
        // The dashboard has its own login (a form and a session cookie), not the bearer header.
        work = () -> dashboard.answer(request);
      } else {
        if (tokenDigest == null) {
          throw AdminException.notFound("The admin API is not enabled on this server: start it with an admin token");
        }
        authenticate(request);
        work = () -> adminRoutes.answer(request);
      }
    } catch (AdminException e) {
      return CompletableFuture.completedFuture(e.response());
    }
    try {
      return CompletableFuture.supplyAsync(() -> answer(request, work), executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(PlainResponse.error(503, "Busy",
          "The admin API is busy; retry shortly").withHeader("Retry-After", "1"));
    }
  }

  private static PlainResponse answer(PlainRequest request, Supplier<PlainResponse> work) {
    try {
      return work.get();
    } catch (AdminException e) {
      if (e.status() >= 500) {
        LOG.warn("Admin request {} failed: {}", request, e.getMessage());
      }
      return e.response();
    } catch (RuntimeException e) {
      LOG.error("Admin request {} failed", request, Futures.unwrap(e));
      return PlainResponse.error(500, "InternalError",
          "An internal error occurred (request id " + request.requestId() + "); see the server log");
    }
  }

  private void authenticate(PlainRequest request) {
    Optional<String> header = request.header("Authorization");
    if (header.isEmpty()) {
      throw AdminException.unauthorized("Missing Authorization header: send Authorization: Bearer <admin token>");
    }
    String value = header.get().strip();
    if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw AdminException.unauthorized("The Authorization header must be Bearer <admin token>");
    }
    if (!tokenMatches(value.substring(7).strip())) {
      throw AdminException.unauthorized("The admin token is not valid");
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Stops the worker threads this object created (not a given executor). Idempotent. */
  @Override
  public void close() {
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
  }

  @Override
  public String toString() {
    return "AdminApi[admin " + (tokenDigest == null ? "disabled" : "enabled") + ", key download enabled]";
  }

  /** Builds {@link AdminApi}s. Not thread-safe. */
  public static final class Builder {
    private Catalog catalog;
    private ServerClock clock;
    private String token;
    private Executor executor;
    private Faults faults = new Faults();
    private boolean secureCookies;

    private Builder() {}

    /**
     * Marks the dashboard's session cookie {@code Secure} (sent over HTTPS only): set it when the
     * server speaks TLS. Default false.
     */
    public Builder secureCookies(boolean secureCookies) {
      this.secureCookies = secureCookies;
      return this;
    }

    /** The catalog the metering operations read (and its store). Required. */
    public Builder catalog(Catalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /** The clock the metering operations use, which {@code /admin/clock} moves. Required. */
    public Builder clock(ServerClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The bearer token of {@code /admin/*}, at least {@value #MIN_TOKEN_LENGTH} characters (e.g.
     * {@code openssl rand -hex 32}). Not set: {@code /admin/*} answers 404, the key download still works.
     */
    public Builder token(String token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /** The faults the server injects, which {@code /admin/faults} sets. Default: its own, none in force. */
    public Builder faults(Faults faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
      return this;
    }

    /**
     * Where endpoints run (they block on the store). Default: two daemon threads of its own,
     * queue of 1,024, stopped by {@link AdminApi#close()}. A given executor is not shut down.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * The admin API.
     *
     * @throws IllegalArgumentException if the catalog or the clock is missing, or the token is too
     *     short or has spaces
     */
    public AdminApi build() {
      if (catalog == null) {
        throw new IllegalArgumentException("catalog must be set: the Catalog the metering operations read");
      }
      if (clock == null) {
        throw new IllegalArgumentException("clock must be set: the ServerClock the metering operations use");
      }
      if (token != null) {
        if (token.length() < MIN_TOKEN_LENGTH) {
          throw new IllegalArgumentException("the admin token must be at least " + MIN_TOKEN_LENGTH
              + " characters, was " + token.length() + "; generate one with: openssl rand -hex 32");
        }
        if (!token.chars().allMatch(ch -> ch > 32 && ch < 127)) {
          throw new IllegalArgumentException("the admin token must be printable ASCII without spaces");
        }
      }
      return new AdminApi(this);
    }
  }
}
