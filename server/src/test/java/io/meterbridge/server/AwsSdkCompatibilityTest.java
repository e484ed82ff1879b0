package io.meterbridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.server.auth.Authenticator;
import io.meterbridge.server.http.HttpServer;
import io.meterbridge.server.throttle.Throttling;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.marketplacemetering.MarketplaceMeteringClient;
import software.amazon.awssdk.services.marketplacemetering.model.BatchMeterUsageResponse;
import software.amazon.awssdk.services.marketplacemetering.model.IdempotencyConflictException;
import software.amazon.awssdk.services.marketplacemetering.model.InternalServiceErrorException;
import software.amazon.awssdk.services.marketplacemetering.model.MarketplaceMeteringException;
import software.amazon.awssdk.services.marketplacemetering.model.ThrottlingException;
import software.amazon.awssdk.services.marketplacemetering.model.UsageRecord;
import software.amazon.awssdk.services.marketplacemetering.model.UsageRecordResultStatus;

/** The official AWS SDK for Java v2, unchanged, against the server. */
class AwsSdkCompatibilityTest {
  final CannedService service = new CannedService();
  HttpServer server;
  MarketplaceMeteringClient sdk;

  @BeforeEach
  void start() {
    server = HttpServer.builder().port(0).regions("us-west-2").service(service)
        .authenticator(Authenticator.anyCredentials("123456789012", "us-west-2"))
        .throttling(Throttling.defaults())
        .build().start();
    sdk = MarketplaceMeteringClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + server.port()))
        .region(Region.US_WEST_2)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  @AfterEach
  void stop() {
    sdk.close();
    server.close();
  }

  @Test
  void batchMeterUsage_roundTripsThroughTheSdk() {
    BatchMeterUsageResponse response = sdk.batchMeterUsage(r -> r.productCode("prod-abc").usageRecords(
        UsageRecord.builder().timestamp(Instant.ofEpochSecond(1_767_225_600L)).customerAWSAccountId("111122223333")
            .dimension("api_calls").quantity(5).build()));

    assertThat(response.results()).singleElement().satisfies(result -> {
      assertThat(result.status()).isEqualTo(UsageRecordResultStatus.SUCCESS);
      assertThat(result.meteringRecordId()).isEqualTo(CannedService.RECORD_ID);
      assertThat(result.usageRecord().quantity()).isEqualTo(5);
    });
    assertThat(response.responseMetadata().requestId()).isEqualTo(service.contexts.get(0).requestId());
    assertThat(service.contexts.get(0).caller().accessKeyId()).isEqualTo("AKIDEXAMPLE");
    assertThat(service.contexts.get(0).region()).isEqualTo("us-west-2");
  }

  @Test
  void meterUsage_registerUsage_resolveCustomer_roundTripThroughTheSdk() {
    assertThat(sdk.meterUsage(r -> r.productCode("p").timestamp(Instant.now()).usageDimension("d")).meteringRecordId())
        .isEqualTo(CannedService.RECORD_ID);
    assertThat(sdk.registerUsage(r -> r.productCode("p").publicKeyVersion(1)).signature())
        .isEqualTo(CannedService.SIGNATURE);
    assertThat(sdk.resolveCustomer(r -> r.registrationToken("tok")).customerAWSAccountId())
        .isEqualTo("111122223333");
  }

  @Test
  void modelledError_becomesTheSdksExceptionWithStatusAndRequestId() {
    service.throwing(new io.meterbridge.exception.IdempotencyConflictException("token reused"));

    assertThatThrownBy(() -> sdk.meterUsage(r -> r.productCode("p").timestamp(Instant.now()).usageDimension("d")))
        .isInstanceOfSatisfying(IdempotencyConflictException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(409);
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("token reused");
          assertThat(e.requestId()).isEqualTo(service.contexts.get(0).requestId());
        });
  }

  @Test
  void internalError_becomesTheSdksInternalServiceErrorException() {
    service.throwing(new IllegalStateException("boom"));

    assertThatThrownBy(() -> sdk.resolveCustomer(r -> r.registrationToken("tok")))
        .isInstanceOf(InternalServiceErrorException.class);
  }

  @Test
  void validationError_reachesTheSdkWithItsCode() {
    assertThatThrownBy(() -> sdk.meterUsage(r -> r.productCode("p").timestamp(Instant.now()).usageDimension("d")
        .usageQuantity(-1)))
        .isInstanceOfSatisfying(MarketplaceMeteringException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(e.awsErrorDetails().errorMessage()).contains("usageQuantity: -1 is below the minimum 0");
        });
  }

  @Test
  void throttling_becomesTheSdksThrottlingException() {
    for (int i = 0; i < 5; i++) {
      sdk.registerUsage(r -> r.productCode("p").publicKeyVersion(1));
    }

    assertThatThrownBy(() -> {
      for (int i = 0; i < 20; i++) {
        sdk.registerUsage(r -> r.productCode("p").publicKeyVersion(1));
      }
    }).isInstanceOfSatisfying(ThrottlingException.class, e -> assertThat(e.isThrottlingException()).isTrue());
  }
}
