package io.meterbridge.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.client.MeteringClient;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.server.seed.DemoCatalog;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A given PostgreSQL database: a schema of the test's own per server, dropped afterwards. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@MeterbridgeTest(database = PostgresTest.URL, reset = Reset.PER_TEST)
class PostgresTest {
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  private static final String SCHEMAS = "SELECT count(*) FROM information_schema.schemata"
      + " WHERE schema_name LIKE 'meterbridge_test_%'";
  private static long schemasBefore = -1;

  @Test
  @Order(1)
  void theServerRunsOnItsOwnSchema(MeteringClient client, EmbeddedMeterbridge meterbridge) throws SQLException {
    assertThat(meterbridge.server().databaseDescription()).startsWith("PostgreSQL ").contains("currentSchema=meterbridge_test_");
    client.batchMeterUsage(b -> b.productCode(DemoCatalog.SAAS_PRODUCT).usageRecords(UsageRecord.builder()
        .timestamp(Instant.now()).customerIdentifier(DemoCatalog.CUSTOMER_IDENTIFIER).dimension("users")
        .quantity(1).build()));
    assertThat(meterbridge.batchRecords(DemoCatalog.SAAS_PRODUCT)).hasSize(1);
    schemasBefore = schemas();
  }

  @Test
  @Order(2)
  void aResetTakesANewSchema_andDropsTheOldOne(EmbeddedMeterbridge meterbridge) throws SQLException {
    assertThat(meterbridge.batchRecords(DemoCatalog.SAAS_PRODUCT)).isEmpty();
    assertThat(schemas()).isEqualTo(schemasBefore);
  }

  static long schemas() throws SQLException {
    try (Connection c = DriverManager.getConnection(URL); ResultSet rs = c.createStatement().executeQuery(SCHEMAS)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
