package io.meterbridge.server.e2e;

import java.nio.file.Path;

/** The scenarios with the Meterbridge client against PostgreSQL. */
class PostgresClientScenariosTest extends MeteringScenarios {
  @Override
  TestServer startServer(Path dir) {
    return TestServer.postgres();
  }

  @Override
  WireClient.Factory clients() {
    return MeterbridgeWireClient.FACTORY;
  }
}
