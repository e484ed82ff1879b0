package io.meterbridge.server.e2e;

import java.nio.file.Path;

/** The scenarios over HTTPS, with the AWS SDK for Java v2 trusting the test's own CA. */
class SqliteAwsSdkTlsScenariosTest extends MeteringScenarios {
  @Override
  TestServer startServer(Path dir) {
    return TlsScenarios.sqlite(dir);
  }

  @Override
  WireClient.Factory clients() {
    return AwsSdkWireClient.trusting(TlsScenarios.tls().trustManagers());
  }
}
