package io.meterbridge.client;

import static io.meterbridge.client.ScriptedServer.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The shared suite against the blocking client sending through a {@link Transport} of the
 * seller's own ({@link UrlConnectionTransport}): signing, retries, timeouts, interceptors and error
 * mapping all work over it unchanged.
 */
class MeteringClientOwnTransportTest extends MeteringClientContract {
  final UrlConnectionTransport transport = new UrlConnectionTransport();

  @Override
  protected MeteringClient build(Consumer<ClientBuilder<?>> config) {
    MeteringClient.Builder builder = MeteringClient.builder();
    config.accept(builder);
    return builder.transport(transport).build();
  }

  @Test
  void meterUsage_ownTransport_carriesEveryAttempt() {
    server.enqueue(ScriptedServer.throttled(), ok("{\"MeteringRecordId\":\"r\"}"));

    assertThat(client().meterUsage(meterRequest()).meteringRecordId()).contains("r");

    assertThat(transport.exchanges).hasValue(2);
    assertThat(server.requests()).hasSize(2);
  }
}
