package io.meterbridge.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written by the V2 schema (unique key on the key's text) opened by today's store: V3
 * upgrades it in place (integer key), V7 moves its records into call rows (batch_call, batch_record),
 * the rows stay readable field for field, in reports too, and dedup judges new rows against the old ones.
 */
class SchemaUpgradeTest {
  private static final Instant HOUR = Instant.parse("2026-01-15T10:00:00Z");

  @TempDir
  Path dataDir;

  @Test
  void sqliteWrittenByV2_opensUpgradedWithItsRowsAndDedupAgainstThem() throws SQLException {
    String url = "jdbc:sqlite:" + dataDir.resolve(SqliteDialect.FILE_NAME);
    Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/sqlite").target("2")
        .load().migrate();
    try (Connection c = DriverManager.getConnection(url)) {
      insertV2Rows(c);
    }
    try (Store store = Stores.open(StoreConfig.sqlite(dataDir).build())) {
      assertUpgraded(store);
    }
  }

  @Test
  void postgresWrittenByV2_opensUpgradedWithItsRowsAndDedupAgainstThem() throws SQLException {
    String schema = "mb_upgrade_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    try {
      Flyway.configure().dataSource(PostgresStoreTest.URL, PostgresStoreTest.USER, "")
          .locations("classpath:db/migration/postgresql").schemas(schema).defaultSchema(schema).createSchemas(true)
          .target("2").load().migrate();
      try (Connection c = DriverManager.getConnection(PostgresStoreTest.URL, PostgresStoreTest.USER, "")) {
        try (Statement s = c.createStatement()) {
          s.execute("SET search_path TO " + schema);
        }
        insertV2Rows(c);
      }
      try (Store store = Stores.open(StoreConfig.postgres(PostgresStoreTest.URL).user(PostgresStoreTest.USER)
          .schema(schema).build())) {
        assertUpgraded(store);
      }
    } finally {
      try (Connection c = DriverManager.getConnection(PostgresStoreTest.URL, PostgresStoreTest.USER, "");
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  @Test
  void sqliteWithTheAuditInTheMeteringFile_movesItsRowsToTheAuditFileOnce() throws SQLException {
    String url = "jdbc:sqlite:" + dataDir.resolve(SqliteDialect.FILE_NAME);
    Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/sqlite").target("5")
        .load().migrate();
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps = c.prepareStatement("INSERT INTO audit_call (at_ms, request_id, operation, account_id, "
            + "access_key_id, source, status, error_code, records, latency_us) "
            + "VALUES (?, ?, 'MeterUsage', '111111111111', 'AKIDEXAMPLE', '127.0.0.1', ?, ?, 1, 900)")) {
      for (int i = 0; i < 3; i++) {
        ps.setLong(1, HOUR.toEpochMilli() + i);
        ps.setString(2, "req-" + i);
        ps.setInt(3, i == 2 ? 400 : 200);
        ps.setString(4, i == 2 ? "DuplicateRequestException" : null);
        ps.executeUpdate();
      }
    }
    AuditQuery all = AuditQuery.builder().from(HOUR.minusSeconds(60)).to(HOUR.plusSeconds(60)).build();
    for (int opening = 0; opening < 2; opening++) {
      try (Store store = Stores.open(StoreConfig.sqlite(dataDir).build())) {
        assertThat(store.audit().find(all).items()).extracting(AuditEntry::requestId)
            .containsExactly("req-2", "req-1", "req-0");
        assertThat(store.audit().find(all).items().get(0).errorCode()).isEqualTo("DuplicateRequestException");
      }
    }
    assertThat(dataDir.resolve(SqliteDialect.AUDIT_FILE_NAME)).exists();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'audit_call'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).as("the metering file no longer holds the audit").isZero();
    }
  }

  private static final String LICENSE = "arn:aws:license-manager::294406891311:license:l-0123456789abcdef";
  /** Allocations in their canonical text, with a quote and a backslash the record JSON must escape. */
  private static final String ALLOCATIONS = "users:4:team=\"a\\b\"";

  /**
   * Three rows as the V2 writer stored them: two customers, two dimensions, one product; one with a
   * license and allocations.
   */
  private static void insertV2Rows(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO batch_usage (id, hour, product_code, customer_key, "
        + "dimension, usage_time, quantity, allocations, fingerprint, license_arn, caller_account_id, received_at) "
        + "VALUES (?, ?, 'prod-saas', ?, ?, ?, ?, ?, ?, ?, '111111111111', ?)")) {
      String[][] rows = {{"old-1", "222222222222", "users"}, {"old-2", "222222222222", "gigabytes"},
          {"old-3", "333333333333", "users"}};
      for (String[] r : rows) {
        boolean licensed = r[0].equals("old-2");
        ps.setString(1, r[0]);
        ps.setLong(2, HOUR.getEpochSecond());
        ps.setString(3, r[1]);
        ps.setString(4, r[2]);
        ps.setLong(5, HOUR.toEpochMilli() + 1_234);
        ps.setInt(6, licensed ? 4 : 1);
        ps.setString(7, licensed ? ALLOCATIONS : "");
        ps.setString(8, licensed ? "q=4" : "q=1");
        ps.setString(9, licensed ? LICENSE : null);
        ps.setLong(10, HOUR.toEpochMilli() + 5_000);
        ps.executeUpdate();
      }
    }
  }

  private static void assertUpgraded(Store store) {
    List<BatchRow> stored = store.batchRecords(RecordQuery.builder().limit(RecordQuery.MAX_LIMIT).build()).items();
    assertThat(stored).extracting(BatchRow::meteringRecordId).containsExactly("old-1", "old-2", "old-3");
    assertThat(stored.get(1)).isEqualTo(new BatchRow("old-2",
        new BatchRow.Key(HOUR.getEpochSecond(), "prod-saas", "222222222222", "gigabytes"),
        HOUR.plusMillis(1_234), 4, ALLOCATIONS, "q=4", java.util.Optional.of(LICENSE), "111111111111",
        HOUR.plusMillis(5_000)));
    assertThat(stored.get(0).licenseArn()).isEmpty();
    // A cursor handed out before V7 (the seq of old-1) still continues after old-1.
    assertThat(store.batchRecords(RecordQuery.builder().after("1").build()).items())
        .extracting(BatchRow::meteringRecordId).containsExactly("old-2", "old-3");
    Page<BatchRow> first = store.batchRecords(RecordQuery.builder().limit(2).build());
    assertThat(store.batchRecords(RecordQuery.builder().after(first.cursor().orElseThrow()).build()).items())
        .extracting(BatchRow::meteringRecordId).containsExactly("old-3");
    List<UsageSum> byLicense = new java.util.ArrayList<>();
    try {
      store.usageReport(UsageReportQuery.builder().from(HOUR).to(HOUR.plusSeconds(3600))
          .groupBy(UsageReportQuery.Key.LICENSE).build(), byLicense::add);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(byLicense).extracting(UsageSum::licenseArn, UsageSum::quantity)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("", 2L), org.assertj.core.groups.Tuple.tuple(LICENSE, 4L));

    List<MeterOutcome> outcomes = store.meterBatch(List.of(
        row("222222222222", "users", 1),        // same key and fingerprint as old-1
        row("333333333333", "users", 2),        // same key as old-3, other quantity
        row("333333333333", "gigabytes", 1),    // a new key of a known customer
        row("444444444444", "users", 1)))       // a new customer
        .join();
    assertThat(outcomes.get(0)).isEqualTo(new MeterOutcome.Replayed("old-1"));
    assertThat(outcomes.get(1)).isEqualTo(new MeterOutcome.Conflict("old-3"));
    assertThat(outcomes.get(2)).isInstanceOf(MeterOutcome.Stored.class);
    assertThat(outcomes.get(3)).isInstanceOf(MeterOutcome.Stored.class);
    assertThat(store.batchRecords(RecordQuery.builder().limit(RecordQuery.MAX_LIMIT).build()).items()).hasSize(5);
  }

  private static BatchRow row(String customer, String dimension, int quantity) {
    return StoreContractTest.batchRow(customer, dimension, HOUR, quantity).toBuilder()
        .fingerprint("q=" + quantity).build();
  }
}
