package io.meterbridge.client;

import java.util.function.Consumer;

/** The shared suite against the blocking client. */
class MeteringClientTest extends MeteringClientContract {
  @Override
  protected MeteringClient build(Consumer<ClientBuilder<?>> config) {
    MeteringClient.Builder builder = MeteringClient.builder();
    config.accept(builder);
    return builder.build();
  }
}
