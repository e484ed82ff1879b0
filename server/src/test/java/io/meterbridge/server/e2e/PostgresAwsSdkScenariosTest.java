package io.meterbridge.server.e2e;

import java.nio.file.Path;

/** The scenarios with the official AWS SDK for Java v2 against PostgreSQL. */
class PostgresAwsSdkScenariosTest extends MeteringScenarios {
  @Override
  TestServer startServer(Path dir) {
    return TestServer.postgres();
  }

  @Override
  WireClient.Factory clients() {
    return AwsSdkWireClient.FACTORY;
  }
}
