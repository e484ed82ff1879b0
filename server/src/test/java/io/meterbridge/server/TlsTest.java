package io.meterbridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.server.auth.Authenticator;
import io.meterbridge.server.http.HttpServer;
import io.meterbridge.server.http.HttpServerConfig;
import io.meterbridge.server.throttle.Throttling;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's HTTPS: certificates a test CA issued, modern protocols only, reload on change. */
class TlsTest {
  @TempDir static Path dir;
  static TestTls tls;
  static TestTls.Issued first;
  static TestTls.Issued second;

  final CannedService service = new CannedService();
  HttpServer server;

  @BeforeAll
  static void issue() {
    tls = TestTls.shared();
    first = tls.localhost();
    second = tls.issue("second.localhost");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  HttpServer start(Path certificate, Path key) {
    server = HttpServer.builder()
        .config(HttpServerConfig.builder().bindAddress("127.0.0.1").port(0).throttling(Throttling.off())
            .tls(certificate, key).tlsReloadInterval(Duration.ofMillis(100)).build())
        .service(service)
        .authenticator(Authenticator.anyCredentials("123456789012", "us-east-1"))
        .build().start();
    return server;
  }

  SSLSocket connect(String protocol, String... ciphers) throws IOException {
    SSLSocket socket = (SSLSocket) tls.sslContext().getSocketFactory().createSocket("127.0.0.1", server.port());
    socket.setSoTimeout(5_000);
    socket.setEnabledProtocols(new String[] {protocol});
    if (ciphers.length > 0) {
      socket.setEnabledCipherSuites(ciphers);
    }
    return socket;
  }

  String served(SSLSocket socket) throws IOException {
    socket.startHandshake();
    return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
  }

  @Test
  void tls13AndTls12WithAeadCiphers_areServed_andAnswerHttp() throws Exception {
    Path cert = dir.resolve("a.pem");
    Path key = dir.resolve("a-key.pem");
    Files.copy(first.certificate(), cert);
    Files.copy(first.privateKey(), key);
    start(cert, key);

    try (SSLSocket socket = connect("TLSv1.3")) {
      assertThat(served(socket)).isEqualTo("CN=localhost");
      socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
          .startsWith("HTTP/1.1 200").endsWith("{\"status\":\"UP\"}");
    }
    try (SSLSocket socket = connect("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
      assertThat(served(socket)).isEqualTo("CN=localhost");
    }
  }

  @Test
  void cbcCiphers_areRefused() throws Exception {
    start(first.certificate(), first.privateKey());

    try (SSLSocket socket = connect("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA")) {
      assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLException.class);
    }
  }

  @Test
  void replacedCertificate_isServedToNewConnectionsWithoutARestart() throws Exception {
    Path cert = dir.resolve("live.pem");
    Path key = dir.resolve("live-key.pem");
    Files.copy(first.certificate(), cert, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(first.privateKey(), key, StandardCopyOption.REPLACE_EXISTING);
    start(cert, key);
    try (SSLSocket socket = connect("TLSv1.3")) {
      assertThat(served(socket)).isEqualTo("CN=localhost");
    }

    Files.copy(second.privateKey(), key, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(second.certificate(), cert, StandardCopyOption.REPLACE_EXISTING);
    // Both files changed: bump the times too, in case the copy kept the clock's same tick.
    Files.setLastModifiedTime(cert, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2_000));

    String now = "";
    for (int i = 0; i < 50 && !now.equals("CN=second.localhost"); i++) {
      Thread.sleep(100);
      try (SSLSocket socket = connect("TLSv1.3")) {
        now = served(socket);
      }
    }
    assertThat(now).isEqualTo("CN=second.localhost");
  }

  @Test
  void unusableCertificate_failsTheStartWithAMessageThatSaysWhatIsExpected() throws Exception {
    Path junk = dir.resolve("junk.pem");
    Files.writeString(junk, "not a certificate");

    assertThatThrownBy(() -> start(junk, first.privateKey()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot use TLS certificate " + junk)
        .hasMessageContaining("expected a PEM certificate chain and a PEM PKCS#8 private key");
  }

  @Test
  void nonLoopbackAddressWithoutTls_warns() {
    List<LogRecord> logged = new ArrayList<>();
    Logger logger = Logger.getLogger(HttpServer.class.getName());
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        logged.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Level previous = logger.getLevel();
    logger.setLevel(Level.ALL);
    logger.addHandler(capture);
    try {
      server = HttpServer.builder()
          .config(HttpServerConfig.builder().bindAddress("0.0.0.0").port(0).build())
          .service(service)
          .authenticator(Authenticator.anyCredentials("123456789012", "us-east-1"))
          .build().start();
    } finally {
      logger.removeHandler(capture);
      logger.setLevel(previous);
    }

    assertThat(logged).anySatisfy(r -> {
      assertThat(r.getLevel()).isEqualTo(Level.WARNING);
      assertThat(r.getMessage()).contains("without TLS").contains("--tls-cert and --tls-key");
    });
  }
}
