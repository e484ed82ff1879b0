package io.meterbridge.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on SQLite in a temporary data directory, plus what only SQLite has: the file. */
class SqliteStoreTest extends StoreContractTest {
  @TempDir
  Path dataDir;

  @Override
  StoreConfig.Builder config() {
    return StoreConfig.sqlite(dataDir);
  }

  @Test
  void open_createsTheDatabaseFileInWalModeUnderTheDataDirectory() throws Exception {
    assertThat(dataDir.resolve("meterbridge.db")).exists();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("meterbridge.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("wal");
    }
  }

  @Test
  void writer_commitsWithSynchronousNormal_andTheWalIsFlushedBeforeCallersHearBack() throws Exception {
    try (Connection c = ((JdbcStore) store).writerPool().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
      rs.next();
      assertThat(rs.getInt(1)).as("1 = NORMAL: WalSync flushes the WAL").isEqualTo(1);
    }
    // The flush: a write is answered once its commit is in the WAL and the WAL was synced.
    assertThat(store.meterBatch(List.of(batchRow("cust-sync", "users", HOUR, 1))).join())
        .singleElement().isInstanceOf(MeterOutcome.Stored.class);
    assertThat(dataDir.resolve("meterbridge.db-wal")).exists();
  }

  @Test
  void checkpointer_copiesTheWalIntoTheFileWhileTheWriterLeavesIt_andStopsWithTheStore() throws Exception {
    try (Connection c = ((JdbcStore) store).writerPool().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA wal_autocheckpoint")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(WalCheckpointer.WRITER_AUTOCHECKPOINT_PAGES);
    }
    Path file = dataDir.resolve("meterbridge.db");
    long before = java.nio.file.Files.size(file);
    List<BatchRow> rows = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      rows.add(batchRow("cust-" + i, "users", HOUR, i));
    }
    store.meterBatch(rows).join();

    // Far below the writer's own threshold: only the checkpointer copies pages into the file.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (java.nio.file.Files.size(file) <= before && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(java.nio.file.Files.size(file)).as("database file after the checkpoint").isGreaterThan(before);

    store.close();
    assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
        .noneMatch(name -> name.endsWith("-checkpointer"));
  }

  @Test
  void close_doesNotWaitLongForAnAuditFileSomeoneElseHoldsLocked() throws Exception {
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteDialect.AUDIT_FILE_NAME));
        Statement s = other.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      store.audit().offer(new AuditEntry(java.time.Instant.now(), "req-locked", "MeterUsage", "", "", "", 200, "",
          1, 10));
      long started = System.nanoTime();
      store.close();
      long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      assertThat(seconds).as("close with the audit file locked elsewhere").isLessThan(20);
      s.execute("ROLLBACK");
    }
  }

  @Test
  void reopenedFile_holdsEveryAcknowledgedRow() {
    List<CompletableFuture<List<MeterOutcome>>> futures = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int b = 0; b < 400; b++) {
      List<BatchRow> rows = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        BatchRow row = batchRow("cust-" + b + "-" + i, "users", HOUR, i);
        rows.add(row);
        ids.add(row.meteringRecordId());
      }
      futures.add(store.meterBatch(rows));
    }
    futures.forEach(CompletableFuture::join);

    store.close();
    store = Stores.open(StoreConfig.sqlite(dataDir).build());

    assertThat(allBatchRecords()).extracting(BatchRow::meteringRecordId).containsExactlyInAnyOrderElementsOf(ids);
  }
}
