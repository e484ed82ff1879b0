package io.meterbridge.client;

import io.meterbridge.client.internal.ClientSettings;
import io.meterbridge.client.internal.Pipeline;
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

/**
 * The blocking client of the AWS Marketplace Metering Service (or a Meterbridge server): AWS JSON
 * 1.1, SigV4-signed, with retries, timeouts and interceptors. Each call runs on the caller's
 * thread over the client's own pool of kept-alive HTTP/1.1 connections (TLS through the JVM's
 * default {@code SSLSocketFactory}); it sends through {@code java.net.http} instead when given an
 * {@linkplain ClientBuilder#httpClient HTTP client} or when the default {@code ProxySelector}
 * names a proxy for the endpoint.
 * Immutable and thread-safe: build one per region and credentials and share it; it keeps its
 * connections alive across calls. Close it when done.
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
public final class MeteringClient implements Metering {
  private final Pipeline pipeline;

  private MeteringClient(ClientSettings settings) {
    this.pipeline = new Pipeline(settings, true);
  }

  /**
   * A builder with the defaults: standard retries, 2 s connect timeout, 30 s attempt timeout.
   *
   * <pre>{@code
   * MeteringClient client = MeteringClient.builder().region("us-east-1").build();
   * }</pre>
   */
  public static Builder builder() {
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
  public static MeteringClient create() {
    return builder().build();
  }

  /**
   * A builder holding this client's settings, to derive a client that differs in a few.
   *
   * <pre>{@code
   * MeteringClient patient = client.toBuilder().apiCallTimeout(Duration.ofMinutes(2)).build();
   * }</pre>
   */
  public Builder toBuilder() {
    return new Builder(pipeline.settings());
  }

  /**
   * The region the client signs for.
   *
   * <pre>{@code
   * String region = client.region(); // "us-east-1"
   * }</pre>
   */
  public String region() {
    return pipeline.region();
  }

  /**
   * The endpoint requests go to.
   *
   * <pre>{@code
   * URI endpoint = client.endpoint(); // https://metering.marketplace.us-east-1.amazonaws.com
   * }</pre>
   */
  public URI endpoint() {
    return pipeline.endpoint().uri();
  }

  @Override
  public BatchMeterUsageResponse batchMeterUsage(BatchMeterUsageRequest request) {
    return pipeline.executeBlocking(Operation.BATCH_METER_USAGE, request);
  }

  @Override
  public MeterUsageResponse meterUsage(MeterUsageRequest request) {
    return pipeline.executeBlocking(Operation.METER_USAGE, request);
  }

  @Override
  public RegisterUsageResponse registerUsage(RegisterUsageRequest request) {
    return pipeline.executeBlocking(Operation.REGISTER_USAGE, request);
  }

  @Override
  public ResolveCustomerResponse resolveCustomer(ResolveCustomerRequest request) {
    return pipeline.executeBlocking(Operation.RESOLVE_CUSTOMER, request);
  }

  @Override
  public void close() {
    pipeline.close();
  }

  @Override
  public String toString() {
    return "MeteringClient[region=" + region() + ", endpoint=" + endpoint() + "]";
  }

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
  public static final class Builder extends ClientBuilder<Builder> {
    private Builder(ClientSettings settings) {
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
      return new MeteringClient(settings());
    }
  }
}
