package io.meterbridge.gateway;

import java.sql.DriverManager;
import java.util.concurrent.ThreadLocalRandom;

class PostgresGatewayScenariosTest extends GatewayScenarios {
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  private final String schema = "gw_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);

  @Override
  Gateway.Builder database(Gateway.Builder builder) {
    return builder.postgres(URL).schema(schema);
  }

  @Override
  void dropDatabase() {
    dropSchema(schema);
  }

  static void dropSchema(String schema) {
    try (var c = DriverManager.getConnection(URL); var s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (Exception e) {
      throw new IllegalStateException("cannot drop " + schema, e);
    }
  }
}
