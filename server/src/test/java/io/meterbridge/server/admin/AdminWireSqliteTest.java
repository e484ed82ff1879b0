package io.meterbridge.server.admin;

import java.nio.file.Path;

/** The admin scenarios over SQLite. */
class AdminWireSqliteTest extends AdminWireScenarios {
  @Override
  AdminTestServer startServer(Path dir) {
    return AdminTestServer.sqlite(dir);
  }
}
