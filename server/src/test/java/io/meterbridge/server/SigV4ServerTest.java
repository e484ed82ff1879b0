package io.meterbridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.server.auth.AccessKeys;
import io.meterbridge.server.auth.SigV4Authenticator;
import io.meterbridge.server.http.HttpServer;
import io.meterbridge.server.store.AccessKey;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.marketplacemetering.MarketplaceMeteringClient;
import software.amazon.awssdk.services.marketplacemetering.model.MarketplaceMeteringException;

/** The AWS SDK for Java v2 signs; the server verifies. */
class SigV4ServerTest {
  final CannedService service = new CannedService();
  HttpServer server;
  MarketplaceMeteringClient sdk;

  void start(Clock clock) {
    server = HttpServer.builder().port(0).regions("us-east-1").service(service)
        .authenticator(SigV4Authenticator.builder()
            .regions("us-east-1")
            .keys(AccessKeys.of(new AccessKey("AKIDSELLER", "123456789012", "seller-secret")))
            .clock(clock)
            .build())
        .build().start();
  }

  MarketplaceMeteringClient sdk(AwsCredentials credentials) {
    sdk = MarketplaceMeteringClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + server.port()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
    return sdk;
  }

  @AfterEach
  void stop() {
    if (sdk != null) {
      sdk.close();
    }
    server.close();
  }

  @Test
  void sdkSignedCall_isAuthenticatedAsTheKeysAccount() {
    start(Clock.systemUTC());

    sdk(AwsBasicCredentials.create("AKIDSELLER", "seller-secret")).resolveCustomer(r -> r.registrationToken("tok"));

    assertThat(service.contexts.get(0).caller()).isEqualTo(new Caller("123456789012", "AKIDSELLER", "AKIDSELLER", "us-east-1"));
  }

  @Test
  void sdkSignedCallWithASessionToken_isAuthenticated() {
    start(Clock.systemUTC());

    sdk(AwsSessionCredentials.create("AKIDSELLER", "seller-secret", "session-token"))
        .meterUsage(r -> r.productCode("p").timestamp(java.time.Instant.now()).usageDimension("d"));

    assertThat(service.calls).hasValue(1);
  }

  @Test
  void wrongSecret_reachesTheSdkAsInvalidSignatureException() {
    start(Clock.systemUTC());

    assertThatThrownBy(() -> sdk(AwsBasicCredentials.create("AKIDSELLER", "guess")).resolveCustomer(r -> r.registrationToken("tok")))
        .isInstanceOfSatisfying(MarketplaceMeteringException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException"));
    assertThat(service.calls).hasValue(0);
  }

  @Test
  void unknownKey_reachesTheSdkAsUnrecognizedClientException() {
    start(Clock.systemUTC());

    assertThatThrownBy(() -> sdk(AwsBasicCredentials.create("AKIDNOBODY", "x")).resolveCustomer(r -> r.registrationToken("tok")))
        .isInstanceOfSatisfying(MarketplaceMeteringException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
  }

  @Test
  void clientClockTwentyMinutesBehind_isSignatureExpired() {
    start(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(20)));

    assertThatThrownBy(() -> sdk(AwsBasicCredentials.create("AKIDSELLER", "seller-secret")).resolveCustomer(r -> r.registrationToken("tok")))
        .isInstanceOfSatisfying(MarketplaceMeteringException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
          assertThat(e.awsErrorDetails().errorMessage()).startsWith("Signature expired: ");
        });
  }

  @Test
  void unsignedRequest_isMissingAuthenticationToken() throws Exception {
    start(Clock.systemUTC());
    try (RawHttp connection = new RawHttp(server.port())) {
      RawHttp.Response response = connection.send(RawHttp.post("ResolveCustomer", "{\"RegistrationToken\":\"tok\"}")).read();

      assertThat(response.status()).isEqualTo(403);
      assertThat(response.header("x-amzn-ErrorType")).isEqualTo("MissingAuthenticationTokenException");
    }
  }
}
