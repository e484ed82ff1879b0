package io.meterbridge.server.admin;

import java.nio.file.Path;

/** The admin scenarios over PostgreSQL (127.0.0.1:5432, database test), each in a fresh schema. */
class AdminWirePostgresTest extends AdminWireScenarios {
  @Override
  AdminTestServer startServer(Path dir) {
    return AdminTestServer.postgres();
  }
}
