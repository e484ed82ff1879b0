package io.meterbridge.client;

import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.RegisterUsageResponse;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.model.ResolveCustomerResponse;
import java.util.function.Consumer;

/**
 * The four operations of the AWS Marketplace Metering Service, blocking. {@link MeteringClient}
 * calls the service over HTTP; {@link io.meterbridge.client.testing.StubMeteringClient} answers
 * from stubbed data. Depend on this interface in your code so tests can pass the stub.
 *
 * <p>Every method throws only unchecked exceptions:
 * {@link io.meterbridge.exception.InvalidRequestException} when a request breaks a model constraint
 * (raised when the request is built), a subclass of
 * {@link io.meterbridge.exception.MeteringServiceException} per wire error code when the service
 * answers with an error, and {@link io.meterbridge.exception.MeteringClientException} subclasses
 * for I/O failures ({@link TransportException}) and timeouts ({@link ApiCallTimeoutException},
 * {@link ApiCallAttemptTimeoutException}).
 *
 * <pre>{@code
 * final class HourlyMeter {
 *   private final Metering metering;
 *   HourlyMeter(Metering metering) { this.metering = metering; }
 *
 *   String report(int vcpus) {
 *     return metering.meterUsage(b -> b.productCode("prod-ami").timestamp(Instant.now())
 *             .usageDimension("vcpu_hours").usageQuantity(vcpus))
 *         .meteringRecordId().orElseThrow();
 *   }
 * }
 * }</pre>
 */
public interface Metering extends AutoCloseable {

  /**
   * Posts up to 25 usage records for SaaS customers of one product.
   *
   * <pre>{@code
   * BatchMeterUsageResponse response = metering.batchMeterUsage(BatchMeterUsageRequest.builder()
   *     .productCode("prod-saas")
   *     .usageRecords(UsageRecord.builder().timestamp(hour).customerAwsAccountId("111122223333")
   *         .dimension("api_calls").quantity(1500).build())
   *     .build());
   * response.unprocessedRecords(); // retry these later
   * }</pre>
   */
  BatchMeterUsageResponse batchMeterUsage(BatchMeterUsageRequest request);

  /**
   * {@link #batchMeterUsage(BatchMeterUsageRequest)} with a request built in place.
   *
   * <pre>{@code
   * metering.batchMeterUsage(b -> b.productCode("prod-saas").usageRecords(records));
   * }</pre>
   */
  default BatchMeterUsageResponse batchMeterUsage(Consumer<BatchMeterUsageRequest.Builder> request) {
    BatchMeterUsageRequest.Builder builder = BatchMeterUsageRequest.builder();
    request.accept(builder);
    return batchMeterUsage(builder.build());
  }

  /**
   * Meters one hour of one dimension from the buyer's EC2 instance, ECS task or EKS pod. When the
   * request has no ClientToken the client generates one and keeps it across retries, so a retried
   * call cannot meter twice.
   *
   * <pre>{@code
   * String id = metering.meterUsage(MeterUsageRequest.builder().productCode("prod-ami")
   *         .timestamp(Instant.now()).usageDimension("vcpu_hours").usageQuantity(4).build())
   *     .meteringRecordId().orElseThrow();
   * }</pre>
   */
  MeterUsageResponse meterUsage(MeterUsageRequest request);

  /**
   * {@link #meterUsage(MeterUsageRequest)} with a request built in place.
   *
   * <pre>{@code
   * metering.meterUsage(b -> b.productCode("prod-ami").timestamp(Instant.now())
   *     .usageDimension("vcpu_hours").usageQuantity(4));
   * }</pre>
   */
  default MeterUsageResponse meterUsage(Consumer<MeterUsageRequest.Builder> request) {
    MeterUsageRequest.Builder builder = MeterUsageRequest.builder();
    request.accept(builder);
    return meterUsage(builder.build());
  }

  /**
   * Registers a paid container task or pod at launch, checking the buyer's entitlement.
   *
   * <pre>{@code
   * String jwt = metering.registerUsage(RegisterUsageRequest.builder().productCode("prod-container")
   *         .publicKeyVersion(1).nonce(UUID.randomUUID().toString()).build())
   *     .signature().orElseThrow();
   * }</pre>
   */
  RegisterUsageResponse registerUsage(RegisterUsageRequest request);

  /**
   * {@link #registerUsage(RegisterUsageRequest)} with a request built in place.
   *
   * <pre>{@code
   * metering.registerUsage(b -> b.productCode("prod-container").publicKeyVersion(1));
   * }</pre>
   */
  default RegisterUsageResponse registerUsage(Consumer<RegisterUsageRequest.Builder> request) {
    RegisterUsageRequest.Builder builder = RegisterUsageRequest.builder();
    request.accept(builder);
    return registerUsage(builder.build());
  }

  /**
   * Exchanges a SaaS registration token for the customer's account id, license and product code.
   *
   * <pre>{@code
   * ResolveCustomerResponse customer = metering.resolveCustomer(ResolveCustomerRequest.of(token));
   * }</pre>
   */
  ResolveCustomerResponse resolveCustomer(ResolveCustomerRequest request);

  /**
   * {@link #resolveCustomer(ResolveCustomerRequest)} for a token, as the buyer's browser posted it
   * in the {@code x-amzn-marketplace-token} form field.
   *
   * <pre>{@code
   * String account = metering.resolveCustomer(form.get("x-amzn-marketplace-token"))
   *     .customerAwsAccountId().orElseThrow();
   * }</pre>
   */
  default ResolveCustomerResponse resolveCustomer(String registrationToken) {
    return resolveCustomer(ResolveCustomerRequest.of(registrationToken));
  }

  /**
   * Releases what the client holds; later calls fail with
   * {@link io.meterbridge.exception.MeteringClientException}. Idempotent.
   *
   * <pre>{@code
   * try (MeteringClient client = MeteringClient.create()) { ... }
   * }</pre>
   */
  @Override
  void close();
}
