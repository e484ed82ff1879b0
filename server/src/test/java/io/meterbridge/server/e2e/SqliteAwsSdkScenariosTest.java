package io.meterbridge.server.e2e;

import java.nio.file.Path;

/** The scenarios with the official AWS SDK for Java v2 against SQLite. */
class SqliteAwsSdkScenariosTest extends MeteringScenarios {
  @Override
  TestServer startServer(Path dir) {
    return TestServer.sqlite(dir);
  }

  @Override
  WireClient.Factory clients() {
    return AwsSdkWireClient.FACTORY;
  }
}
