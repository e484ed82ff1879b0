package io.meterbridge.server.store;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The storage contract on JDBC, in three parts with one job each: the {@link MeteringWriter}
 * (group-commit dedup inserts, on a connection of its own), the {@link JdbcCatalog} and the
 * {@link MeteringRecords} (both on the pool). A {@link Dialect} supplies the database's side of the
 * write path; {@link Tables} maps every row type to its columns.
 */
final class JdbcStore implements Store {
  private static final int AUDIT_QUEUE = 65_536;
  private static final java.time.Duration AUDIT_INTERVAL = java.time.Duration.ofMillis(100);

  private final MeteringWriter writer;
  private final Jdbc pool;
  private final JdbcCatalog catalog;
  private final MeteringRecords records;
  private final UsageReports reports;
  private final AuditLog audit;
  /** The audit trail's own connections (SQLite's {@code audit.db}), or null when it shares the pool. */
  private final Jdbc auditPool;
  private final List<Runnable> catalogListeners = new CopyOnWriteArrayList<>();
  private final AutoCloseable catalogWatch;
  private final AutoCloseable upkeep;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param pool the connections for reads and catalog writes
   * @param writerPool the writer's connection
   * @param auditPool the connections of the audit trail's own database, or null to keep it in the pool's
   */
  JdbcStore(String name, Dialect dialect, HikariDataSource pool, HikariDataSource writerPool,
      HikariDataSource auditPool, StoreConfig config) {
    this.pool = new Jdbc(pool, dialect::isTransient, dialect::unavailability);
    this.writer = new MeteringWriter(name, dialect, new Jdbc(writerPool, dialect::isTransient, dialect::unavailability),
        config);
    this.catalog = new JdbcCatalog(this.pool, dialect);
    this.records = new MeteringRecords(this.pool);
    this.reports = new UsageReports(pool, dialect instanceof PostgresDialect);
    this.auditPool = auditPool == null ? null : new Jdbc(auditPool, dialect::isTransient, dialect::unavailability);
    this.audit = new AuditLog(name, this.auditPool == null ? this.pool : this.auditPool, AUDIT_QUEUE, AUDIT_INTERVAL);
    this.catalogWatch = dialect.watchCatalog(this::catalogChanged);
    this.upkeep = dialect.startUpkeep(name);
  }

  private void catalogChanged() {
    for (Runnable listener : catalogListeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        System.getLogger(JdbcStore.class.getName()).log(System.Logger.Level.WARNING,
            "a catalog change listener failed", e);
      }
    }
  }

  // ---- metering writes ----

  @Override
  public CompletableFuture<List<MeterOutcome>> meterBatch(List<BatchRow> rows) {
    return writer.meterBatch(rows);
  }

  @Override
  public CompletableFuture<MeterOutcome> meterUsage(MeterRow row) {
    return writer.meterUsage(row);
  }

  @Override
  public CompletableFuture<TaskRegistration> registerTask(
      String callerIdentity, String productCode, String callerAccountId, Instant at) {
    return writer.registerTask(callerIdentity, productCode, callerAccountId, at);
  }

  // ---- catalog writes ----

  @Override
  public void apply(CatalogChanges changes) {
    // The listeners run even when a write fails: a failed commit may still have committed.
    try {
      catalog.apply(changes);
    } finally {
      catalogChanged();
    }
  }

  @Override
  public boolean activateSubscription(String productCode, String customerAccountId) {
    try {
      return catalog.markSubscription(productCode, customerAccountId, true);
    } finally {
      catalogChanged();
    }
  }

  @Override
  public boolean deactivateSubscription(String productCode, String customerAccountId) {
    try {
      return catalog.markSubscription(productCode, customerAccountId, false);
    } finally {
      catalogChanged();
    }
  }

  @Override
  public SigningKey rotateSigningKey(String productCode, byte[] privateKeyPkcs8, byte[] publicKeyX509, Instant at) {
    try {
      return catalog.rotateSigningKey(productCode, privateKeyPkcs8, publicKeyX509, at);
    } finally {
      catalogChanged();
    }
  }

  @Override
  public void onCatalogChange(Runnable listener) {
    catalogListeners.add(Require.present(listener, "listener"));
  }

  // ---- catalog reads ----

  @Override
  public Optional<Account> account(String accountId) {
    return catalog.account(accountId);
  }

  @Override
  public Optional<AccessKey> accessKey(String accessKeyId) {
    return catalog.accessKey(accessKeyId);
  }

  @Override
  public Optional<Product> product(String productCode) {
    return catalog.product(productCode);
  }

  @Override
  public List<Product> products() {
    return catalog.products();
  }

  @Override
  public List<Account> accounts() {
    return catalog.accounts();
  }

  @Override
  public List<Subscription> subscriptions(String productCode) {
    return catalog.subscriptions(productCode);
  }

  @Override
  public List<RegistrationToken> tokens(String productCode) {
    return catalog.tokens(productCode);
  }

  @Override
  public Set<String> dimensions(String productCode) {
    return catalog.dimensions(productCode);
  }

  @Override
  public Optional<Subscription> subscriptionByCustomerIdentifier(String productCode, String customerIdentifier) {
    return catalog.subscriptionByCustomerIdentifier(productCode, customerIdentifier);
  }

  @Override
  public Optional<Subscription> subscriptionByCustomerAccount(String productCode, String customerAccountId) {
    return catalog.subscriptionByCustomerAccount(productCode, customerAccountId);
  }

  @Override
  public Optional<Subscription> subscriptionByLicense(String licenseArn) {
    return catalog.subscriptionByLicense(licenseArn);
  }

  @Override
  public List<Subscription> subscriptions() {
    return catalog.subscriptions();
  }

  @Override
  public Optional<RegistrationToken> token(String token) {
    return catalog.token(token);
  }

  @Override
  public List<SigningKey> signingKeys(String productCode) {
    return catalog.signingKeys(productCode);
  }

  @Override
  public Optional<SigningKey> signingKey(String productCode, int version) {
    return catalog.signingKey(productCode, version);
  }

  @Override
  public Optional<TaskRegistration> task(String callerIdentity, String productCode) {
    return records.task(callerIdentity, productCode);
  }

  // ---- metering reads ----

  @Override
  public List<TaskRecord> tasks(String productCode) {
    return records.tasks(productCode);
  }

  @Override
  public Page<BatchRow> batchRecords(RecordQuery query) {
    return records.batchRecords(query);
  }

  @Override
  public Page<MeterRow> meterRecords(RecordQuery query) {
    return records.meterRecords(query);
  }

  @Override
  public StoreCounts counts() {
    return records.counts();
  }

  @Override
  public void usageReport(UsageReportQuery query, UsageSink sink) throws IOException {
    reports.report(query, sink);
  }

  @Override
  public void ping() {
    if (closed.get()) {
      throw new StoreClosedException("store is closed");
    }
    pool.list("SELECT 1 FROM account WHERE 1 = 0", rs -> 1);
  }

  @Override
  public StoreLoad load() {
    GroupCommitter c = writer.committer();
    HikariPoolMXBean p = pool.pool().getHikariPoolMXBean();
    return new StoreLoad(c.queued(), c.commits(), c.committedRows(),
        p == null ? 0 : p.getActiveConnections(), p == null ? 0 : p.getIdleConnections(),
        p == null ? 0 : p.getThreadsAwaitingConnection(), pool.pool().getMaximumPoolSize(),
        audit.queued(), audit.dropped() + audit.failed());
  }

  @Override
  public AuditLog audit() {
    return audit;
  }

  // ---- lifecycle ----

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      catalogWatch.close();
    } catch (Exception e) {
      System.getLogger(JdbcStore.class.getName()).log(System.Logger.Level.WARNING,
          "stopping the catalog watch failed", e);
    }
    try {
      audit.close();
      writer.close();
    } finally {
      closeUpkeep();
      if (auditPool != null) {
        auditPool.close();
      }
      pool.close();
    }
  }

  private void closeUpkeep() {
    try {
      upkeep.close();
    } catch (Exception e) {
      System.getLogger(JdbcStore.class.getName()).log(System.Logger.Level.WARNING, "stopping " + upkeep + " failed", e);
    }
  }

  /** The writer's connections, for dialect checks in tests. */
  HikariDataSource writerPool() {
    return writer.connection().pool();
  }
}
