package io.meterbridge.client;

import java.net.http.HttpClient;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;

/**
 * The shared suite against the blocking client sending through {@code java.net.http}, as it does
 * when given an {@code HttpClient} or when a proxy applies: {@code HttpClient.send} on the caller's
 * thread, the attempt deadline enforced by interrupting it.
 */
class MeteringClientJdkTransportTest extends MeteringClientContract {
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Override
  protected MeteringClient build(Consumer<ClientBuilder<?>> config) {
    MeteringClient.Builder builder = MeteringClient.builder();
    config.accept(builder);
    return builder.httpClient(http).build();
  }

  @AfterEach
  void interruptStatusIsNeverLeftBehind() {
    org.assertj.core.api.Assertions.assertThat(Thread.interrupted()).isFalse();
  }
}
