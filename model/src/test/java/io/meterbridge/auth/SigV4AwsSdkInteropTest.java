package io.meterbridge.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.auth.SigV4Verification.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Cross-checks against the AWS SDK for Java v2 signer, which real Metering clients use: our
 * verifier must accept what it signs, and our signer must produce the same signature for the
 * same headers.
 */
class SigV4AwsSdkInteropTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:15:30Z");
  private static final String HOST = "metering.marketplace.us-east-1.amazonaws.com";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final byte[] BODY =
      "{\"ProductCode\":\"abc\",\"Timestamp\":1772359200,\"UsageDimension\":\"users\"}"
          .getBytes(UTF_8);

  private final SigV4Verifier verifier =
      SigV4Verifier.builder().service("aws-marketplace").region("us-east-1").build();

  @Test
  void verify_meterUsageSignedByAwsSdk_isValid() {
    SignableRequest request = signWithAwsSdk(AwsCredentialsIdentity.create("AKIDEXAMPLE", SECRET));

    assertThat(verify(request).outcome()).isEqualTo(Outcome.VALID);
  }

  @Test
  void verify_sessionCredentialsSignedByAwsSdk_isValidAndTokenIsSigned() {
    SignableRequest request = signWithAwsSdk(
        AwsSessionCredentialsIdentity.create("ASIAEXAMPLE", SECRET, "session-token-value"));

    assertThat(verify(request).outcome()).isEqualTo(Outcome.VALID);
    assertThat(authorization(request).signedHeaders()).contains("x-amz-security-token");
  }

  @Test
  void verify_awsSdkRequestWithTamperedBody_isRejected() {
    SignableRequest request = signWithAwsSdk(AwsCredentialsIdentity.create("AKIDEXAMPLE", SECRET));
    SignableRequest tampered = request.toBuilder().body("{\"ProductCode\":\"xyz\"}".getBytes(UTF_8))
        .build();

    assertThat(verify(tampered).isValid()).isFalse();
  }

  @Test
  void sign_sameHeadersAsAwsSdk_producesSameAuthorization() {
    SignableRequest sdkSigned =
        signWithAwsSdk(AwsCredentialsIdentity.create("AKIDEXAMPLE", SECRET));
    SignableRequest unsigned = sdkSigned.withHeaders(sdkSigned.headers().toBuilder()
        .remove("Authorization").remove("X-Amz-Date").build());

    SigningResult ours = SigV4Signer.builder().service("aws-marketplace").region("us-east-1")
        .build().sign(unsigned, AwsCredentials.of("AKIDEXAMPLE", SECRET), NOW);

    assertThat(ours.authorizationHeader())
        .isEqualTo(sdkSigned.headers().firstValue("Authorization").orElseThrow());
  }

  private SigV4Verification verify(SignableRequest request) {
    return verifier.verify(request, authorization(request), SECRET, NOW);
  }

  private static SigV4Authorization authorization(SignableRequest request) {
    return SigV4Authorization.parse(request.headers().firstValue("Authorization").orElseThrow());
  }

  /** Signs a MeterUsage call with the SDK and converts the result the way our server would. */
  private static SignableRequest signWithAwsSdk(AwsCredentialsIdentity identity) {
    SdkHttpRequest request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.POST)
        .protocol("https")
        .host(HOST)
        .encodedPath("/")
        .putHeader("Content-Type", "application/x-amz-json-1.1")
        .putHeader("X-Amz-Target", "AWSMPMeteringService.MeterUsage")
        .putHeader("Content-Length", Integer.toString(BODY.length))
        .build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(identity)
        .request(request)
        .payload(ContentStreamProvider.fromByteArray(BODY))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "aws-marketplace")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC)));
    SignableRequest.Builder ours = SignableRequest.builder()
        .method(signed.request().method().name())
        .path(signed.request().encodedPath())
        .body(BODY);
    for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
      header.getValue().forEach(value -> ours.header(header.getKey(), value));
    }
    return ours.build();
  }
}
