package io.meterbridge.client;

import io.meterbridge.client.internal.ClientSettings;
import io.meterbridge.exception.MeteringException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.RegisterUsageResponse;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.model.ResolveCustomerResponse;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The asynchronous client of the AWS Marketplace Metering Service (or a Meterbridge server): the
 * four operations returning {@link CompletableFuture}s, AWS JSON 1.1 over {@code java.net.http},
 * SigV4-signed, with retries, timeouts and interceptors. No thread waits: attempts run on
 * {@code HttpClient.sendAsync} and retries are scheduled on timers. Build one with
 * {@link #builder()} or {@link #create()}; it is immutable and thread-safe: build one per region
 * and credentials, share it, and close it when done.
 *
 * <p>Depend on this interface in your code, so that tests can pass
 * {@link io.meterbridge.client.testing.StubMeteringClient#async()} instead.
 *
 * <p>Every method returns a future and never throws, except {@link NullPointerException} for a null
 * argument (a request the model rejects fails the future too); the future fails with the
 * exceptions {@link MeteringClient} documents:
 * {@link io.meterbridge.exception.InvalidRequestException} when a request breaks a model constraint
 * (raised when the request is built), a subclass of
 * {@link io.meterbridge.exception.MeteringServiceException} per wire error code when the service
 * answers with an error, and {@link io.meterbridge.exception.MeteringClientException} subclasses
 * for I/O failures ({@link TransportException}) and timeouts ({@link ApiCallTimeoutException},
 * {@link ApiCallAttemptTimeoutException}).
 *
 * <pre>{@code
 * MeteringAsyncClient client = MeteringAsyncClient.builder().region("us-east-1").build();
 * client.meterUsage(b -> b.productCode("prod-ami").timestamp(Instant.now())
 *         .usageDimension("vcpu_hours").usageQuantity(4))
 *     .thenAccept(r -> log.info("metered {}", r.meteringRecordId()))
 *     .exceptionally(e -> { log.warn("metering failed", e); return null; });
 * }</pre>
 */
public interface MeteringAsyncClient extends AutoCloseable {

  /**
   * A builder with the defaults: standard retries, 2 s connect timeout, 30 s attempt timeout.
   *
   * <pre>{@code
   * MeteringAsyncClient client = MeteringAsyncClient.builder().region("us-east-1").build();
   * }</pre>
   */
  static Builder builder() {
    return new Builder(ClientSettings.defaults());
  }

  /**
   * A client with region and credentials from the environment and every other setting default.
   *
   * <pre>{@code
   * MeteringAsyncClient client = MeteringAsyncClient.create(); // AWS_REGION, AWS_ACCESS_KEY_ID, ...
   * }</pre>
   *
   * @throws io.meterbridge.client.credentials.CredentialsException if no region is configured
   */
  static MeteringAsyncClient create() {
    return builder().build();
  }

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
   * A {@link UsageBatcher} over this client with the default settings (200 ms maximum delay, 3
   * attempts for unprocessed records): add records one at a time and get each one's result back.
   * Close the batcher before the client.
   *
   * <pre>{@code
   * try (UsageBatcher batcher = metering.batcher()) {
   *   CompletableFuture<UsageRecordResult> result = batcher.add("prod-saas", record);
   * }
   * }</pre>
   */
  default UsageBatcher batcher() {
    return batcher(b -> {});
  }

  /**
   * A {@link UsageBatcher} over this client with settings of your own.
   *
   * <pre>{@code
   * UsageBatcher batcher = metering.batcher(b -> b.maxDelay(Duration.ofMillis(50)).maxAttempts(5));
   * }</pre>
   */
  default UsageBatcher batcher(Consumer<UsageBatcher.Builder> settings) {
    return UsageBatcher.async(this, settings);
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
   * {@link #resolveCustomer(ResolveCustomerRequest)} with a request built in place.
   *
   * <pre>{@code
   * metering.resolveCustomer(b -> b.registrationToken(token)).thenAccept(this::onboard);
   * }</pre>
   */
  default CompletableFuture<ResolveCustomerResponse> resolveCustomer(
      Consumer<ResolveCustomerRequest.Builder> request) {
    ResolveCustomerRequest.Builder builder = ResolveCustomerRequest.builder();
    request.accept(builder);
    ResolveCustomerRequest built;
    try {
      built = builder.build();
    } catch (MeteringException e) {
      return CompletableFuture.failedFuture(e);
    }
    return resolveCustomer(built);
  }

  /**
   * A builder holding this client's settings, to derive a client that differs in a few. Clients
   * built by {@link #builder()} support it; a test double such as
   * {@link io.meterbridge.client.testing.StubMeteringClient#async()} throws
   * {@link UnsupportedOperationException}.
   *
   * <pre>{@code
   * MeteringAsyncClient patient = client.toBuilder().apiCallTimeout(Duration.ofMinutes(2)).build();
   * }</pre>
   */
  default Builder toBuilder() {
    throw new UnsupportedOperationException(getClass().getName() + " was not built by MeteringAsyncClient.builder()");
  }

  /**
   * The region the client signs for. Clients built by {@link #builder()} support it; a test
   * double may throw {@link UnsupportedOperationException}.
   *
   * <pre>{@code
   * String region = client.region(); // "us-east-1"
   * }</pre>
   */
  default String region() {
    throw new UnsupportedOperationException(getClass().getName() + " was not built by MeteringAsyncClient.builder()");
  }

  /**
   * The endpoint requests go to. Clients built by {@link #builder()} support it; a test double
   * may throw {@link UnsupportedOperationException}.
   *
   * <pre>{@code
   * URI endpoint = client.endpoint(); // https://metering.marketplace.us-east-1.amazonaws.com
   * }</pre>
   */
  default URI endpoint() {
    throw new UnsupportedOperationException(getClass().getName() + " was not built by MeteringAsyncClient.builder()");
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

  /**
   * Builds {@link MeteringAsyncClient}s. Not thread-safe; {@link #build()} may be called
   * repeatedly.
   *
   * <pre>{@code
   * MeteringAsyncClient client = MeteringAsyncClient.builder()
   *     .region("us-east-1")
   *     .credentialsProvider(provider)
   *     .retryPolicy(RetryPolicy.adaptive())
   *     .build();
   * }</pre>
   */
  final class Builder extends ClientBuilder<Builder> {
    Builder(ClientSettings settings) {
      super(settings);
    }

    /**
     * The client.
     *
     * <pre>{@code
     * MeteringAsyncClient client = builder.build();
     * }</pre>
     *
     * @throws IllegalStateException if the settings contradict each other (FIPS or dual-stack
     *     with an endpoint override)
     * @throws io.meterbridge.client.credentials.CredentialsException if no region is set or
     *     configured in the environment
     * @throws io.meterbridge.client.endpoints.EndpointResolutionException if the endpoint rules
     *     reject the region and switches
     */
    public MeteringAsyncClient build() {
      return new DefaultMeteringAsyncClient(settings());
    }
  }
}
