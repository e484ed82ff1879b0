package io.meterbridge.bench.compare;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.bench.Fixtures;
import io.meterbridge.client.MeteringClient;
import io.meterbridge.client.credentials.StaticCredentialsProvider;
import java.net.URI;

/**
 * Our client as its documentation sets it up: static credentials, a fixed region, an endpoint
 * override; everything else (transport, retries, timeouts) at its defaults, as for the SDK.
 */
public final class MeterbridgeClient implements ClientUnderTest {
  private final MeteringClient client;

  public MeterbridgeClient(URI endpoint) {
    client = MeteringClient.builder()
        .region("us-east-1")
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsCredentials.of(Credentials.ACCESS_KEY_ID, Credentials.SECRET_ACCESS_KEY)))
        .endpointOverride(endpoint)
        .build();
  }

  @Override
  public String meterUsage() {
    return client.meterUsage(Fixtures.meterUsageRequest()).meteringRecordId().orElseThrow();
  }

  @Override
  public int batchMeterUsage() {
    return client.batchMeterUsage(Fixtures.batchRequest()).results().size();
  }

  @Override
  public void close() {
    client.close();
  }
}
