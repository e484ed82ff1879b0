package io.meterbridge.client;

import io.meterbridge.client.internal.ClientSettings;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.RegisterUsageResponse;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.model.ResolveCustomerResponse;
import java.net.URI;
import java.util.function.Consumer;

/**
 * The blocking client of the AWS Marketplace Metering Service (or a Meterbridge server): the four
 * operations, AWS JSON 1.1, SigV4-signed, with retries, timeouts and interceptors. Build one with
 * {@link #builder()} or {@link #create()}; it is immutable and thread-safe: build one per region
 * and credentials, share it, and close it when done. Each call runs on the caller's thread over the
 * client's own pool of kept-alive HTTP/1.1 connections (TLS through the JVM's default
 * {@code SSLSocketFactory}); it sends through {@code java.net.http} instead when given an
 * {@linkplain ClientBuilder#httpClient HTTP client} or when the default {@code ProxySelector} names
 * a proxy for the endpoint.
 *
 * <p>Depend on this interface in your code, so that tests can pass
 * {@link io.meterbridge.client.testing.StubMeteringClient} instead of a client that calls the
 * service.
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
 * try (MeteringClient client = MeteringClient.builder().region("us-east-1").build()) {
 *   MeterUsageResponse response = client.meterUsage(b -> b
 *       .productCode("prod-ami")
 *       .timestamp(Instant.now())
 *       .usageDimension("vcpu_hours")
 *       .usageQuantity(4));
 *   System.out.println(response.meteringRecordId().orElseThrow());
 * } catch (ThrottlingException e) {
 *   // still throttled after the retries
 * }
 * }</pre>
 */
public interface MeteringClient extends AutoCloseable {

  /**
   * A builder with the defaults: standard retries, 2 s connect timeout, 30 s attempt timeout.
   *
   * <pre>{@code
   * MeteringClient client = MeteringClient.builder().region("us-east-1").build();
   * }</pre>
   */
  static Builder builder() {
    return new Builder(ClientSettings.defaults());
  }

  /**
   * A client with region and credentials from the environment and every other setting default.
   *
   * <pre>{@code
   * MeteringClient client = MeteringClient.create(); // AWS_REGION, AWS_ACCESS_KEY_ID, ...
   * }</pre>
   *
   * @throws io.meterbridge.client.credentials.CredentialsException if no region is configured
   */
  static MeteringClient create() {
    return builder().build();
  }

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
    return UsageBatcher.blocking(this, settings);
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
   * {@link #resolveCustomer(ResolveCustomerRequest)} with a request built in place.
   *
   * <pre>{@code
   * metering.resolveCustomer(b -> b.registrationToken(token));
   * }</pre>
   */
  default ResolveCustomerResponse resolveCustomer(Consumer<ResolveCustomerRequest.Builder> request) {
    ResolveCustomerRequest.Builder builder = ResolveCustomerRequest.builder();
    request.accept(builder);
    return resolveCustomer(builder.build());
  }

  /**
   * A builder holding this client's settings, to derive a client that differs in a few. Clients
   * built by {@link #builder()} support it; a test double such as
   * {@link io.meterbridge.client.testing.StubMeteringClient} throws
   * {@link UnsupportedOperationException}.
   *
   * <pre>{@code
   * MeteringClient patient = client.toBuilder().apiCallTimeout(Duration.ofMinutes(2)).build();
   * }</pre>
   */
  default Builder toBuilder() {
    throw new UnsupportedOperationException(getClass().getName() + " was not built by MeteringClient.builder()");
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
    throw new UnsupportedOperationException(getClass().getName() + " was not built by MeteringClient.builder()");
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
    throw new UnsupportedOperationException(getClass().getName() + " was not built by MeteringClient.builder()");
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

  /**
   * Builds {@link MeteringClient}s. Not thread-safe; {@link #build()} may be called repeatedly.
   *
   * <pre>{@code
   * MeteringClient client = MeteringClient.builder()
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
     * MeteringClient client = builder.build();
     * }</pre>
     *
     * @throws IllegalStateException if the settings contradict each other (FIPS or dual-stack
     *     with an endpoint override)
     * @throws io.meterbridge.client.credentials.CredentialsException if no region is set or
     *     configured in the environment
     * @throws io.meterbridge.client.endpoints.EndpointResolutionException if the endpoint rules
     *     reject the region and switches
     */
    public MeteringClient build() {
      return new DefaultMeteringClient(settings());
    }
  }
}
