package io.meterbridge.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.server.MeterbridgeServer;
import io.meterbridge.server.MeterbridgeServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health} of a whole server asks its database: 200 while it answers, 503 once it does not
 * (a PostgreSQL schema dropped under the server, a SQLite store whose connections are closed).
 */
class HealthWireTest {
  @TempDir
  Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void postgres_schemaDropped_healthAnswers503() throws Exception {
    String schema = "mb_health_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    sql("CREATE SCHEMA " + schema);
    try (MeterbridgeServer server = MeterbridgeServer.start(MeterbridgeServerConfig.builder().port(0)
        .databaseUrl(AdminTestServer.POSTGRES_URL + "?user=postgres&currentSchema=" + schema).build())) {
      HttpResponse<String> up = get(server, "GET");
      assertThat(up.statusCode()).isEqualTo(200);
      assertThat(up.body()).isEqualTo("{\"status\":\"UP\",\"database\":\"UP\"}");

      sql("DROP SCHEMA " + schema + " CASCADE");

      HttpResponse<String> down = awaitStatus(server, 503);
      assertThat(down.body()).startsWith("{\"status\":\"DOWN\",\"database\":\"DOWN\",\"message\":\"")
          .contains("account");
      assertThat(get(server, "HEAD").statusCode()).isEqualTo(503);
    } finally {
      sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  @Test
  void sqlite_storeClosed_healthAnswers503_andTheMessageSaysWhy() throws Exception {
    try (MeterbridgeServer server = MeterbridgeServer.start(MeterbridgeServerConfig.builder().port(0)
        .dataDir(dir).build())) {
      assertThat(get(server, "GET").statusCode()).isEqualTo(200);

      server.store().close();

      assertThat(awaitStatus(server, 503).body()).contains("DOWN").contains("closed");
    }
  }

  /** Health answers are kept for a second: the new state shows within about that. */
  private HttpResponse<String> awaitStatus(MeterbridgeServer server, int status) throws Exception {
    Instant deadline = Instant.now().plusSeconds(10);
    while (true) {
      HttpResponse<String> response = get(server, "GET");
      if (response.statusCode() == status || Instant.now().isAfter(deadline)) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response;
      }
      Thread.sleep(200);
    }
  }

  private HttpResponse<String> get(MeterbridgeServer server, String method) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/health"))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void sql(String statement) {
    try (var c = DriverManager.getConnection(AdminTestServer.POSTGRES_URL, "postgres", "");
         var s = c.createStatement()) {
      s.execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(statement + ": " + e.getMessage(), e);
    }
  }
}
