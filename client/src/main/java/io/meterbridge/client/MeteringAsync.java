package io.meterbridge.client;

import io.meterbridge.exception.MeteringException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.RegisterUsageResponse;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.model.ResolveCustomerResponse;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The four operations of the AWS Marketplace Metering Service, asynchronous.
 * {@link MeteringAsyncClient} calls the service over HTTP without blocking a thread;
 * {@link io.meterbridge.client.testing.StubMeteringClient#async()} answers from stubbed data. Depend on this interface in your code so tests can pass the stub.
 *
 * <p>Every method returns a future and never throws, except {@link NullPointerException} for a null
 * argument (a request the model rejects fails the future too); the future fails with the
 * exceptions {@link Metering} documents:
 * {@link io.meterbridge.exception.InvalidRequestException} when a request breaks a model constraint
 * (raised when the request is built), a subclass of
 * {@link io.meterbridge.exception.MeteringServiceException} per wire error code when the service
 * answers with an error, and {@link io.meterbridge.exception.MeteringClientException} subclasses
 * for I/O failures ({@link TransportException}) and timeouts ({@link ApiCallTimeoutException},
 * {@link ApiCallAttemptTimeoutException}).
 *
 * <pre>{@code
 * CompletableFuture<String> id = metering
 *     .meterUsage(b -> b.productCode("prod-ami").timestamp(Instant.now())
 *         .usageDimension("vcpu_hours").usageQuantity(4))
 *     .thenApply(r -> r.meteringRecordId().orElseThrow());
 * }</pre>
 */
public interface MeteringAsync extends AutoCloseable {

  /**
   * Posts up to 25 usage records for SaaS customers of one product.
   *
   * <pre>{@code
   * CompletableFuture<BatchMeterUsageResponse> response = metering.batchMeterUsage(BatchMeterUsageRequest.builder()
   *     .productCode("prod-saas")
   *     .usageRecords(UsageRecord.builder().timestamp(hour).customerAwsAccountId("111122223333")
   *         .dimension("api_calls").quantity(1500).build())
   *     .build());
   * }</pre>
   */
  CompletableFuture<BatchMeterUsageResponse> batchMeterUsage(BatchMeterUsageRequest request);

  /**
   * {@link #batchMeterUsage(BatchMeterUsageRequest)} with a request built in place.
   *
   * <pre>{@code
   * metering.batchMeterUsage(b -> b.productCode("prod-saas").usageRecords(records));
   * }</pre>
   */
  default CompletableFuture<BatchMeterUsageResponse> batchMeterUsage(Consumer<BatchMeterUsageRequest.Builder> request) {
    BatchMeterUsageRequest.Builder builder = BatchMeterUsageRequest.builder();
    request.accept(builder);
    BatchMeterUsageRequest built;
    try {
      built = builder.build();
    } catch (MeteringException e) {
      return CompletableFuture.failedFuture(e);
    }
    return batchMeterUsage(built);
  }

  /**
   * Meters one hour of one dimension from the buyer's EC2 instance, ECS task or EKS pod. When the
   * request has no ClientToken the client generates one and keeps it across retries, so a retried
   * call cannot meter twice.
   *
   * <pre>{@code
   * metering.meterUsage(MeterUsageRequest.builder().productCode("prod-ami")
   *         .timestamp(Instant.now()).usageDimension("vcpu_hours").usageQuantity(4).build())
   *     .thenAccept(r -> log.info("metered {}", r.meteringRecordId()));
   * }</pre>
   */
  CompletableFuture<MeterUsageResponse> meterUsage(MeterUsageRequest request);

  /**
   * {@link #meterUsage(MeterUsageRequest)} with a request built in place.
   *
   * <pre>{@code
   * metering.meterUsage(b -> b.productCode("prod-ami").timestamp(Instant.now())
   *     .usageDimension("vcpu_hours").usageQuantity(4));
   * }</pre>
   */
  default CompletableFuture<MeterUsageResponse> meterUsage(Consumer<MeterUsageRequest.Builder> request) {
    MeterUsageRequest.Builder builder = MeterUsageRequest.builder();
    request.accept(builder);
    MeterUsageRequest built;
    try {
      built = builder.build();
    } catch (MeteringException e) {
      return CompletableFuture.failedFuture(e);
    }
    return meterUsage(built);
  }

  /**
   * Registers a paid container task or pod at launch, checking the buyer's entitlement.
   *
   * <pre>{@code
   * metering.registerUsage(RegisterUsageRequest.builder().productCode("prod-container")
   *         .publicKeyVersion(1).nonce(UUID.randomUUID().toString()).build())
   *     .thenAccept(r -> verify(r.signature().orElseThrow()));
   * }</pre>
   */
  CompletableFuture<RegisterUsageResponse> registerUsage(RegisterUsageRequest request);

  /**
   * {@link #registerUsage(RegisterUsageRequest)} with a request built in place.
   *
   * <pre>{@code
   * metering.registerUsage(b -> b.productCode("prod-container").publicKeyVersion(1));
   * }</pre>
   */
  default CompletableFuture<RegisterUsageResponse> registerUsage(Consumer<RegisterUsageRequest.Builder> request) {
    RegisterUsageRequest.Builder builder = RegisterUsageRequest.builder();
    request.accept(builder);
    RegisterUsageRequest built;
    try {
      built = builder.build();
    } catch (MeteringException e) {
      return CompletableFuture.failedFuture(e);
    }
    return registerUsage(built);
  }

  /**
   * Exchanges a SaaS registration token for the customer's account id, license and product code.
   *
   * <pre>{@code
   * metering.resolveCustomer(ResolveCustomerRequest.of(token)).thenAccept(this::onboard);
   * }</pre>
   */
  CompletableFuture<ResolveCustomerResponse> resolveCustomer(ResolveCustomerRequest request);

  /**
   * {@link #resolveCustomer(ResolveCustomerRequest)} for a token, as the buyer's browser posted it
   * in the {@code x-amzn-marketplace-token} form field.
   *
   * <pre>{@code
   * metering.resolveCustomer(form.get("x-amzn-marketplace-token")).thenAccept(this::onboard);
   * }</pre>
   */
  default CompletableFuture<ResolveCustomerResponse> resolveCustomer(String registrationToken) {
    ResolveCustomerRequest built;
    try {
      built = ResolveCustomerRequest.of(registrationToken);
    } catch (MeteringException e) {
      return CompletableFuture.failedFuture(e);
    }
    return resolveCustomer(built);
  }

  /**
   * Releases what the client holds; later calls return futures failed with
   * {@link io.meterbridge.exception.MeteringClientException}. Idempotent.
   *
   * <pre>{@code
   * try (MeteringAsyncClient client = MeteringAsyncClient.create()) { ... }
   * }</pre>
   */
  @Override
  void close();
}
