package io.meterbridge.server.admin;

import io.meterbridge.server.MeterbridgeServerConfig;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;

/** The audit scenarios over the machine's PostgreSQL, each in a fresh schema. */
class AuditWirePostgresTest extends AuditWireScenarios {
  private final List<String> schemas = new ArrayList<>();

  @Override
  MeterbridgeServerConfig.Builder database(MeterbridgeServerConfig.Builder builder, Path dir) {
    String schema = "mb_audit_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    sql("CREATE SCHEMA " + schema);
    schemas.add(schema);
    return builder.databaseUrl(AdminTestServer.POSTGRES_URL + "?user=postgres&currentSchema=" + schema);
  }

  @AfterEach
  void dropSchemas() {
    stop();
    schemas.forEach(s -> sql("DROP SCHEMA IF EXISTS " + s + " CASCADE"));
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
