package io.meterbridge.server.e2e;

import static io.meterbridge.server.e2e.TestServer.AMI;
import static io.meterbridge.server.e2e.TestServer.BUYER_KEY;
import static io.meterbridge.server.e2e.TestServer.CONTAINER;
import static io.meterbridge.server.e2e.TestServer.SAAS;
import static io.meterbridge.server.e2e.TestServer.SELLER_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.server.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Signed requests with the numbers and bytes that once froze the server or slipped past the model,
 * through the wire to a real server: each is answered at once (the connection's 10 s read timeout
 * would fail a slow one; a Timestamp of 1e-100000000 used to take minutes) with the model's error.
 */
class HostileInputTest {
  @TempDir static Path dir;
  static TestServer server;

  /** Worst cases for any number: tiny and huge exponents, thousands of digits. */
  static final List<String> HOSTILE = List.of("1e-100000000", "-1e-100000000", "1e100000000", "1E+999999999999",
      "9".repeat(5000), "1." + "0".repeat(5000), "-" + "9".repeat(5000));

  @BeforeAll
  static void start() {
    server = TestServer.sqlite(dir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> hostileNumbers() {
    long now = Instant.now().getEpochSecond() - 3600;
    List<Arguments> cases = new ArrayList<>();
    for (String n : HOSTILE) {
      String tooLong = n.length() > 64 ? "Number value length" : null;
      // Timestamps: a number too small to tell from 0 is 1970, outside every window; anything else hostile is no timestamp.
      String timestampCode = n.contains("e-") && tooLong == null ? "TimestampOutOfBoundsException" : "SerializationException";
      String timestampMessage = tooLong != null ? tooLong
          : n.contains("e-") ? "Timestamp 19" : "is not a valid timestamp: send epoch seconds between";
      cases.add(Arguments.of("MeterUsage Timestamp " + abbreviated(n), "MeterUsage", BUYER_KEY,
          "{\"ProductCode\":\"" + AMI + "\",\"Timestamp\":" + n + ",\"UsageDimension\":\"vcpu_hours\"}",
          timestampCode, timestampMessage));
      cases.add(Arguments.of("BatchMeterUsage Timestamp " + abbreviated(n), "BatchMeterUsage", SELLER_KEY,
          "{\"ProductCode\":\"" + SAAS + "\",\"UsageRecords\":[{\"Timestamp\":" + n
              + ",\"CustomerAWSAccountId\":\"222222222222\",\"Dimension\":\"users\",\"Quantity\":1}]}",
          timestampCode, timestampMessage));
      String integerCode = "SerializationException";
      String integerMessage = tooLong != null ? tooLong : "expected an integer but found a number";
      cases.add(Arguments.of("MeterUsage UsageQuantity " + abbreviated(n), "MeterUsage", BUYER_KEY,
          "{\"ProductCode\":\"" + AMI + "\",\"Timestamp\":" + now + ",\"UsageDimension\":\"vcpu_hours\","
              + "\"UsageQuantity\":" + n + "}", integerCode, integerMessage));
      cases.add(Arguments.of("MeterUsage AllocatedUsageQuantity " + abbreviated(n), "MeterUsage", BUYER_KEY,
          "{\"ProductCode\":\"" + AMI + "\",\"Timestamp\":" + now + ",\"UsageDimension\":\"vcpu_hours\","
              + "\"UsageQuantity\":1,\"UsageAllocations\":[{\"AllocatedUsageQuantity\":" + n + "}]}",
          integerCode, integerMessage));
      cases.add(Arguments.of("BatchMeterUsage Quantity " + abbreviated(n), "BatchMeterUsage", SELLER_KEY,
          "{\"ProductCode\":\"" + SAAS + "\",\"UsageRecords\":[{\"Timestamp\":" + now
              + ",\"CustomerAWSAccountId\":\"222222222222\",\"Dimension\":\"users\",\"Quantity\":" + n + "}]}",
          integerCode, integerMessage));
      cases.add(Arguments.of("BatchMeterUsage AllocatedUsageQuantity " + abbreviated(n), "BatchMeterUsage", SELLER_KEY,
          "{\"ProductCode\":\"" + SAAS + "\",\"UsageRecords\":[{\"Timestamp\":" + now
              + ",\"CustomerAWSAccountId\":\"222222222222\",\"Dimension\":\"users\",\"Quantity\":1,"
              + "\"UsageAllocations\":[{\"AllocatedUsageQuantity\":" + n + "}]}]}", integerCode, integerMessage));
      cases.add(Arguments.of("RegisterUsage PublicKeyVersion " + abbreviated(n), "RegisterUsage", BUYER_KEY,
          "{\"ProductCode\":\"" + CONTAINER + "\",\"PublicKeyVersion\":" + n + "}", integerCode, integerMessage));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileNumbers")
  void hostileNumber_isAPrompt400WithTheModelsError(String name, String operation, String key, String body,
      String code, String message) throws Exception {
    RawHttp.Response response = send(operation, key, body.getBytes(StandardCharsets.UTF_8));

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.header("x-amzn-ErrorType")).as(response.body()).isEqualTo(code);
    assertThat(response.body()).contains(message);
    try (RawHttp health = new RawHttp(server.port())) {
      assertThat(health.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
    }
  }

  static Stream<Arguments> refusedByTheModel() {
    long now = Instant.now().getEpochSecond() - 3600;
    return Stream.of(
        Arguments.of("UsageAllocations: []", "MeterUsage", BUYER_KEY, ("{\"ProductCode\":\"" + AMI + "\",\"Timestamp\":"
            + now + ",\"UsageDimension\":\"vcpu_hours\",\"UsageQuantity\":1,\"UsageAllocations\":[]}")
            .getBytes(StandardCharsets.UTF_8),
            "ValidationException", "usageAllocations: 0 items is below the minimum 1"),
        Arguments.of("Tags: []", "BatchMeterUsage", SELLER_KEY, ("{\"ProductCode\":\"" + SAAS + "\",\"UsageRecords\":"
            + "[{\"Timestamp\":" + now + ",\"CustomerAWSAccountId\":\"222222222222\",\"Dimension\":\"users\","
            + "\"Quantity\":1,\"UsageAllocations\":[{\"AllocatedUsageQuantity\":1,\"Tags\":[]}]}]}")
            .getBytes(StandardCharsets.UTF_8),
            "ValidationException", "usageRecords[0].usageAllocations[0].tags: 0 items is below the minimum 1"),
        Arguments.of("quantity far below the minimum", "MeterUsage", BUYER_KEY, ("{\"ProductCode\":\"" + AMI
            + "\",\"Timestamp\":" + now + ",\"UsageDimension\":\"vcpu_hours\",\"UsageQuantity\":-99999999999}")
            .getBytes(StandardCharsets.UTF_8),
            "ValidationException", "usageQuantity: -99999999999 is below the minimum 0"),
        Arguments.of("overlong C0 AF for '/'", "ResolveCustomer", SELLER_KEY, concat("{\"RegistrationToken\":\"..",
            new byte[] {(byte) 0xC0, (byte) 0xAF}, "etc\"}"),
            "SerializationException", "byte 0xC0, which never starts a UTF-8 character (an overlong form)"),
        Arguments.of("UTF-16LE", "ResolveCustomer", SELLER_KEY,
            "{\"RegistrationToken\":\"tok-valid\"}".getBytes(StandardCharsets.UTF_16LE),
            "SerializationException", "an unescaped control character 0x00 at byte 1"),
        Arguments.of("UTF-16 with its BOM", "ResolveCustomer", SELLER_KEY,
            "{\"RegistrationToken\":\"tok-valid\"}".getBytes(StandardCharsets.UTF_16),
            "SerializationException", "byte 0xFE, which never starts a UTF-8 character"),
        Arguments.of("UTF-32", "ResolveCustomer", SELLER_KEY,
            "{\"RegistrationToken\":\"tok-valid\"}".getBytes(java.nio.charset.Charset.forName("UTF-32LE")),
            "SerializationException", "an unescaped control character 0x00 at byte 1"),
        Arguments.of("UTF-8 BOM", "ResolveCustomer", SELLER_KEY,
            "\uFEFF{\"RegistrationToken\":\"tok-valid\"}".getBytes(StandardCharsets.UTF_8),
            "SerializationException", "the body starts with a byte order mark"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedByTheModel")
  void inputTheModelRefuses_isRefusedWithItsError(String name, String operation, String key, byte[] body,
      String code, String message) throws Exception {
    RawHttp.Response response = send(operation, key, body);

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.header("x-amzn-ErrorType")).as(response.body()).isEqualTo(code);
    assertThat(response.body()).contains(message);
    assertThat(server.store().counts().meterRecords() + server.store().counts().batchRecords()).isZero();
  }

  private static RawHttp.Response send(String operation, String key, byte[] body) throws Exception {
    try (RawHttp connection = new RawHttp(server.port())) {
      return connection.send(SignedRaw.post(server.port(), operation, key, "us-east-1", body)).read();
    }
  }

  private static byte[] concat(String head, byte[] middle, String tail) {
    byte[] a = head.getBytes(StandardCharsets.UTF_8);
    byte[] c = tail.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[a.length + middle.length + c.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(middle, 0, all, a.length, middle.length);
    System.arraycopy(c, 0, all, a.length + middle.length, c.length);
    return all;
  }

  private static String abbreviated(String number) {
    return number.length() > 20 ? number.substring(0, 6) + "...(" + number.length() + " chars)" : number;
  }
}
