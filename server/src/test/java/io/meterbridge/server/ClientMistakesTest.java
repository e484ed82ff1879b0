package io.meterbridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.model.Operation;
import io.meterbridge.server.auth.Authenticator;
import io.meterbridge.server.http.HttpServer;
import io.meterbridge.server.throttle.Throttling;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whatever a client sends, its mistakes are 4xx answers in the protocol's format, never a 500. */
class ClientMistakesTest {
  static final CannedService SERVICE = new CannedService();
  static HttpServer server;

  @BeforeAll
  static void start() {
    server = HttpServer.builder().port(0).service(SERVICE)
        .authenticator(Authenticator.anyCredentials("123456789012", "us-east-1"))
        .throttling(Throttling.off())
        .build().start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> mistakes() {
    List<byte[]> bodies = new ArrayList<>();
    for (String body : List.of(
        "null", "[]", "123", "\"text\"", "true", "{", "}", "{}}", "{} {}", "{\"a\":}", "{'a':1}", "{\"a\" 1}",
        "{\"UsageRecords\":null,\"ProductCode\":null}", "{\"UsageRecords\":[null]}", "{\"UsageRecords\":[1]}",
        "{\"UsageRecords\":{}}", "{\"UsageRecords\":[{}]}", "{\"UsageRecords\":[{\"Timestamp\":\"x\"}]}",
        "{\"UsageRecords\":[{\"Timestamp\":1,\"Dimension\":\"d\",\"UsageAllocations\":[{\"Tags\":[{}]}]}]}",
        "{\"UsageRecords\":[{\"Timestamp\":1,\"Dimension\":\"d\",\"UsageAllocations\":[]}]}",
        "{\"UsageRecords\":[{\"Timestamp\":1,\"Dimension\":\"d\",\"CustomerIdentifier\":\"c\",\"CustomerAWSAccountId\":\"1\"}]}",
        "{\"ProductCode\":\"p\",\"Timestamp\":1e999999,\"UsageDimension\":\"d\"}",
        "{\"ProductCode\":\"p\",\"Timestamp\":-1e20,\"UsageDimension\":\"d\"}",
        "{\"ProductCode\":\"p\",\"Timestamp\":1,\"UsageDimension\":\"d\",\"UsageQuantity\":99999999999999999999}",
        "{\"ProductCode\":\"p\",\"Timestamp\":1,\"UsageDimension\":\"d\",\"UsageQuantity\":1.5}",
        "{\"ProductCode\":\"p\",\"Timestamp\":1,\"UsageDimension\":\"d\",\"UsageQuantity\":\"1\"}",
        "{\"ProductCode\":\"p\",\"Timestamp\":1,\"UsageDimension\":\"d\",\"DryRun\":\"yes\"}",
        "{\"ProductCode\":\"p\",\"Timestamp\":1,\"UsageDimension\":\"d\",\"ClientToken\":\"\"}",
        "{\"ProductCode\":\"" + "p".repeat(300) + "\",\"PublicKeyVersion\":0}",
        "{\"ProductCode\":\"bad code!\",\"PublicKeyVersion\":1,\"Nonce\":" + "1".repeat(100) + "}",
        "{\"ProductCode\":\"\\ud800\",\"RegistrationToken\":\"\"}",
        "{\"RegistrationToken\":{\"a\":[1,2,{\"b\":null}]}}",
        "[".repeat(5000) + "]".repeat(5000),
        "{\"a\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5001),
        "\uFEFF{}")) {
      bodies.add(body.getBytes(StandardCharsets.UTF_8));
    }
    bodies.add(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}); // invalid UTF-8
    bodies.add(new byte[] {0, 0, 0, 0});
    return Operation.values().stream().flatMap(op -> bodies.stream().map(b -> Arguments.of(op.name(), b)));
  }

  @ParameterizedTest(name = "{0} {index}")
  @MethodSource("mistakes")
  void badBody_isAClientError_neverA500(String operation, byte[] body) throws Exception {
    String head = "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.1\r\n"
        + "X-Amz-Target: AWSMPMeteringService." + operation + "\r\nContent-Length: " + body.length + "\r\n\r\n";
    try (RawHttp connection = new RawHttp(server.port())) {
      RawHttp.Response response = connection.send(head).send(body).read();

      assertThat(response.status()).as(response.body()).isBetween(400, 499);
      assertThat(response.header("x-amzn-ErrorType")).isIn("SerializationException", "ValidationException");
      assertThat(response.body()).startsWith("{\"__type\":\"" + response.header("x-amzn-ErrorType") + "\"");
      assertThat(response.header("x-amzn-RequestId")).isNotBlank();
    }
  }
}
