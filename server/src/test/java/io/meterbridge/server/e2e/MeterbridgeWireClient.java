package io.meterbridge.server.e2e;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.MeteringClient;
import io.meterbridge.client.RetryPolicy;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.RegisterUsageResponse;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.model.ResolveCustomerResponse;
import java.net.URI;

/** Our own client as a {@link WireClient}. */
final class MeterbridgeWireClient implements WireClient {
  static final Factory FACTORY = MeterbridgeWireClient::new;

  private final MeteringClient client;

  private MeterbridgeWireClient(String endpoint, String region, String accessKeyId, String secret) {
    this.client = MeteringClient.builder()
        .region(region)
        .credentials(AwsCredentials.of(accessKeyId, secret))
        .endpointOverride(URI.create(endpoint))
        .retryPolicy(RetryPolicy.none())
        .build();
  }

  @Override
  public boolean supportsLicenseArn() {
    return true;
  }

  @Override
  public BatchMeterUsageResponse batchMeterUsage(BatchMeterUsageRequest request) {
    return client.batchMeterUsage(request);
  }

  @Override
  public MeterUsageResponse meterUsage(MeterUsageRequest request) {
    return client.meterUsage(request);
  }

  @Override
  public RegisterUsageResponse registerUsage(RegisterUsageRequest request) {
    return client.registerUsage(request);
  }

  @Override
  public ResolveCustomerResponse resolveCustomer(ResolveCustomerRequest request) {
    return client.resolveCustomer(request);
  }

  @Override
  public void close() {
    client.close();
  }
}
