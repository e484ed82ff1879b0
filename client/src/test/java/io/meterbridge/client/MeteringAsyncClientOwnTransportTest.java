package io.meterbridge.client;

import static io.meterbridge.client.ScriptedServer.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The shared suite against the async client sending through a blocking {@link Transport} of the
 * seller's own, which {@link Transport#sendAsync} runs on the client's executor.
 */
class MeteringAsyncClientOwnTransportTest extends MeteringClientContract {
  final UrlConnectionTransport transport = new UrlConnectionTransport();

  @Override
  protected MeteringClient build(Consumer<ClientBuilder<?>> config) {
    MeteringAsyncClient.Builder builder = MeteringAsyncClient.builder();
    config.accept(builder);
    return new MeteringAsyncClientTest.Joining(builder.transport(transport).build());
  }

  @Test
  void meterUsage_ownTransport_carriesEveryAttempt() {
    server.enqueue(ScriptedServer.throttled(), ok("{\"MeteringRecordId\":\"r\"}"));

    assertThat(client().meterUsage(meterRequest()).meteringRecordId()).contains("r");

    assertThat(transport.exchanges).hasValue(2);
    assertThat(server.requests()).hasSize(2);
  }
}
