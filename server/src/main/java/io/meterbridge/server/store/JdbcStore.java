package io.meterbridge.server.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The storage contract on JDBC. Catalog, reads and the group-commit algorithm are shared; the
 * dialects supply the hot-path primitives (insert a set of rows ignoring key conflicts, read back
 * the rows that won) and how to open and migrate the database.
 */
abstract class JdbcStore implements Store {
  private static final int CATALOG_BATCH = 1000;
  private static final int MAX_ATTEMPTS = 5;

  private static final String BATCH_COLUMNS = "id, hour, product_code, customer_key, dimension, usage_time, "
      + "quantity, allocations, fingerprint, license_arn, caller_account_id, received_at";
  private static final String METER_COLUMNS = "id, hour, caller_identity, caller_account_id, product_code, "
      + "dimension, usage_time, quantity, allocations, fingerprint, client_token, request_fingerprint, received_at";

  static final String INSERT_BATCH = "INSERT INTO batch_usage (" + BATCH_COLUMNS + ")";
  static final String INSERT_METER = "INSERT INTO meter_usage (" + METER_COLUMNS + ")";

  private final HikariDataSource pool;
  private final HikariDataSource writerPool;
  private final GroupCommitter committer;
  private final AtomicBoolean closed = new AtomicBoolean();

  JdbcStore(String name, HikariDataSource pool, HikariDataSource writerPool, StoreConfig config) {
    this.pool = pool;
    this.writerPool = writerPool;
    this.committer =
        new GroupCommitter(name, config.maxPendingWrites(), config.maxGroupRows(), this::writeGroup);
  }

  // ---- dialect primitives, run on the writer thread inside the group's transaction ----

  /** Inserts rows, skipping any whose unique key exists; returns which were inserted. */
  abstract boolean[] insertBatchRows(Connection c, List<BatchRow> rows) throws SQLException;

  /** The stored rows under the keys of {@code rows}. */
  abstract Map<Keys.Batch, Keys.Existing> findBatchRows(Connection c, List<BatchRow> rows) throws SQLException;

  /** Inserts rows, skipping any whose hour key or token exists; returns which were inserted. */
  abstract boolean[] insertMeterRows(Connection c, List<MeterRow> rows) throws SQLException;

  abstract Map<Keys.Hour, Keys.Existing> findMeterRowsByHour(Connection c, List<MeterRow> rows)
      throws SQLException;

  /**
   * The stored rows under the client tokens of {@code rows}, or the bindings of tokens answered
   * from another row ({@code meter_usage_token}, whose fingerprint is empty); a row's own token
   * wins over a binding. Rows without a token are ignored.
   */
  abstract Map<Keys.Token, Keys.Existing> findMeterRowsByToken(Connection c, List<MeterRow> rows)
      throws SQLException;

  /** Whether retrying the whole transaction may succeed (deadlock, serialization, busy, lost connection). */
  abstract boolean isTransient(SQLException e);

  // ---- metering writes ----

  @Override
  public CompletableFuture<List<MeterOutcome>> meterBatch(List<BatchRow> rows) {
    List<BatchRow> copy = List.copyOf(rows);
    if (copy.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    PendingWrite.Batch w = new PendingWrite.Batch(copy);
    committer.submit(w);
    return w.future;
  }

  @Override
  public CompletableFuture<MeterOutcome> meterUsage(MeterRow row) {
    PendingWrite.Meter w = new PendingWrite.Meter(Require.present(row, "row"));
    committer.submit(w);
    return w.future;
  }

  @Override
  public CompletableFuture<TaskRegistration> registerTask(
      String callerIdentity, String productCode, String callerAccountId, Instant at) {
    PendingWrite.Task w = new PendingWrite.Task(
        Require.text(callerIdentity, "callerIdentity"),
        Require.text(productCode, "productCode"),
        Require.text(callerAccountId, "callerAccountId"),
        Require.present(at, "at"));
    committer.submit(w);
    return w.future;
  }

  private void writeGroup(List<PendingWrite> group) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = writerPool.getConnection()) {
        c.setAutoCommit(false);
        try {
          executeGroup(c, group);
          c.commit();
          return;
        } catch (SQLException | RuntimeException e) {
          group.forEach(PendingWrite::reset);
          try {
            c.rollback();
          } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
          }
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      } catch (SQLException e) {
        if (attempt < MAX_ATTEMPTS && isTransient(e)) {
          continue;
        }
        throw new StoreException("group commit of " + group.size() + " writes failed after " + attempt
            + " attempt(s): " + e.getMessage(), e);
      }
    }
  }

  private void executeGroup(Connection c, List<PendingWrite> group) throws SQLException {
    List<BatchSlot> batchSlots = new ArrayList<>();
    List<PendingWrite.Meter> meters = new ArrayList<>();
    List<PendingWrite.Task> tasks = new ArrayList<>();
    for (PendingWrite w : group) {
      if (w instanceof PendingWrite.Batch b) {
        for (int i = 0; i < b.rows.size(); i++) {
          batchSlots.add(new BatchSlot(b, i));
        }
      } else if (w instanceof PendingWrite.Meter m) {
        meters.add(m);
      } else if (w instanceof PendingWrite.Task t) {
        tasks.add(t);
      }
    }
    if (!batchSlots.isEmpty()) {
      writeBatchRows(c, batchSlots);
    }
    if (!meters.isEmpty()) {
      writeMeterRows(c, meters);
    }
    if (!tasks.isEmpty()) {
      writeTasks(c, tasks);
    }
  }

  private record BatchSlot(PendingWrite.Batch write, int index) {
    BatchRow row() {
      return write.rows.get(index);
    }

    void outcome(MeterOutcome o) {
      write.outcomes[index] = o;
    }
  }

  /*
   * Rows are written in rounds. A round holds no two rows with the same key, so its rows can be
   * inserted as one set; a row whose key is already taken by an earlier row of the group waits for
   * the next round, which sees the earlier row in the same transaction. The result is exactly what
   * writing the rows one by one in arrival order would give. Same-key rows within a group are rare
   * (concurrent retries), so nearly every group is one round.
   */
  private void writeBatchRows(Connection c, List<BatchSlot> slots) throws SQLException {
    List<BatchSlot> pending = slots;
    while (!pending.isEmpty()) {
      List<BatchSlot> round = new ArrayList<>(pending.size());
      List<BatchSlot> later = new ArrayList<>();
      Set<Keys.Batch> claimed = new HashSet<>();
      for (BatchSlot s : pending) {
        (claimed.add(Keys.Batch.of(s.row())) ? round : later).add(s);
      }
      List<BatchRow> rows = new ArrayList<>(round.size());
      round.forEach(s -> rows.add(s.row()));
      boolean[] inserted = insertBatchRows(c, rows);
      List<BatchRow> lost = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        if (!inserted[i]) {
          lost.add(rows.get(i));
        }
      }
      Map<Keys.Batch, Keys.Existing> winners = lost.isEmpty() ? Map.of() : findBatchRows(c, lost);
      for (int i = 0; i < round.size(); i++) {
        BatchSlot s = round.get(i);
        BatchRow row = rows.get(i);
        if (inserted[i]) {
          s.outcome(new MeterOutcome.Stored(row.meteringRecordId()));
          continue;
        }
        Keys.Existing e = winners.get(Keys.Batch.of(row));
        if (e == null) {
          throw new StoreException("insert of " + row.meteringRecordId()
              + " was skipped as a duplicate but no row holds its key " + Keys.Batch.of(row));
        }
        s.outcome(e.fingerprint().equals(row.fingerprint())
            ? new MeterOutcome.Replayed(e.meteringRecordId())
            : new MeterOutcome.Conflict(e.meteringRecordId()));
      }
      pending = later;
    }
  }

  private void writeMeterRows(Connection c, List<PendingWrite.Meter> writes) throws SQLException {
    List<PendingWrite.Meter> pending = writes;
    while (!pending.isEmpty()) {
      List<PendingWrite.Meter> round = new ArrayList<>(pending.size());
      List<PendingWrite.Meter> later = new ArrayList<>();
      Set<Keys.Hour> hours = new HashSet<>();
      Set<Keys.Token> tokens = new HashSet<>();
      for (PendingWrite.Meter w : pending) {
        // Claim both keys either way: a row that waits must also hold back later rows sharing its keys.
        boolean freeHour = hours.add(Keys.Hour.of(w.row));
        Keys.Token token = Keys.Token.of(w.row);
        boolean freeToken = token == null || tokens.add(token);
        (freeHour && freeToken ? round : later).add(w);
      }
      writeMeterRound(c, round);
      pending = later;
    }
  }

  private void writeMeterRound(Connection c, List<PendingWrite.Meter> round) throws SQLException {
    List<MeterRow> withToken = new ArrayList<>();
    round.forEach(w -> {
      if (w.row.clientTokenOrNull() != null) {
        withToken.add(w.row);
      }
    });
    // The ClientToken check comes first, as in the API.
    Map<Keys.Token, Keys.Existing> byToken = withToken.isEmpty() ? Map.of() : findMeterRowsByToken(c, withToken);
    List<PendingWrite.Meter> toInsert = new ArrayList<>(round.size());
    for (PendingWrite.Meter w : round) {
      Keys.Existing e = byToken.isEmpty() ? null : byToken.get(Keys.Token.of(w.row));
      if (e != null) {
        w.outcome = tokenOutcome(w.row, e);
      } else {
        toInsert.add(w);
      }
    }
    if (toInsert.isEmpty()) {
      return;
    }
    List<MeterRow> rows = new ArrayList<>(toInsert.size());
    toInsert.forEach(w -> rows.add(w.row));
    boolean[] inserted = insertMeterRows(c, rows);
    List<MeterRow> lost = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (inserted[i]) {
        toInsert.get(i).outcome = new MeterOutcome.Stored(rows.get(i).meteringRecordId());
      } else {
        lost.add(rows.get(i));
      }
    }
    if (lost.isEmpty()) {
      return;
    }
    // Another process may have stored the same token since the check above (PostgreSQL only): the
    // token still wins over the hour key.
    Map<Keys.Token, Keys.Existing> lateTokens = findMeterRowsByToken(c, lost);
    Map<Keys.Hour, Keys.Existing> byHour = findMeterRowsByHour(c, lost);
    List<PendingWrite.Meter> answeredByHour = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (inserted[i]) {
        continue;
      }
      MeterRow row = rows.get(i);
      Keys.Token token = Keys.Token.of(row);
      Keys.Existing t = token == null ? null : lateTokens.get(token);
      Keys.Existing h = byHour.get(Keys.Hour.of(row));
      if (t != null) {
        toInsert.get(i).outcome = tokenOutcome(row, t);
      } else if (h != null) {
        toInsert.get(i).outcome = h.fingerprint().equals(row.fingerprint())
            ? new MeterOutcome.Replayed(h.meteringRecordId())
            : new MeterOutcome.Conflict(h.meteringRecordId());
        if (token != null) {
          answeredByHour.add(toInsert.get(i));
        }
      } else {
        throw new StoreException("insert of " + row.meteringRecordId()
            + " was skipped as a duplicate but no row holds its keys " + Keys.Hour.of(row) + " / " + token);
      }
    }
    if (!answeredByHour.isEmpty()) {
      bindTokens(c, answeredByHour);
    }
  }

  private static final String BIND_TOKEN = "INSERT INTO meter_usage_token "
      + "(caller_account_id, client_token, request_fingerprint, metering_record_id) VALUES (?, ?, ?, ?) "
      + "ON CONFLICT (caller_account_id, client_token) DO NOTHING";

  /**
   * Binds the tokens of calls answered from another call's row to their own parameters, so that the
   * same token with other parameters is an IdempotencyConflict later. A token another process bound
   * meanwhile (PostgreSQL) wins, as a stored row's does.
   */
  private void bindTokens(Connection c, List<PendingWrite.Meter> writes) throws SQLException {
    int[] counts;
    try (PreparedStatement ps = c.prepareStatement(BIND_TOKEN)) {
      for (PendingWrite.Meter w : writes) {
        ps.setString(1, w.row.callerAccountId());
        ps.setString(2, w.row.clientTokenOrNull());
        ps.setString(3, w.row.requestFingerprint());
        ps.setString(4, w.outcome.meteringRecordId());
        ps.addBatch();
      }
      counts = ps.executeBatch();
    }
    List<MeterRow> beaten = new ArrayList<>();
    for (int i = 0; i < writes.size(); i++) {
      if (counts[i] == 0) {
        beaten.add(writes.get(i).row);
      }
    }
    if (beaten.isEmpty()) {
      return;
    }
    Map<Keys.Token, Keys.Existing> bound = findMeterRowsByToken(c, beaten);
    for (int i = 0; i < writes.size(); i++) {
      Keys.Existing e = counts[i] == 0 ? bound.get(Keys.Token.of(writes.get(i).row)) : null;
      if (e != null) {
        writes.get(i).outcome = tokenOutcome(writes.get(i).row, e);
      }
    }
  }

  private static MeterOutcome tokenOutcome(MeterRow row, Keys.Existing e) {
    return e.requestFingerprint().equals(row.requestFingerprint())
        ? new MeterOutcome.Replayed(e.meteringRecordId())
        : new MeterOutcome.TokenConflict(e.meteringRecordId());
  }

  private static final String UPSERT_TASK = "INSERT INTO task_registration "
      + "(caller_identity, product_code, caller_account_id, first_seen, last_seen, calls) VALUES (?, ?, ?, ?, ?, 1) "
      + "ON CONFLICT (caller_identity, product_code) DO UPDATE SET "
      + "last_seen = CASE WHEN excluded.last_seen > task_registration.last_seen "
      + "THEN excluded.last_seen ELSE task_registration.last_seen END, "
      + "calls = task_registration.calls + 1 "
      + "RETURNING first_seen, last_seen, calls";

  private void writeTasks(Connection c, List<PendingWrite.Task> tasks) throws SQLException {
    // Few and one at a time per task by nature (RegisterUsage runs at launch), so row by row in order.
    try (PreparedStatement ps = c.prepareStatement(UPSERT_TASK)) {
      for (PendingWrite.Task t : tasks) {
        long at = t.at.toEpochMilli();
        ps.setString(1, t.callerIdentity);
        ps.setString(2, t.productCode);
        ps.setString(3, t.callerAccountId);
        ps.setLong(4, at);
        ps.setLong(5, at);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new StoreException("task upsert returned no row for " + t.callerIdentity);
          }
          long calls = rs.getLong(3);
          t.registration = new TaskRegistration(
              calls == 1, Instant.ofEpochMilli(rs.getLong(1)), Instant.ofEpochMilli(rs.getLong(2)), calls);
        }
      }
    }
  }

  // ---- catalog writes ----

  @Override
  public void apply(CatalogChanges changes) {
    if (changes.isEmpty()) {
      return;
    }
    inTransaction(c -> {
      batch(c, "INSERT INTO account (account_id, name) VALUES (?, ?) "
          + "ON CONFLICT (account_id) DO UPDATE SET name = excluded.name",
          changes.accounts(), (ps, a) -> {
            ps.setString(1, a.accountId());
            ps.setString(2, a.name());
          });
      batch(c, "INSERT INTO access_key (access_key_id, account_id, secret_access_key) VALUES (?, ?, ?) "
          + "ON CONFLICT (access_key_id) DO UPDATE SET account_id = excluded.account_id, "
          + "secret_access_key = excluded.secret_access_key",
          changes.accessKeys(), (ps, k) -> {
            ps.setString(1, k.accessKeyId());
            ps.setString(2, k.accountId());
            ps.setString(3, k.secretAccessKey());
          });
      batch(c, "INSERT INTO product (product_code, seller_account_id, product_type, region) VALUES (?, ?, ?, ?) "
          + "ON CONFLICT (product_code) DO UPDATE SET seller_account_id = excluded.seller_account_id, "
          + "product_type = excluded.product_type, region = excluded.region",
          changes.products(), (ps, p) -> {
            ps.setString(1, p.productCode());
            ps.setString(2, p.sellerAccountId());
            ps.setString(3, p.type().name());
            ps.setString(4, p.region());
          });
      List<String[]> dims = new ArrayList<>();
      changes.dimensions().forEach((p, ds) -> ds.forEach(d -> dims.add(new String[] {p, d})));
      batch(c, "INSERT INTO product_dimension (product_code, dimension) VALUES (?, ?) ON CONFLICT DO NOTHING",
          dims, (ps, d) -> {
            ps.setString(1, d[0]);
            ps.setString(2, d[1]);
          });
      batch(c, "INSERT INTO signing_key (product_code, version, private_key, public_key, created_at, expires_at) "
          + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (product_code, version) DO UPDATE SET "
          + "private_key = excluded.private_key, public_key = excluded.public_key, "
          + "created_at = excluded.created_at, expires_at = excluded.expires_at",
          changes.signingKeys(), (ps, k) -> {
            ps.setString(1, k.productCode());
            ps.setInt(2, k.version());
            ps.setBytes(3, k.privateKey());
            ps.setBytes(4, k.publicKey());
            ps.setLong(5, k.createdAt().toEpochMilli());
            setNullableMillis(ps, 6, k.expiresAt());
          });
      batch(c, "INSERT INTO subscription (product_code, customer_account_id, customer_identifier, license_arn, "
          + "active, since) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (product_code, customer_account_id) DO UPDATE SET "
          + "customer_identifier = excluded.customer_identifier, license_arn = excluded.license_arn, "
          + "active = excluded.active, since = excluded.since",
          changes.subscriptions(), (ps, s) -> {
            ps.setString(1, s.productCode());
            ps.setString(2, s.customerAccountId());
            ps.setString(3, s.customerIdentifier().orElse(null));
            ps.setString(4, s.licenseArn().orElse(null));
            ps.setBoolean(5, s.active());
            ps.setLong(6, s.since().toEpochMilli());
          });
      batch(c, "INSERT INTO registration_token (token, product_code, customer_account_id, customer_identifier, "
          + "license_arn, expires_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (token) DO UPDATE SET "
          + "product_code = excluded.product_code, customer_account_id = excluded.customer_account_id, "
          + "customer_identifier = excluded.customer_identifier, license_arn = excluded.license_arn, "
          + "expires_at = excluded.expires_at",
          changes.tokens(), (ps, t) -> {
            ps.setString(1, t.token());
            ps.setString(2, t.productCode());
            ps.setString(3, t.customerAccountId());
            ps.setString(4, t.customerIdentifier().orElse(null));
            ps.setString(5, t.licenseArn().orElse(null));
            ps.setLong(6, t.expiresAt().toEpochMilli());
          });
      return null;
    }, "apply " + changes);
  }

  @Override
  public boolean activateSubscription(String productCode, String customerAccountId) {
    return markSubscription(productCode, customerAccountId, true);
  }

  @Override
  public boolean deactivateSubscription(String productCode, String customerAccountId) {
    return markSubscription(productCode, customerAccountId, false);
  }

  private boolean markSubscription(String productCode, String customerAccountId, boolean active) {
    return inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE subscription SET active = ? WHERE product_code = ? AND customer_account_id = ?")) {
        ps.setBoolean(1, active);
        ps.setString(2, productCode);
        ps.setString(3, customerAccountId);
        return ps.executeUpdate() > 0;
      }
    }, (active ? "activate" : "deactivate") + " subscription " + productCode + "/" + customerAccountId);
  }

  @Override
  public SigningKey rotateSigningKey(String productCode, byte[] privateKeyPkcs8, byte[] publicKeyX509, Instant at) {
    Require.text(productCode, "productCode");
    return inTransaction(c -> {
      int version;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT COALESCE(MAX(version), 0) FROM signing_key WHERE product_code = ?")) {
        ps.setString(1, productCode);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          version = rs.getInt(1) + 1;
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE signing_key SET expires_at = ? WHERE product_code = ? AND expires_at IS NULL")) {
        ps.setLong(1, at.toEpochMilli());
        ps.setString(2, productCode);
        ps.executeUpdate();
      }
      SigningKey key = SigningKey.builder().productCode(productCode).version(version)
          .privateKey(privateKeyPkcs8).publicKey(publicKeyX509).createdAt(at).build();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO signing_key "
          + "(product_code, version, private_key, public_key, created_at, expires_at) VALUES (?, ?, ?, ?, ?, NULL)")) {
        ps.setString(1, productCode);
        ps.setInt(2, version);
        ps.setBytes(3, key.privateKey());
        ps.setBytes(4, key.publicKey());
        ps.setLong(5, at.toEpochMilli());
        ps.executeUpdate();
      }
      return key;
    }, "rotate signing key of " + productCode);
  }

  // ---- catalog reads ----

  @Override
  public Optional<Account> account(String accountId) {
    return one("SELECT account_id, name FROM account WHERE account_id = ?",
        rs -> new Account(rs.getString(1), rs.getString(2)), accountId);
  }

  @Override
  public Optional<AccessKey> accessKey(String accessKeyId) {
    return one("SELECT access_key_id, account_id, secret_access_key FROM access_key WHERE access_key_id = ?",
        rs -> new AccessKey(rs.getString(1), rs.getString(2), rs.getString(3)), accessKeyId);
  }

  private static final String PRODUCT_COLUMNS = "SELECT product_code, seller_account_id, product_type, region FROM product";

  @Override
  public Optional<Product> product(String productCode) {
    return one(PRODUCT_COLUMNS + " WHERE product_code = ?", JdbcStore::product, productCode);
  }

  @Override
  public List<Product> products() {
    return list(PRODUCT_COLUMNS + " ORDER BY product_code", JdbcStore::product);
  }

  private static Product product(ResultSet rs) throws SQLException {
    return new Product(rs.getString(1), rs.getString(2), ProductType.valueOf(rs.getString(3)), rs.getString(4));
  }

  @Override
  public Set<String> dimensions(String productCode) {
    return new LinkedHashSet<>(list(
        "SELECT dimension FROM product_dimension WHERE product_code = ? ORDER BY dimension",
        rs -> rs.getString(1), productCode));
  }

  private static final String SUBSCRIPTION_COLUMNS = "SELECT product_code, customer_account_id, "
      + "customer_identifier, license_arn, active, since FROM subscription";

  @Override
  public Optional<Subscription> subscriptionByCustomerIdentifier(String productCode, String customerIdentifier) {
    return one(SUBSCRIPTION_COLUMNS + " WHERE product_code = ? AND customer_identifier = ?",
        JdbcStore::subscription, productCode, customerIdentifier);
  }

  @Override
  public Optional<Subscription> subscriptionByCustomerAccount(String productCode, String customerAccountId) {
    return one(SUBSCRIPTION_COLUMNS + " WHERE product_code = ? AND customer_account_id = ?",
        JdbcStore::subscription, productCode, customerAccountId);
  }

  @Override
  public Optional<Subscription> subscriptionByLicense(String licenseArn) {
    return one(SUBSCRIPTION_COLUMNS + " WHERE license_arn = ?", JdbcStore::subscription, licenseArn);
  }

  private static Subscription subscription(ResultSet rs) throws SQLException {
    Subscription.Builder b = Subscription.builder()
        .productCode(rs.getString(1))
        .customerAccountId(rs.getString(2))
        .active(rs.getBoolean(5))
        .since(Instant.ofEpochMilli(rs.getLong(6)));
    String identifier = rs.getString(3);
    if (identifier != null) {
      b.customerIdentifier(identifier);
    }
    String license = rs.getString(4);
    if (license != null) {
      b.licenseArn(license);
    }
    return b.build();
  }

  @Override
  public Optional<RegistrationToken> token(String token) {
    return one("SELECT token, product_code, customer_account_id, customer_identifier, license_arn, expires_at "
        + "FROM registration_token WHERE token = ?", rs -> {
          RegistrationToken.Builder b = RegistrationToken.builder()
              .token(rs.getString(1))
              .productCode(rs.getString(2))
              .customerAccountId(rs.getString(3))
              .expiresAt(Instant.ofEpochMilli(rs.getLong(6)));
          String identifier = rs.getString(4);
          if (identifier != null) {
            b.customerIdentifier(identifier);
          }
          String license = rs.getString(5);
          if (license != null) {
            b.licenseArn(license);
          }
          return b.build();
        }, token);
  }

  private static final String KEY_COLUMNS =
      "SELECT product_code, version, private_key, public_key, created_at, expires_at FROM signing_key";

  @Override
  public List<SigningKey> signingKeys(String productCode) {
    return list(KEY_COLUMNS + " WHERE product_code = ? ORDER BY version", JdbcStore::signingKey, productCode);
  }

  @Override
  public Optional<SigningKey> signingKey(String productCode, int version) {
    return one(KEY_COLUMNS + " WHERE product_code = ? AND version = ?", JdbcStore::signingKey, productCode, version);
  }

  private static SigningKey signingKey(ResultSet rs) throws SQLException {
    SigningKey.Builder b = SigningKey.builder()
        .productCode(rs.getString(1))
        .version(rs.getInt(2))
        .privateKey(rs.getBytes(3))
        .publicKey(rs.getBytes(4))
        .createdAt(Instant.ofEpochMilli(rs.getLong(5)));
    long expires = rs.getLong(6);
    if (!rs.wasNull()) {
      b.expiresAt(Instant.ofEpochMilli(expires));
    }
    return b.build();
  }

  @Override
  public Optional<TaskRegistration> task(String callerIdentity, String productCode) {
    return one("SELECT first_seen, last_seen, calls FROM task_registration "
        + "WHERE caller_identity = ? AND product_code = ?",
        rs -> new TaskRegistration(false, Instant.ofEpochMilli(rs.getLong(1)),
            Instant.ofEpochMilli(rs.getLong(2)), rs.getLong(3)),
        callerIdentity, productCode);
  }

  // ---- metering reads ----

  @Override
  public List<TaskRecord> tasks(String productCode) {
    return list("SELECT caller_identity, product_code, caller_account_id, first_seen, last_seen, calls "
        + "FROM task_registration WHERE product_code = ? ORDER BY first_seen, caller_identity",
        rs -> new TaskRecord(rs.getString(1), rs.getString(2), rs.getString(3),
            Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5)), rs.getLong(6)),
        productCode);
  }

  @Override
  public Page<BatchRow> batchRecords(RecordQuery query) {
    return page("batch_usage", BATCH_COLUMNS, query, rs -> {
      BatchRow.Builder b = BatchRow.builder()
          .meteringRecordId(rs.getString(2))
          .productCode(rs.getString(4))
          .customerKey(rs.getString(5))
          .dimension(rs.getString(6))
          .timestamp(Instant.ofEpochMilli(rs.getLong(7)))
          .quantity(rs.getInt(8))
          .allocations(rs.getString(9))
          .fingerprint(rs.getString(10))
          .callerAccountId(rs.getString(12))
          .receivedAt(Instant.ofEpochMilli(rs.getLong(13)));
      String license = rs.getString(11);
      if (license != null) {
        b.licenseArn(license);
      }
      return b.build();
    });
  }

  @Override
  public Page<MeterRow> meterRecords(RecordQuery query) {
    return page("meter_usage", METER_COLUMNS, query, rs -> {
      MeterRow.Builder b = MeterRow.builder()
          .meteringRecordId(rs.getString(2))
          .callerIdentity(rs.getString(4))
          .callerAccountId(rs.getString(5))
          .productCode(rs.getString(6))
          .dimension(rs.getString(7))
          .timestamp(Instant.ofEpochMilli(rs.getLong(8)))
          .quantity(rs.getInt(9))
          .allocations(rs.getString(10))
          .fingerprint(rs.getString(11))
          .requestFingerprint(rs.getString(13))
          .receivedAt(Instant.ofEpochMilli(rs.getLong(14)));
      String token = rs.getString(12);
      if (token != null) {
        b.clientToken(token);
      }
      return b.build();
    });
  }

  private <T> Page<T> page(String table, String columns, RecordQuery q, RowReader<T> reader) {
    String sql = "SELECT seq, " + columns + " FROM " + table + " WHERE seq > ? AND usage_time >= ? AND usage_time < ?"
        + (q.productCode().isPresent() ? " AND product_code = ?" : "") + " ORDER BY seq LIMIT ?";
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setLong(i++, q.afterSeq());
      ps.setLong(i++, q.from().toEpochMilli());
      ps.setLong(i++, q.to().toEpochMilli());
      if (q.productCode().isPresent()) {
        ps.setString(i++, q.productCode().get());
      }
      // One more than asked tells whether another page exists.
      ps.setInt(i, q.limit() + 1);
      List<T> items = new ArrayList<>();
      long lastSeq = 0;
      boolean more = false;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (items.size() == q.limit()) {
            more = true;
            break;
          }
          lastSeq = rs.getLong(1);
          items.add(reader.read(rs));
        }
      }
      return new Page<>(items, more ? Long.toString(lastSeq) : null);
    } catch (SQLException e) {
      throw new StoreException("listing " + table + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public StoreCounts counts() {
    return one("SELECT (SELECT COUNT(*) FROM account), (SELECT COUNT(*) FROM product), "
        + "(SELECT COUNT(*) FROM subscription), (SELECT COUNT(*) FROM batch_usage), "
        + "(SELECT COUNT(*) FROM meter_usage), (SELECT COUNT(*) FROM task_registration)",
        rs -> new StoreCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
            rs.getLong(6))).orElseThrow();
  }

  // ---- lifecycle ----

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      committer.close();
    } finally {
      writerPool.close();
      pool.close();
    }
  }

  /** The writer's connections, for dialect checks in tests. */
  HikariDataSource writerPool() {
    return writerPool;
  }

  // ---- JDBC plumbing ----

  interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  interface Binder<T> {
    void bind(PreparedStatement ps, T item) throws SQLException;
  }

  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> Optional<T> one(String sql, RowReader<T> reader, Object... args) {
    List<T> rows = list(sql, reader, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  private <T> List<T> list(String sql, RowReader<T> reader, Object... args) {
    for (Object a : args) {
      Require.present(a, "argument");
    }
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(reader.read(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("query failed: " + e.getMessage(), e);
    }
  }

  private <T> T inTransaction(Work<T> work, String what) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          try {
            c.rollback();
          } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
          }
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      } catch (SQLException e) {
        if (attempt < MAX_ATTEMPTS && isTransient(e)) {
          continue;
        }
        throw new StoreException(what + " failed: " + e.getMessage(), e);
      }
    }
  }

  private static <T> void batch(Connection c, String sql, Collection<T> items, Binder<T> binder)
      throws SQLException {
    if (items.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int n = 0;
      for (T item : items) {
        binder.bind(ps, item);
        ps.addBatch();
        if (++n % CATALOG_BATCH == 0) {
          ps.executeBatch();
        }
      }
      if (n % CATALOG_BATCH != 0) {
        ps.executeBatch();
      }
    }
  }

  private static void setNullableMillis(PreparedStatement ps, int index, Optional<Instant> at) throws SQLException {
    if (at.isPresent()) {
      ps.setLong(index, at.get().toEpochMilli());
    } else {
      ps.setNull(index, java.sql.Types.BIGINT);
    }
  }
}
