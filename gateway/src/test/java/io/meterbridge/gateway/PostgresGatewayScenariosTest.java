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

  @org.junit.jupiter.api.Test
  void health_schemaDropped_answers503() throws Exception {
    start(Gateway.builder().forwarding(false).port(0).ingestToken("health-ingest-token-0123456789"));
    String url = "http://127.0.0.1:" + gateway.port().orElseThrow() + "/health";
    org.assertj.core.api.Assertions.assertThat(http("GET", url, null, null).statusCode()).isEqualTo(200);

    dropSchema(schema);

    java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
    java.net.http.HttpResponse<String> response;
    do {
      Thread.sleep(200);
      response = http("GET", url, null, null);
    } while (response.statusCode() != 503 && java.time.Instant.now().isBefore(deadline));
    org.assertj.core.api.Assertions.assertThat(response.statusCode()).isEqualTo(503);
    org.assertj.core.api.Assertions.assertThat(response.body())
        .startsWith("{\"status\":\"DOWN\",\"database\":\"DOWN\",\"message\":").contains("usage_record");
  }
}
