package io.meterbridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.server.auth.Authenticator;
import io.meterbridge.server.http.HttpServer;
import io.meterbridge.server.http.HttpServerConfig;
import io.meterbridge.server.throttle.Throttling;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HTTP/1.1 behaviour on raw sockets: keep-alive, pipelining, limits, timeouts, shutdown. */
class ConnectionTest {
  static final String RESOLVE = RawHttp.post("ResolveCustomer", "{\"RegistrationToken\":\"tok\"}");
  static final String METER = RawHttp.post("MeterUsage", "{\"ProductCode\":\"p\",\"Timestamp\":1,\"UsageDimension\":\"d\"}");

  final CannedService service = new CannedService();
  HttpServer server;

  HttpServer start(HttpServerConfig.Builder config) {
    server = HttpServer.builder().config(config.bindAddress("127.0.0.1").port(0).throttling(Throttling.off()).build())
        .service(service)
        .authenticator(Authenticator.anyCredentials("123456789012", "us-east-1"))
        .build()
        .start();
    return server;
  }

  HttpServer start() {
    return start(HttpServerConfig.builder());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  static String post(String operation, byte[] body, String... extraHeaders) {
    return "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSMPMeteringService." + operation + "\r\n"
        + String.join("", Arrays.stream(extraHeaders).map(h -> h + "\r\n").toList())
        + "Content-Length: " + body.length + "\r\n\r\n";
  }

  @Test
  void twoRequestsOnOneConnection_areBothAnswered() throws Exception {
    start();
    try (RawHttp connection = new RawHttp(server.port())) {
      RawHttp.Response first = connection.send(RESOLVE).read();
      RawHttp.Response second = connection.send(RESOLVE).read();

      assertThat(first.status()).isEqualTo(200);
      assertThat(second.status()).isEqualTo(200);
      assertThat(first.header("connection")).isNull();
      assertThat(first.header("x-amzn-RequestId")).isNotEqualTo(second.header("x-amzn-RequestId"));
    }
  }

  @Test
  void pipelinedRequests_areAnsweredInOrderEvenWhenTheFirstIsSlow() throws Exception {
    start();
    CompletableFuture<Object> slow = new CompletableFuture<>();
    service.answerWith(() -> service.calls.get() == 1 ? slow : CompletableFuture.completedFuture(MeterUsageResponse.of("fast")));
    try (RawHttp connection = new RawHttp(server.port())) {
      connection.send(METER + METER);
      Thread.sleep(200);
      slow.complete(MeterUsageResponse.of("slow"));

      assertThat(connection.read().body()).isEqualTo("{\"MeteringRecordId\":\"slow\"}");
      assertThat(connection.read().body()).isEqualTo("{\"MeteringRecordId\":\"fast\"}");
    }
  }

  @Test
  void connectionClose_isHonouredAfterTheAnswer() throws Exception {
    start();
    try (RawHttp connection = new RawHttp(server.port())) {
      RawHttp.Response response = connection.send(RESOLVE.replace("Host: localhost\r\n", "Host: localhost\r\nConnection: close\r\n")).read();

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.header("connection")).isEqualTo("close");
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void bodyOfOneMebibyte_isRefusedWith413BeforeParsing() throws Exception {
    start();
    byte[] body = new byte[HttpServerConfig.SERVICE_BODY_LIMIT];
    Arrays.fill(body, (byte) ' ');
    try (RawHttp connection = new RawHttp(server.port())) {
      connection.send(post("ResolveCustomer", body));
      RawHttp.Response response = connection.read();

      assertThat(response.status()).isEqualTo(413);
      assertThat(response.header("x-amzn-ErrorType")).isEqualTo("RequestEntityTooLargeException");
      assertThat(response.header("x-amzn-RequestId")).isNotBlank();
      assertThat(response.body()).isEqualTo("{\"__type\":\"RequestEntityTooLargeException\",\"message\":"
          + "\"The request body of 1048576 bytes is too large: bodies must be smaller than 1048576 bytes\"}");
      assertThat(service.calls).hasValue(0);
    }
  }

  @Test
  void bodyOneByteBelowTheLimit_isRead() throws Exception {
    start();
    byte[] body = new byte[HttpServerConfig.SERVICE_BODY_LIMIT - 1];
    Arrays.fill(body, (byte) ' ');
    byte[] json = "{\"RegistrationToken\":\"tok\"}".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(json, 0, body, 0, json.length);
    try (RawHttp connection = new RawHttp(server.port())) {
      connection.send(post("ResolveCustomer", body)).send(body);

      assertThat(connection.read().status()).isEqualTo(200);
    }
  }

  @Test
  void chunkedBodyGrowingPastTheLimit_isRefusedWith413() throws Exception {
    start(HttpServerConfig.builder().bodyLimitBytes(2048));
    String chunk = " ".repeat(1000);
    String chunked = "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSMPMeteringService.ResolveCustomer\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n" + ("3e8\r\n" + chunk + "\r\n").repeat(3) + "0\r\n\r\n";
    try (RawHttp connection = new RawHttp(server.port())) {
      RawHttp.Response response = connection.send(chunked).read();

      assertThat(response.status()).isEqualTo(413);
      assertThat(response.body()).contains("bodies must be smaller than 2048 bytes");
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void expectContinueWithATooLargeBody_getsA413InsteadOfTheContinue_andKeepsTheConnection() throws Exception {
    start();
    try (RawHttp connection = new RawHttp(server.port())) {
      connection.send("POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSMPMeteringService.ResolveCustomer\r\n"
          + "Expect: 100-continue\r\nContent-Length: 5000000\r\n\r\n");
      RawHttp.Response refused = connection.read();

      assertThat(refused.status()).isEqualTo(413);
      assertThat(refused.header("x-amzn-ErrorType")).isEqualTo("RequestEntityTooLargeException");
      assertThat(refused.body()).contains("5000000 bytes is too large");
    }
  }

  @Test
  void expectContinueWithASmallBody_getsA100ThenTheAnswer() throws Exception {
    start();
    String body = "{\"RegistrationToken\":\"tok\"}";
    try (RawHttp connection = new RawHttp(server.port())) {
      connection.send("POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSMPMeteringService.ResolveCustomer\r\n"
          + "Expect: 100-continue\r\nContent-Length: " + body.length() + "\r\n\r\n");

      assertThat(connection.read().status()).isEqualTo(100);
      assertThat(connection.send(body).read().status()).isEqualTo(200);
    }
  }

  @Test
  void oversizedHeaders_areRefusedWith431_notA500() throws Exception {
    start();
    try (RawHttp connection = new RawHttp(server.port())) {
      RawHttp.Response response = connection.send(RESOLVE.replace("Host: localhost\r\n",
          "Host: localhost\r\nX-Padding: " + "a".repeat(20_000) + "\r\n")).read();

      assertThat(response.status()).isEqualTo(431);
      assertThat(response.header("x-amzn-ErrorType")).isEqualTo("ValidationException");
      assertThat(response.header("x-amzn-RequestId")).isNotBlank();
    }
  }

  @Test
  void garbageInsteadOfHttp_isA400() throws Exception {
    start();
    try (RawHttp connection = new RawHttp(server.port())) {
      RawHttp.Response response = connection.send("HELLO\u0001\u0002 WORLD\r\n\r\n").read();

      assertThat(response.status()).isBetween(400, 499);
    }
  }

  @Test
  void requestWhoseBodyNeverArrives_getsA408AfterTheReadTimeout() throws Exception {
    start(HttpServerConfig.builder().requestReadTimeout(Duration.ofMillis(300)));
    try (RawHttp connection = new RawHttp(server.port())) {
      connection.send(post("ResolveCustomer", new byte[100]) + "{\"Reg");
      long started = System.nanoTime();
      RawHttp.Response response = connection.read();

      assertThat(response.status()).isEqualTo(408);
      assertThat(response.header("x-amzn-ErrorType")).isEqualTo("RequestTimeoutException");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void idleConnection_isClosedAfterTheIdleTimeout() throws Exception {
    start(HttpServerConfig.builder().idleTimeout(Duration.ofSeconds(1)));
    try (RawHttp connection = new RawHttp(server.port())) {
      assertThat(connection.send(RESOLVE).read().status()).isEqualTo(200);

      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void slowCall_isNotCutByTheIdleTimeout() throws Exception {
    start(HttpServerConfig.builder().idleTimeout(Duration.ofSeconds(1)));
    service.answerWith(() -> CompletableFuture.supplyAsync(() -> MeterUsageResponse.of("slow"),
        CompletableFuture.delayedExecutor(2500, TimeUnit.MILLISECONDS)));
    try (RawHttp connection = new RawHttp(server.port())) {
      assertThat(connection.send(METER).read().body()).isEqualTo("{\"MeteringRecordId\":\"slow\"}");
    }
  }

  @Test
  void close_letsTheCallInFlightFinish_thenClosesTheConnection() throws Exception {
    start();
    CompletableFuture<Object> inFlight = new CompletableFuture<>();
    service.answerWith(() -> inFlight);
    try (RawHttp connection = new RawHttp(server.port())) {
      connection.send(METER);
      Thread.sleep(200);
      CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> inFlight.complete(MeterUsageResponse.of("done")));

      server.close();

      RawHttp.Response response = connection.read();
      assertThat(response.body()).isEqualTo("{\"MeteringRecordId\":\"done\"}");
      assertThat(response.header("connection")).isEqualTo("close");
      assertThat(connection.closedByServer()).isTrue();
    }
    assertThat(server.running()).isFalse();
  }

  @Test
  void close_closesIdleConnectionsAtOnce() throws Exception {
    start();
    try (RawHttp connection = new RawHttp(server.port())) {
      assertThat(connection.send(RESOLVE).read().status()).isEqualTo(200);
      long started = System.nanoTime();

      server.close();

      assertThat(connection.closedByServer()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void http10Request_withoutKeepAlive_isAnsweredAndClosed() throws Exception {
    start();
    try (RawHttp connection = new RawHttp(server.port())) {
      RawHttp.Response response = connection.send(RESOLVE.replace("HTTP/1.1", "HTTP/1.0")).read();

      assertThat(response.status()).isEqualTo(200);
      assertThat(connection.closedByServer()).isTrue();
    }
  }
}
