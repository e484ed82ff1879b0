package io.meterbridge.gateway;

import static io.meterbridge.gateway.Upstream.CUSTOMER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqliteGatewayScenariosTest extends GatewayScenarios {
  @Override
  Gateway.Builder database(Gateway.Builder builder) {
    return builder.dataDir(dir.resolve("gateway"));
  }

  @Test
  void restart_afterACrashBeforeTheSumsWereWritten_sumsTheEventsAgain() throws Exception {
    start(Gateway.builder().forwarding(false));
    Instant now = Instant.now();
    gateway.ingest(List.of(event("a", CUSTOMER, "users", 3, now), event("b", CUSTOMER, "users", 4, now),
        event("c", CUSTOMER, "storage_gb", 5, now)));
    gateway.close();
    // What a crash leaves: the events durable, the records' sums (kept in memory between flushes) not.
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("gateway").resolve("gateway.db"));
        var s = c.createStatement()) {
      s.executeUpdate("UPDATE usage_record SET quantity = 0, events = 0");
      s.executeUpdate("UPDATE gateway_setting SET value = '0' WHERE name = 'sums-through'");
    }

    start(Gateway.builder().forwarding(false));

    assertThat(gateway.records(RecordQuery.builder().build()).records())
        .extracting(LedgerRecord::dimension, LedgerRecord::quantity, LedgerRecord::events)
        .containsExactlyInAnyOrder(tuple("users", 7L, 2L), tuple("storage_gb", 5L, 1L));
    assertThat(gateway.ingest(List.of(event("a", CUSTOMER, "users", 3, now))))
        .extracting(IngestResult::status).containsExactly(IngestStatus.DUPLICATE);
  }
}
