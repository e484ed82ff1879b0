package io.meterbridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.server.auth.Authenticator;
import io.meterbridge.server.http.HttpServer;
import io.meterbridge.server.http.HttpServerConfig;
import io.meterbridge.server.throttle.Throttling;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Headers that must be single, and what a client's mistakes leave in the log. */
class RequestHeadHardeningTest {
  static final CannedService SERVICE = new CannedService();
  static final String BODY = "{\"RegistrationToken\":\"tok\"}";
  static HttpServer server;

  final List<LogRecord> logged = new ArrayList<>();
  final Logger meterbridge = Logger.getLogger("io.meterbridge");
  final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      synchronized (logged) {
        logged.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  Level previous;

  @BeforeAll
  static void start() {
    server = HttpServer.builder().port(0).service(SERVICE)
        .authenticator(Authenticator.anyCredentials("123456789012", "us-east-1"))
        .throttling(Throttling.off())
        .admin(request -> java.util.concurrent.CompletableFuture.completedFuture(
            io.meterbridge.server.http.PlainResponse.json(200, "{}".getBytes(StandardCharsets.UTF_8))))
        .build().start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void captureLog() {
    previous = meterbridge.getLevel();
    meterbridge.setLevel(Level.ALL);
    meterbridge.addHandler(capture);
  }

  @AfterEach
  void releaseLog() {
    meterbridge.removeHandler(capture);
    meterbridge.setLevel(previous);
  }

  static String request(String path, String... headers) {
    StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    return head.append("Content-Length: ").append(BODY.length()).append("\r\n\r\n").append(BODY).toString();
  }

  @ParameterizedTest(name = "{0} twice")
  @CsvSource(delimiter = '|', value = {
      "Authorization|AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/aws-marketplace/aws4_request, SignedHeaders=host, Signature=00|junk|IncompleteSignatureException",
      "X-Amz-Date|20260101T000000Z|20260101T000001Z|IncompleteSignatureException",
      "Host|localhost|evil.example|SerializationException",
      "Content-Type|application/x-amz-json-1.1|text/plain|SerializationException",
      "X-Amz-Target|AWSMPMeteringService.ResolveCustomer|AWSMPMeteringService.MeterUsage|UnknownOperationException",
      "x-amz-target|AWSMPMeteringService.ResolveCustomer|AWSMPMeteringService.ResolveCustomer|UnknownOperationException"})
  void singleHeaderSentTwice_isRefusedWithTheErrorOfABadValue(String name, String first, String second, String code)
      throws Exception {
    List<String> headers = new ArrayList<>(List.of("Host: localhost", "Content-Type: application/x-amz-json-1.1",
        "X-Amz-Target: AWSMPMeteringService.ResolveCustomer",
        "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/aws-marketplace/aws4_request, "
            + "SignedHeaders=host, Signature=00"));
    headers.removeIf(h -> h.regionMatches(true, 0, name + ":", 0, name.length() + 1));
    headers.add(name + ": " + first);
    headers.add(name + ": " + second);
    int calls = SERVICE.calls.get();

    RawHttp.Response response;
    try (RawHttp connection = new RawHttp(server.port())) {
      response = connection.send(request("/", headers.toArray(String[]::new))).read();
    }

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("x-amzn-ErrorType")).isEqualTo(code);
    assertThat(response.body()).isEqualTo("{\"__type\":\"" + code + "\",\"message\":\"The request has more than one "
        + name + " header; send it exactly once\"}");
    assertThat(SERVICE.calls.get()).isEqualTo(calls);
  }

  @Test
  void contentLengthSentTwice_isAMalformedRequest() throws Exception {
    String raw = "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSMPMeteringService.ResolveCustomer\r\n"
        + "Content-Length: " + BODY.length() + "\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY;
    try (RawHttp connection = new RawHttp(server.port())) {
      RawHttp.Response response = connection.send(raw).read();

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.header("x-amzn-ErrorType")).isEqualTo("SerializationException");
      assertThat(response.body()).contains("Content-Length");
    }
  }

  @Test
  void expectContinueWithAMalformedContentLength_is400WithoutAnInterim100() throws Exception {
    try (RawHttp connection = new RawHttp(server.port())) {
      RawHttp.Response response = connection.send("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
          + "Content-Length: 12abc\r\n\r\n").read();

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.header("x-amzn-ErrorType")).isEqualTo("SerializationException");
    }
  }

  @Test
  void adminRouteWithTwoAuthorizationHeaders_isRefused() throws Exception {
    try (RawHttp connection = new RawHttp(server.port())) {
      RawHttp.Response response = connection.send(request("/admin/products", "Host: localhost",
          "Authorization: Bearer 0123456789abcdef", "Authorization: Bearer junk")).read();

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.body()).isEqualTo("{\"error\":\"InvalidRequest\",\"message\":\"The request has more than one "
          + "Authorization header; send it exactly once\"}");
    }
  }

  @Test
  void clientMistakes_logNothingAboveDebug_andNoStackTrace() throws Exception {
    List<String> bodies = List.of("{\"ProductCode\":\"p\",\"Timestamp\":1e99999999999,\"UsageDimension\":\"d\"}",
        "{\"ProductCode\":\"p\",\"Timestamp\":1E+99999999999,\"UsageDimension\":\"d\"}", "{", "[1,2", "\"x\"",
        "{\"ProductCode\":\"p\",\"Timestamp\":1,\"UsageDimension\":\"d\",\"UsageQuantity\":" + "9".repeat(100) + "}");
    for (String body : bodies) {
      try (RawHttp connection = new RawHttp(server.port())) {
        RawHttp.Response response = connection.send(RawHttp.post("MeterUsage", body)).read();
        assertThat(response.status()).as(body).isEqualTo(400);
      }
    }
    try (RawHttp connection = new RawHttp(server.port())) {
      connection.send("\u0016\u0003\u0001\u0000\u00a5garbage that is no HTTP\r\n\r\n");
      connection.closedByServer();
    }

    synchronized (logged) {
      assertThat(logged).allSatisfy(r -> {
        assertThat(r.getLevel().intValue()).as(r.getMessage()).isLessThanOrEqualTo(Level.FINE.intValue());
        assertThat(r.getThrown()).as(r.getMessage()).isNull();
      });
    }
  }
}
