package io.meterbridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.model.Operation;
import io.meterbridge.server.auth.Authenticator;
import io.meterbridge.server.http.HttpServer;
import io.meterbridge.server.throttle.Throttling;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Quotas through the server: ThrottlingException on the wire, or none when throttling is off. */
class ThrottlingTest {
  final CannedService service = new CannedService();
  HttpServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  void start(Throttling throttling) {
    server = HttpServer.builder().port(0).service(service)
        .authenticator(Authenticator.anyCredentials("123456789012", "us-east-1"))
        .throttling(throttling)
        .build().start();
  }

  /** {@code n} MeterUsage calls pipelined in one write on one connection: they arrive within milliseconds. */
  List<RawHttp.Response> burst(int n) throws Exception {
    String call = RawHttp.post("MeterUsage", "{\"ProductCode\":\"p\",\"Timestamp\":1,\"UsageDimension\":\"d\"}");
    try (RawHttp connection = new RawHttp(server.port())) {
      connection.send(call.repeat(n));
      List<RawHttp.Response> responses = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        responses.add(connection.read());
      }
      return responses;
    }
  }

  @Test
  void eleventhMeterUsageCallInASecond_isThrottled() throws Exception {
    // Warm the code path first, so that the eleven calls surely arrive within 100 ms (one token).
    start(Throttling.off());
    burst(50);
    server.close();
    service.calls.set(0);
    start(Throttling.defaults());

    List<RawHttp.Response> responses = burst(11);

    assertThat(responses.subList(0, 10)).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    RawHttp.Response eleventh = responses.get(10);
    assertThat(eleventh.status()).isEqualTo(400);
    assertThat(eleventh.body()).isEqualTo("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
    assertThat(eleventh.header("x-amzn-ErrorType")).isEqualTo("ThrottlingException");
    assertThat(eleventh.header("x-amzn-RequestId")).isNotBlank();
    List<RawHttp.Response> throttled = responses.stream().filter(r -> r.status() != 200).toList();
    assertThat(service.calls).hasValue(responses.size() - throttled.size());
  }

  @Test
  void throttlingOff_throttlesNothing() throws Exception {
    start(Throttling.off());

    assertThat(burst(50)).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
  }

  @Test
  void raisedQuota_throttlesNothingBelowIt() throws Exception {
    start(Throttling.defaults().rate(Operation.METER_USAGE, 10_000));

    assertThat(burst(50)).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
  }
}
