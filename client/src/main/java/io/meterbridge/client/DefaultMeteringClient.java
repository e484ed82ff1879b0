package io.meterbridge.client;

import io.meterbridge.client.internal.ClientSettings;
import io.meterbridge.client.internal.ClientRuntime;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.Operation;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.RegisterUsageResponse;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.model.ResolveCustomerResponse;
import java.net.URI;

/** The {@link MeteringClient} that {@link MeteringClient#builder()} builds. */
final class DefaultMeteringClient implements MeteringClient {
  private final ClientRuntime runtime;

  DefaultMeteringClient(ClientSettings settings) {
    this.runtime = new ClientRuntime(settings, true);
  }

  @Override
  public Builder toBuilder() {
    return new Builder(runtime.settings());
  }

  @Override
  public String region() {
    return runtime.region();
  }

  @Override
  public URI endpoint() {
    return runtime.endpoint().uri();
  }

  @Override
  public BatchMeterUsageResponse batchMeterUsage(BatchMeterUsageRequest request) {
    return runtime.executeBlocking(Operation.BATCH_METER_USAGE, request);
  }

  @Override
  public MeterUsageResponse meterUsage(MeterUsageRequest request) {
    return runtime.executeBlocking(Operation.METER_USAGE, request);
  }

  @Override
  public RegisterUsageResponse registerUsage(RegisterUsageRequest request) {
    return runtime.executeBlocking(Operation.REGISTER_USAGE, request);
  }

  @Override
  public ResolveCustomerResponse resolveCustomer(ResolveCustomerRequest request) {
    return runtime.executeBlocking(Operation.RESOLVE_CUSTOMER, request);
  }

  @Override
  public void close() {
    runtime.close();
  }

  @Override
  public String toString() {
    return "MeteringClient[region=" + region() + ", endpoint=" + endpoint() + "]";
  }
}
