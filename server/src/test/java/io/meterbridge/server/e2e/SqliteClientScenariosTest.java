package io.meterbridge.server.e2e;

import java.nio.file.Path;

/** The scenarios with the Meterbridge client against SQLite. */
class SqliteClientScenariosTest extends MeteringScenarios {
  @Override
  TestServer startServer(Path dir) {
    return TestServer.sqlite(dir);
  }

  @Override
  WireClient.Factory clients() {
    return MeterbridgeWireClient.FACTORY;
  }
}
