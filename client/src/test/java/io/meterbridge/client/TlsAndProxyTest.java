package io.meterbridge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.credentials.SharedSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blocking client's socket transport over TLS against a loopback HTTPS server whose
 * certificate (for "localhost" only) the test makes with keytool, and through a loopback proxy.
 */
class TlsAndProxyTest {
  private static final AwsCredentials CREDENTIALS = AwsCredentials.of("AKIDEXAMPLE", "secret");
  private static final String OK = "{\"MeteringRecordId\":\"tls-1\"}";

  @TempDir static Path dir;
  static Path caPem;
  static HttpsServer https;
  static com.sun.net.httpserver.HttpServer plain;

  @BeforeAll
  static void startServers() throws Exception {
    Path keystore = dir.resolve("server.p12");
    keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
    caPem = dir.resolve("ca.pem");
    keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(),
        "-storetype", "PKCS12", "-storepass", "changeit", "-file", caPem.toString());
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "changeit".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    https.setHttpsConfigurator(new HttpsConfigurator(context));
    https.createContext("/", TlsAndProxyTest::answer);
    https.start();
    plain = com.sun.net.httpserver.HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    plain.createContext("/", TlsAndProxyTest::answer);
    plain.start();
  }

  @AfterAll
  static void stopServers() {
    https.stop(0);
    plain.stop(0);
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    byte[] body = OK.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void keytool(String... args) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
  }

  private static URI httpsUri(String host) {
    return URI.create("https://" + host + ":" + https.getAddress().getPort());
  }

  private static MeteringClient.Builder builder(URI endpoint) {
    return MeteringClient.builder().region("us-east-1").credentials(CREDENTIALS)
        .endpointOverride(endpoint).retryPolicy(RetryPolicy.none());
  }

  private static String meter(MeteringClient client) {
    return client.meterUsage(b -> b.productCode("p").timestamp(Instant.now()).usageDimension("d")
        .usageQuantity(1)).meteringRecordId().orElseThrow();
  }

  @Test
  void tls_caBundle_trustsTheServerAndChecksItsName() {
    try (MeteringClient client = builder(httpsUri("localhost")).caBundle(caPem).build()) {
      assertThat(meter(client)).isEqualTo("tls-1");
      assertThat(meter(client)).isEqualTo("tls-1");
    }
  }

  @Test
  void tls_caBundleFromTheEnvironment_isUsed() {
    try (MeteringClient client = builder(httpsUri("localhost"))
        .sharedSettings(SharedSettings.of(Map.of("AWS_CA_BUNDLE", caPem.toString()), Map.of(), dir))
        .build()) {
      assertThat(meter(client)).isEqualTo("tls-1");
    }
  }

  @Test
  void tls_wrongHostName_isRefused() {
    try (MeteringClient client = builder(httpsUri("127.0.0.1")).caBundle(caPem).build()) {
      assertThatThrownBy(() -> meter(client))
          .isInstanceOf(TransportException.class)
          .hasMessageContaining("127.0.0.1");
    }
  }

  @Test
  void tls_untrustedCertificate_isRefused() {
    try (MeteringClient client = builder(httpsUri("localhost")).build()) {
      assertThatThrownBy(() -> meter(client)).isInstanceOf(TransportException.class);
    }
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void proxy_https_tunnelsWithConnectAndBasicAuth() throws IOException {
    try (LoopbackProxy proxy = new LoopbackProxy(basic("meter", "s3cret"));
        MeteringClient client = builder(httpsUri("localhost")).caBundle(caPem)
            .proxy(proxy.uri(), "meter", "s3cret").build()) {
      assertThat(meter(client)).isEqualTo("tls-1");
      assertThat(proxy.heads.get(0)).startsWith("CONNECT localhost:" + https.getAddress().getPort()
          + " HTTP/1.1\r\n").contains("Proxy-Authorization: " + basic("meter", "s3cret"));
    }
  }

  @Test
  void proxy_http_sendsTheAbsoluteFormWithBasicAuth() throws IOException {
    URI endpoint = URI.create("http://127.0.0.1:" + plain.getAddress().getPort());
    try (LoopbackProxy proxy = new LoopbackProxy(basic("meter", "s3cret"));
        MeteringClient client = builder(endpoint).proxy(proxy.uri(), "meter", "s3cret").build()) {
      assertThat(meter(client)).isEqualTo("tls-1");
      assertThat(proxy.heads.get(0)).startsWith("POST " + endpoint + "/ HTTP/1.1\r\n")
          .contains("Proxy-Authorization: " + basic("meter", "s3cret"));
    }
  }

  @Test
  void proxy_wrongPassword_failsSayingWhat() throws IOException {
    try (LoopbackProxy proxy = new LoopbackProxy(basic("meter", "s3cret"));
        MeteringClient client = builder(httpsUri("localhost")).caBundle(caPem)
            .proxy(proxy.uri(), "meter", "wrong").build()) {
      assertThatThrownBy(() -> meter(client))
          .isInstanceOf(TransportException.class)
          .hasMessageContaining("refused the tunnel")
          .hasMessageContaining("407")
          .hasMessageContaining("check the proxy user and password")
          .message().doesNotContain("wrong");
    }
  }

  @Test
  void proxy_withUserInTheUri_isRefused() {
    assertThatThrownBy(() -> MeteringClient.builder().proxy(URI.create("http://u:p@proxy:3128")))
        .isInstanceOf(IllegalArgumentException.class)
        .message().doesNotContain("u:p");
  }
}
