package io.meterbridge.server.e2e;

import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The scenarios over HTTPS, with our client trusting the test's CA through the JVM's default. */
class SqliteClientTlsScenariosTest extends MeteringScenarios {
  static SSLContext previous;

  @BeforeAll
  static void trustTheTestCa() throws Exception {
    previous = TlsScenarios.trustTheTestCaByDefault();
  }

  @AfterAll
  static void restoreTrust() {
    SSLContext.setDefault(previous);
  }

  @Override
  TestServer startServer(Path dir) {
    return TlsScenarios.sqlite(dir);
  }

  @Override
  WireClient.Factory clients() {
    return MeterbridgeWireClient.FACTORY;
  }
}
