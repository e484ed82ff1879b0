package io.meterbridge.server.admin;

import java.nio.file.Path;

/** The usage report scenarios over PostgreSQL (127.0.0.1:5432, database test), each in a fresh schema. */
class ReportWirePostgresTest extends ReportWireScenarios {
  @Override
  AdminTestServer startServer(Path dir) {
    return AdminTestServer.postgres();
  }
}
