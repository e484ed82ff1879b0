package io.meterbridge.server.e2e;

import io.meterbridge.exception.MeteringServiceException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.RegisterUsageResponse;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.model.ResolveCustomerResponse;
import io.meterbridge.model.Tag;
import io.meterbridge.model.UsageAllocation;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResult;
import io.meterbridge.model.UsageRecordResultStatus;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.marketplacemetering.MarketplaceMeteringClient;

/** The official AWS SDK for Java v2 as a {@link WireClient}: our model in, the SDK's model on the wire. */
final class AwsSdkWireClient implements WireClient {
  static final Factory FACTORY = AwsSdkWireClient::new;

  /** Clients whose HTTPS trusts only {@code trust}: a test's own CA. */
  static Factory trusting(javax.net.ssl.TrustManager[] trust) {
    return (endpoint, region, key, secret) -> new AwsSdkWireClient(endpoint, region, key, secret, trust);
  }

  private final MarketplaceMeteringClient sdk;

  private AwsSdkWireClient(String endpoint, String region, String accessKeyId, String secret) {
    this(endpoint, region, accessKeyId, secret, null);
  }

  private AwsSdkWireClient(String endpoint, String region, String accessKeyId, String secret,
      javax.net.ssl.TrustManager[] trust) {
    var builder = MarketplaceMeteringClient.builder();
    if (trust != null) {
      builder.httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder()
          .tlsTrustManagersProvider(() -> trust));
    }
    this.sdk = builder
        .endpointOverride(URI.create(endpoint))
        .region(Region.of(region))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
        .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()))
        .build();
  }

  @Override
  public boolean supportsLicenseArn() {
    return false; // 2.41.4 predates the 2026-02 model
  }

  @Override
  public BatchMeterUsageResponse batchMeterUsage(BatchMeterUsageRequest request) {
    var sdkRequest = software.amazon.awssdk.services.marketplacemetering.model.BatchMeterUsageRequest.builder()
        .productCode(request.productCode().orElse(null))
        .usageRecords(request.usageRecords().stream().map(AwsSdkWireClient::toSdk).toList())
        .build();
    var response = call(() -> sdk.batchMeterUsage(sdkRequest));
    List<UsageRecordResult> results = response.results().stream()
        .map(r -> new UsageRecordResult(
            Optional.ofNullable(r.usageRecord()).map(AwsSdkWireClient::fromSdk),
            Optional.ofNullable(r.meteringRecordId()),
            Optional.ofNullable(r.statusAsString()).map(UsageRecordResultStatus::fromWire)))
        .toList();
    return new BatchMeterUsageResponse(results,
        response.unprocessedRecords().stream().map(AwsSdkWireClient::fromSdk).toList());
  }

  @Override
  public BatchMeterUsageResponse batchMeterUsageUnchecked(String productCode, List<UsageRecord> records) {
    var sdkRequest = software.amazon.awssdk.services.marketplacemetering.model.BatchMeterUsageRequest.builder()
        .productCode(productCode)
        .usageRecords(records.stream().map(AwsSdkWireClient::toSdk).toList())
        .build();
    call(() -> sdk.batchMeterUsage(sdkRequest));
    throw new AssertionError("the server accepted what the model forbids");
  }

  @Override
  public MeterUsageResponse meterUsage(MeterUsageRequest request) {
    var sdkRequest = software.amazon.awssdk.services.marketplacemetering.model.MeterUsageRequest.builder()
        .productCode(request.productCode())
        .timestamp(request.timestamp())
        .usageDimension(request.usageDimension())
        .usageQuantity(request.usageQuantity())
        .dryRun(request.dryRun())
        .usageAllocations(request.usageAllocations().isEmpty() ? null
            : request.usageAllocations().stream().map(AwsSdkWireClient::toSdk).toList())
        .clientToken(request.clientToken().orElse(null))
        .build();
    var response = call(() -> sdk.meterUsage(sdkRequest));
    return new MeterUsageResponse(Optional.ofNullable(response.meteringRecordId()));
  }

  @Override
  public RegisterUsageResponse registerUsage(RegisterUsageRequest request) {
    var response = call(() -> sdk.registerUsage(b -> b.productCode(request.productCode())
        .publicKeyVersion(request.publicKeyVersion()).nonce(request.nonce().orElse(null))));
    return new RegisterUsageResponse(Optional.ofNullable(response.publicKeyRotationTimestamp()),
        Optional.ofNullable(response.signature()));
  }

  @Override
  public ResolveCustomerResponse resolveCustomer(ResolveCustomerRequest request) {
    var response = call(() -> sdk.resolveCustomer(b -> b.registrationToken(request.registrationToken())));
    return new ResolveCustomerResponse(Optional.ofNullable(response.customerIdentifier()),
        Optional.ofNullable(response.productCode()), Optional.ofNullable(response.customerAWSAccountId()),
        Optional.empty());
  }

  @Override
  public void close() {
    sdk.close();
  }

  private static <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (AwsServiceException e) {
      throw MeteringServiceException.of(e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage(),
          e.statusCode(), e.requestId());
    }
  }

  private static software.amazon.awssdk.services.marketplacemetering.model.UsageRecord toSdk(UsageRecord r) {
    if (r.licenseArn().isPresent()) {
      throw new IllegalArgumentException("the AWS SDK 2.41.4 cannot send LicenseArn");
    }
    return software.amazon.awssdk.services.marketplacemetering.model.UsageRecord.builder()
        .timestamp(r.timestamp())
        .customerIdentifier(r.customerIdentifier().orElse(null))
        .customerAWSAccountId(r.customerAwsAccountId().orElse(null))
        .dimension(r.dimension())
        .quantity(r.quantity())
        .usageAllocations(r.usageAllocations().isEmpty() ? null : r.usageAllocations().stream().map(AwsSdkWireClient::toSdk).toList())
        .build();
  }

  private static software.amazon.awssdk.services.marketplacemetering.model.UsageAllocation toSdk(UsageAllocation a) {
    return software.amazon.awssdk.services.marketplacemetering.model.UsageAllocation.builder()
        .allocatedUsageQuantity(a.allocatedUsageQuantity())
        .tags(a.tags().isEmpty() ? null : a.tags().stream()
            .map(t -> software.amazon.awssdk.services.marketplacemetering.model.Tag.builder().key(t.key()).value(t.value()).build())
            .toList())
        .build();
  }

  private static UsageRecord fromSdk(software.amazon.awssdk.services.marketplacemetering.model.UsageRecord r) {
    return UsageRecord.builder()
        .timestamp(r.timestamp())
        .customerIdentifier(r.customerIdentifier())
        .customerAwsAccountId(r.customerAWSAccountId())
        .dimension(r.dimension())
        .quantity(r.quantity() == null ? 0 : r.quantity())
        .usageAllocations(r.usageAllocations().stream()
            .map(a -> new UsageAllocation(a.allocatedUsageQuantity(),
                a.tags().stream().map(t -> Tag.of(t.key(), t.value())).toList()))
            .toList())
        .build();
  }
}
