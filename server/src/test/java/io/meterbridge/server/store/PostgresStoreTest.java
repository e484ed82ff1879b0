package io.meterbridge.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The contract on the machine's PostgreSQL ({@code MB_PG_URL}, default 127.0.0.1:5432/test as
 * postgres). Each test gets a schema of its own with a random name, dropped afterwards.
 */
class PostgresStoreTest extends StoreContractTest {
  static final String URL = System.getenv().getOrDefault("MB_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String USER = System.getenv().getOrDefault("MB_PG_USER", "postgres");

  private final String schema = "mb_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);

  @Override
  StoreConfig.Builder config() {
    return StoreConfig.postgres(URL).user(USER).schema(schema);
  }

  @Override
  void dropDatabase() {
    try (Connection c = DriverManager.getConnection(URL, USER, "");
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop test schema " + schema, e);
    }
  }

  @Test
  void catalogWriteThroughAnotherProcess_reachesThisStoresChangeListener() throws InterruptedException {
    try (Store other = Stores.open(config().build())) {
      CountDownLatch heard = new CountDownLatch(1);
      // The listener also runs when the watch connects: count only calls after which the write shows.
      Store self = store;
      store.onCatalogChange(() -> {
        if (self.account("999999999999").isPresent()) {
          heard.countDown();
        }
      });

      other.upsertAccount(new Account("999999999999", "written elsewhere"));

      assertThat(heard.await(30, TimeUnit.SECONDS)).as("notified of the other store's write").isTrue();
    }
  }

  @Test
  void twoStoresOnOneDatabase_writingOverlappingKeysConcurrently_storeOneRowPerKeyAndAgree() {
    try (Store other = Stores.open(config().build())) {
      int customers = 500;
      Map<String, Map<String, Boolean>> idsByCustomer = new ConcurrentHashMap<>();
      List<CompletableFuture<Void>> futures = new ArrayList<>();
      Random random = new Random(7);
      for (int b = 0; b < 200; b++) {
        List<BatchRow> rows = new ArrayList<>();
        int offset = random.nextInt(customers - 25);
        for (int i = 0; i < 25; i++) {
          int c = offset + i;
          rows.add(batchRow("cust-" + c, "users", HOUR, c));
        }
        Store target = b % 2 == 0 ? store : other;
        futures.add(target.meterBatch(rows).thenAccept(outcomes -> {
          for (int i = 0; i < rows.size(); i++) {
            MeterOutcome o = outcomes.get(i);
            assertThat(o).isNotInstanceOf(MeterOutcome.Conflict.class);
            idsByCustomer.computeIfAbsent(rows.get(i).customerAccountId(), k -> new ConcurrentHashMap<>())
                .merge(o.meteringRecordId(), o instanceof MeterOutcome.Stored, Boolean::logicalOr);
          }
        }));
      }
      futures.forEach(CompletableFuture::join);

      List<BatchRow> stored = allBatchRecords();
      Map<String, String> storedId = new HashMap<>();
      stored.forEach(r -> assertThat(storedId.put(r.customerAccountId(), r.meteringRecordId())).isNull());
      assertThat(stored).hasSize(idsByCustomer.size());
      idsByCustomer.forEach((customer, ids) -> {
        assertThat(ids.keySet()).containsExactly(storedId.get(customer));
        assertThat(ids.values()).containsExactly(true);
      });
    }
  }
}
