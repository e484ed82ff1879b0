package io.meterbridge.server.e2e;

import io.meterbridge.server.TestTls;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/** The HTTPS scenario classes' server and trust: the test run's one CA and localhost certificate. */
final class TlsScenarios {
  private TlsScenarios() {}

  static TestTls tls() {
    return TestTls.shared();
  }

  static TestServer sqlite(Path dir) {
    TestTls.Issued cert = tls().localhost();
    return TestServer.sqlite(dir, b -> b.tls(cert.certificate(), cert.privateKey()));
  }

  /**
   * Our blocking client takes its trust from the JVM's default TLS context, as applications
   * configure it ({@code -Djavax.net.ssl.trustStore}); the test sets that default for its class and
   * restores it after.
   */
  static SSLContext trustTheTestCaByDefault() throws Exception {
    SSLContext previous = SSLContext.getDefault();
    SSLContext.setDefault(tls().sslContext());
    return previous;
  }
}
