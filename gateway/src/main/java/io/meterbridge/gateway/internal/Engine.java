package io.meterbridge.gateway.internal;

import io.meterbridge.gateway.CatalogProduct;
import io.meterbridge.gateway.EventTrace;
import io.meterbridge.gateway.GatewayException;
import io.meterbridge.gateway.GatewayStatus;
import io.meterbridge.gateway.IngestResult;
import io.meterbridge.gateway.IngestStatus;
import io.meterbridge.gateway.LedgerRecord;
import io.meterbridge.gateway.RecordPage;
import io.meterbridge.gateway.RecordQuery;
import io.meterbridge.gateway.UsageEvent;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway assembled: database, catalog, ingest writer, sweeper, forwarder and (optionally) the
 * HTTP front, started in that order and closed in reverse. The public face is {@link
 * io.meterbridge.gateway.Gateway}; this class is internal.
 */
public final class Engine implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Engine.class.getName());
  private static final int MAX_PENDING_CALLS = 512;
  private static final int MAX_GROUP_EVENTS = 16_384;

  private final EngineConfig config;
  private final GatewayClock clock;
  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private Database db;
  private Catalog catalog;
  private EventValidator validator;
  private IngestWriter writer;
  private Sweeper sweeper;
  private Forwarder forwarder;
  private Ledger ledger;
  private HttpFront http;
  private EventIndex index;
  private boolean closed;
  private final UpstreamStats upstream = new UpstreamStats();
  private GatewayMetrics metrics;

  private Engine(EngineConfig config) {
    this.config = config;
    this.clock = new GatewayClock(config.clock());
  }

  /**
   * Opens the database (migrating it), loads the catalog, recovers and starts every part.
   *
   * @throws GatewayException if the database cannot be opened or the catalog file is invalid
   */
  public static Engine start(EngineConfig config) {
    Engine engine = new Engine(config);
    try {
      engine.open();
      return engine;
    } catch (RuntimeException | Error e) {
      engine.close();
      throw e;
    }
  }

  private void open() {
    List<CatalogProduct> fromFile = config.catalogFile().map(CatalogFile::read).orElse(List.of());
    db = config.jdbcUrl().isPresent()
        ? Database.postgres(config.jdbcUrl().get(), config.schema(), 8)
        : Database.sqlite(config.dataDir().orElseThrow(), 4);
    closeables.push(db);
    catalog = new Catalog(db);
    List<CatalogProduct> products = new ArrayList<>(fromFile);
    products.addAll(config.products());
    if (!products.isEmpty()) {
      catalog.upsert(products);
    }
    followClock();
    IngestStatements statements;
    RecordSums sums;
    if (db.sqlite()) {
      index = new EventIndex();
      SqliteIngest sqlite = withWriterConnection(c -> new SqliteIngest(c, index));
      statements = sqlite;
      sums = new DeferredSums(statements, sqlite::lastSeq);
      int recovered = db.inTransaction(db.writer(), "sum the events of the last run", DeferredSums::recover);
      if (recovered > 0) {
        LOG.log(Level.INFO, recovered + " event(s) of the last run were not yet in their records' sums (it did not"
            + " stop cleanly); summed now");
      }
      // One process owns a SQLite gateway: whatever was being sent when it stopped is sent again now.
      int released = db.inTransaction("release the previous run's leases", c -> Database.update(c,
          "UPDATE usage_record SET state = 'closed', lease_owner = NULL, lease_until = NULL WHERE state = 'sending'"));
      if (released > 0) {
        LOG.log(Level.INFO, released + " record(s) were being sent when the gateway last stopped; sending them again");
      }
    } else {
      statements = new PostgresIngest();
      sums = RecordSums.immediate(statements);
    }
    validator = new EventValidator(catalog, config.window());
    writer = new IngestWriter(db, statements, sums, config.window(), clock, MAX_PENDING_CALLS, MAX_GROUP_EVENTS);
    closeables.push(writer);
    Pacer pacer = new Pacer(db, config.account(), config.quotaPerSecond(), clock);
    IngestWriter w = writer;
    ledger = new Ledger(db, catalog, index, pacer, clock, config.alertBefore().toMillis(),
        db.sqlite() ? () -> w.flushAnd(c -> 0).join() : () -> { });
    if (config.upstream().isPresent()) {
      if (config.closeUpstream()) {
        closeables.push(config.upstream().get());
      }
      forwarder = new Forwarder(db, config.upstream().get(), pacer, clock, UUID.randomUUID().toString(),
          config.workers(), upstream);
      closeables.push(forwarder);
    }
    sweeper = new Sweeper(db, clock, config.window(), catalog, statements, writer, config.closeDelay(),
        config.alertBefore(), config.zeroHours(), index, forwarder == null ? () -> { } : forwarder::wake);
    closeables.push(sweeper);
    sweeper.sweep();
    sweeper.start();
    if (forwarder != null) {
      forwarder.start();
    }
    metrics = new GatewayMetrics(ledger::status, upstream);
    closeables.push(metrics);
    if (config.port().isPresent()) {
      http = HttpFront.start(config.bind(), config.port().get(), new Routes(this, config.ingestToken(),
          config.adminToken()));
      closeables.push(http);
    }
    LOG.log(Level.INFO, "gateway started on " + db.description() + (http == null ? "" : ", HTTP port " + http.port())
        + (forwarder == null ? ", forwarding off" : ", forwarding at " + config.quotaPerSecond() + " calls/s"));
  }

  private <T> T withWriterConnection(Database.Work<T> work) {
    try (Connection c = db.writer().getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new GatewayException("cannot read the event table: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------------------------------- ingest

  /** Ingests events of the Java API. */
  public CompletableFuture<List<IngestResult>> ingest(List<UsageEvent> events) {
    return ingestInputs(events.stream().map(EventInput::of).toList());
  }

  CompletableFuture<List<IngestResult>> ingestInputs(List<EventInput> inputs) {
    long now = clock.now();
    int n = inputs.size();
    IngestResult[] results = new IngestResult[n];
    List<ValidEvent> valid = new ArrayList<>(n);
    int[] positions = new int[n];
    for (int i = 0; i < n; i++) {
      EventInput in = inputs.get(i);
      EventValidator.Verdict v = validator.check(in, now);
      if (v.event() == null) {
        results[i] = IngestResult.of(in.idOrEmpty(), IngestStatus.REJECTED, v.rejection());
      } else {
        positions[valid.size()] = i;
        valid.add(v.event());
      }
    }
    if (valid.isEmpty()) {
      return CompletableFuture.completedFuture(List.of(results));
    }
    PendingIngest call = new PendingIngest(valid, java.util.Arrays.copyOf(positions, valid.size()), results);
    writer.submit(call);
    return call.future;
  }

  // ---------------------------------------------------------------------------------------- ledger

  public RecordPage records(RecordQuery query) {
    return ledger.records(query);
  }

  public Optional<EventTrace> event(String id, Optional<String> productCode) {
    return ledger.event(id, productCode);
  }

  /**
   * Writes a usage report over the ledger to {@code out}, from a database cursor. Every record's
   * region is the upstream client's (empty without forwarding).
   */
  void usageReport(UsageReport report, java.io.OutputStream out) throws java.io.IOException {
    report.write(db, config.upstream().map(c -> c.region()).orElse(""), out);
  }

  /** Unsent records within the alert window of their deadline, oldest deadline first. */
  List<LedgerRecord> atRisk(int limit) {
    return ledger.atRisk(limit);
  }

  /** The latest records whose last upstream call failed, newest first. */
  List<LedgerRecord> lastErrors(int limit) {
    return ledger.lastErrors(limit);
  }

  /** How long before its deadline an unsent record raises an alert. */
  Duration alertBefore() {
    return config.alertBefore();
  }

  /** BatchMeterUsage calls made by this process, and its failed ones by error code. */
  UpstreamStats upstreamStats() {
    return upstream;
  }

  public GatewayStatus status() {
    return ledger.status();
  }

  /**
   * Asks the database a cheap question about the ledger's table (so a dropped schema counts, not
   * only a lost connection), for {@code /health}.
   *
   * @throws GatewayException if it does not answer
   */
  public void ping() {
    db.inTransaction("health check", c -> Database.query(c, "SELECT 1 FROM usage_record WHERE 1 = 0", rs -> 1));
  }

  /** The metrics in the Prometheus text format: reads the status, so blocking. */
  public String scrapeMetrics() {
    return metrics.scrape();
  }

  // ---------------------------------------------------------------------------------- catalog, clock

  public List<CatalogProduct> products() {
    return catalog.all();
  }

  public void upsertProducts(List<CatalogProduct> products) {
    catalog.upsert(products);
  }

  /** The gateway's time (business time, time travel included). */
  public Instant now() {
    return clock.instant();
  }

  /** How far time travel has moved the gateway's clock from real time. */
  public Duration clockOffset() {
    return Duration.ofMillis(clock.offsetMillis());
  }

  /**
   * Moves the clock of every process on the database to {@code offset} from real time, and sweeps at
   * once (so hours that have now ended close).
   */
  public void clockOffset(Duration offset) {
    db.inTransaction("time travel", c -> Sweeper.upsertSetting(c, Sweeper.CLOCK_OFFSET,
        Long.toString(offset.toMillis())));
    followClock();
    sweeper.sweep();
  }

  private void followClock() {
    List<String> offset = db.query("SELECT value FROM gateway_setting WHERE name = ?", rs -> rs.getString(1),
        Sweeper.CLOCK_OFFSET);
    clock.offsetMillis(offset.isEmpty() ? 0 : Long.parseLong(offset.get(0)));
  }

  /** Runs the sweeper's work now (closing, alerts, expiry), as it does every second. */
  public void sweep() {
    sweeper.sweep();
  }

  /** The HTTP port, when the gateway serves HTTP. */
  public Optional<Integer> port() {
    return http == null ? Optional.empty() : Optional.of(http.port());
  }

  public String databaseDescription() {
    return db.description();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    while (!closeables.isEmpty()) {
      AutoCloseable c = closeables.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "closing " + c + " failed", e);
      }
    }
  }
}
