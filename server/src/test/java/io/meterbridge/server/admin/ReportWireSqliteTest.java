package io.meterbridge.server.admin;

import java.nio.file.Path;

/** The usage report scenarios over SQLite. */
class ReportWireSqliteTest extends ReportWireScenarios {
  @Override
  AdminTestServer startServer(Path dir) {
    return AdminTestServer.sqlite(dir);
  }
}
