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
import java.util.concurrent.CompletableFuture;

/** The {@link MeteringAsyncClient} that {@link MeteringAsyncClient#builder()} builds. */
final class DefaultMeteringAsyncClient implements MeteringAsyncClient {
  private final ClientRuntime runtime;

  DefaultMeteringAsyncClient(ClientSettings settings) {
    this.runtime = new ClientRuntime(settings, false);
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
  public CompletableFuture<BatchMeterUsageResponse> batchMeterUsage(BatchMeterUsageRequest request) {
    return runtime.execute(Operation.BATCH_METER_USAGE, request);
  }

  @Override
  public CompletableFuture<MeterUsageResponse> meterUsage(MeterUsageRequest request) {
    return runtime.execute(Operation.METER_USAGE, request);
  }

  @Override
  public CompletableFuture<RegisterUsageResponse> registerUsage(RegisterUsageRequest request) {
    return runtime.execute(Operation.REGISTER_USAGE, request);
  }

  @Override
  public CompletableFuture<ResolveCustomerResponse> resolveCustomer(ResolveCustomerRequest request) {
    return runtime.execute(Operation.RESOLVE_CUSTOMER, request);
  }

  @Override
  public void close() {
    runtime.close();
  }

  @Override
  public String toString() {
    return "MeteringAsyncClient[region=" + region() + ", endpoint=" + endpoint() + "]";
  }
}
