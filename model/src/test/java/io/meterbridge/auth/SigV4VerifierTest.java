package io.meterbridge.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.SigV4Verification.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SigV4VerifierTest {

  private static final Instant NOW = Instant.parse("2015-08-30T12:36:00Z");
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final AwsCredentials CREDENTIALS = AwsCredentials.of("AKIDEXAMPLE", SECRET);

  private final SigV4Signer signer =
      SigV4Signer.builder().service("aws-marketplace").region("us-east-1").build();
  private final SigV4Verifier verifier =
      SigV4Verifier.builder().service("aws-marketplace").region("us-east-1").build();
  private final SignableRequest request = SignableRequest.builder()
      .method("POST")
      .target("/")
      .header("Host", "metering.marketplace.us-east-1.amazonaws.com")
      .header("Content-Type", "application/x-amz-json-1.1")
      .header("X-Amz-Target", "AWSMPMeteringService.MeterUsage")
      .body("{\"ProductCode\":\"abc\"}".getBytes(UTF_8))
      .build();

  @Test
  void verify_whatTheSignerSigned_isValid() {
    SignableRequest signed = signer.sign(request, CREDENTIALS, NOW).request();

    SigV4Verification verdict = verify(signed, SECRET, NOW);

    assertThat(verdict.isValid()).isTrue();
    assertThat(verdict.canonicalRequest()).isEmpty();
  }

  @Test
  void verify_tamperedBody_isSignatureMismatchWithCanonicalRequest() {
    SignableRequest signed = signer.sign(request, CREDENTIALS, NOW).request();
    SignableRequest tampered = signed.toBuilder().body("{\"ProductCode\":\"xyz\"}".getBytes(UTF_8))
        .build();

    SigV4Verification verdict = verify(tampered, SECRET, NOW);

    assertThat(verdict.outcome()).isEqualTo(Outcome.SIGNATURE_MISMATCH);
    assertThat(verdict.message()).startsWith(
        "The request signature we calculated does not match the signature you provided.");
    assertThat(verdict.canonicalRequest()).hasValueSatisfying(
        c -> assertThat(c).startsWith("POST\n/\n\ncontent-type:application/x-amz-json-1.1\n"));
    assertThat(verdict.stringToSign()).hasValueSatisfying(
        s -> assertThat(s).startsWith("AWS4-HMAC-SHA256\n20150830T123600Z\n"));
  }

  @Test
  void verify_tamperedSignedHeader_isSignatureMismatch() {
    SignableRequest signed = signer.sign(request, CREDENTIALS, NOW).request();
    SignableRequest tampered = signed.withHeaders(signed.headers().toBuilder()
        .set("X-Amz-Target", "AWSMPMeteringService.BatchMeterUsage").build());

    assertThat(verify(tampered, SECRET, NOW).outcome()).isEqualTo(Outcome.SIGNATURE_MISMATCH);
  }

  @Test
  void verify_tamperedDateSameDay_isSignatureMismatch() {
    SignableRequest signed = signer.sign(request, CREDENTIALS, NOW).request();
    SignableRequest tampered = signed.withHeaders(signed.headers().toBuilder()
        .set("X-Amz-Date", "20150830T123601Z").build());

    assertThat(verify(tampered, SECRET, NOW).outcome()).isEqualTo(Outcome.SIGNATURE_MISMATCH);
  }

  @Test
  void verify_tamperedDateOtherDay_isDateScopeMismatch() {
    SignableRequest signed = signer.sign(request, CREDENTIALS, NOW).request();
    SignableRequest tampered = signed.withHeaders(signed.headers().toBuilder()
        .set("X-Amz-Date", "20150831T000100Z").build());

    SigV4Verification verdict = verify(tampered, SECRET, Instant.parse("2015-08-31T00:01:00Z"));

    assertThat(verdict.outcome()).isEqualTo(Outcome.DATE_SCOPE_MISMATCH);
    assertThat(verdict.message()).isEqualTo("Date in Credential scope does not match YYYYMMDD from"
        + " ISO-8601 version of date from HTTP: '20150830' != '20150831', from '20150831T000100Z'.");
  }

  @Test
  void verify_wrongSecret_isSignatureMismatch() {
    SignableRequest signed = signer.sign(request, CREDENTIALS, NOW).request();

    assertThat(verify(signed, "another-secret", NOW).outcome())
        .isEqualTo(Outcome.SIGNATURE_MISMATCH);
  }

  @Test
  void verify_unsignedHeaderAddedAfterSigning_isStillValid() {
    SignableRequest signed = signer.sign(request, CREDENTIALS, NOW).request();
    SignableRequest proxied = signed.withHeaders(signed.headers().toBuilder()
        .add("User-Agent", "proxy/1.0").add("Via", "1.1 proxy").build());

    assertThat(verify(proxied, SECRET, NOW).isValid()).isTrue();
  }

  @Test
  void verify_sessionToken_isSignedAndValid() {
    AwsCredentials session = AwsCredentials.session("ASIAEXAMPLE", SECRET, "token-1", null);
    SignableRequest signed = signer.sign(request, session, NOW).request();

    assertThat(signed.headers().firstValue("X-Amz-Security-Token")).hasValue("token-1");
    assertThat(authorization(signed).signedHeaders()).contains("x-amz-security-token");
    assertThat(verify(signed, SECRET, NOW).isValid()).isTrue();
  }

  @Test
  void verify_sessionTokenReplaced_isSignatureMismatch() {
    AwsCredentials session = AwsCredentials.session("ASIAEXAMPLE", SECRET, "token-1", null);
    SignableRequest signed = signer.sign(request, session, NOW).request();
    SignableRequest tampered = signed.withHeaders(signed.headers().toBuilder()
        .set("X-Amz-Security-Token", "token-2").build());

    assertThat(verify(tampered, SECRET, NOW).outcome()).isEqualTo(Outcome.SIGNATURE_MISMATCH);
  }

  @Test
  void verify_sessionTokenAddedUnsigned_isRequiredHeaderNotSigned() {
    SignableRequest signed = signer.sign(request, CREDENTIALS, NOW).request();
    SignableRequest withToken = signed.withHeaders(signed.headers().toBuilder()
        .add("X-Amz-Security-Token", "token-1").build());

    SigV4Verification verdict = verify(withToken, SECRET, NOW);

    assertThat(verdict.outcome()).isEqualTo(Outcome.REQUIRED_HEADER_NOT_SIGNED);
    assertThat(verdict.message())
        .isEqualTo("'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.");
  }

  @Test
  void verify_dateOlderThanSkew_isExpired() {
    SignableRequest signed = signer.sign(request, CREDENTIALS, NOW).request();

    SigV4Verification verdict = verify(signed, SECRET, NOW.plus(Duration.ofMinutes(20)));

    assertThat(verdict.outcome()).isEqualTo(Outcome.EXPIRED);
    assertThat(verdict.message()).isEqualTo("Signature expired: 20150830T123600Z is now earlier"
        + " than 20150830T124100Z (20150830T125600Z - 15 min.)");
  }

  @Test
  void verify_dateAheadOfSkew_isNotYetCurrent() {
    SignableRequest signed = signer.sign(request, CREDENTIALS, NOW).request();

    SigV4Verification verdict = verify(signed, SECRET, NOW.minus(Duration.ofMinutes(16)));

    assertThat(verdict.outcome()).isEqualTo(Outcome.NOT_YET_CURRENT);
    assertThat(verdict.message()).isEqualTo("Signature not yet current: 20150830T123600Z is still"
        + " later than 20150830T123500Z (20150830T122000Z + 15 min.)");
  }

  @Test
  void verify_dateExactlyAtSkewLimit_isValid() {
    SignableRequest signed = signer.sign(request, CREDENTIALS, NOW).request();

    assertThat(verify(signed, SECRET, NOW.plus(Duration.ofMinutes(15))).isValid()).isTrue();
    assertThat(verify(signed, SECRET, NOW.minus(Duration.ofMinutes(15))).isValid()).isTrue();
  }

  @Test
  void verify_customSkew_isHonoured() {
    SigV4Verifier strict = SigV4Verifier.builder().service("aws-marketplace").region("us-east-1")
        .maxClockSkew(Duration.ofMinutes(1)).build();
    SignableRequest signed = signer.sign(request, CREDENTIALS, NOW).request();

    SigV4Verification verdict = strict.verify(signed, authorization(signed), SECRET,
        NOW.plus(Duration.ofMinutes(2)));

    assertThat(verdict.outcome()).isEqualTo(Outcome.EXPIRED);
    assertThat(verdict.message()).endsWith("- 1 min.)");
  }

  @Test
  void verify_noDateHeader_isMissingDate() {
    SignableRequest signed = signer.sign(request, CREDENTIALS, NOW).request();
    SignableRequest undated =
        signed.withHeaders(signed.headers().toBuilder().remove("X-Amz-Date").build());

    SigV4Verification verdict = verify(undated, SECRET, NOW);

    assertThat(verdict.outcome()).isEqualTo(Outcome.MISSING_DATE);
    assertThat(verdict.message())
        .startsWith("Authorization header requires existence of a 'X-Amz-Date' header.");
  }

  @Test
  void verify_malformedDateHeader_isMalformedDate() {
    SignableRequest signed = signer.sign(request, CREDENTIALS, NOW).request();
    SignableRequest bad = signed.withHeaders(signed.headers().toBuilder()
        .set("X-Amz-Date", "2015-08-30T12:36:00Z").build());

    SigV4Verification verdict = verify(bad, SECRET, NOW);

    assertThat(verdict.outcome()).isEqualTo(Outcome.MALFORMED_DATE);
    assertThat(verdict.message()).isEqualTo("X-Amz-Date must be in ISO-8601 basic format"
        + " yyyyMMdd'T'HHmmss'Z'. Got '2015-08-30T12:36:00Z'.");
  }

  @Test
  void verify_otherRegion_isWrongRegion() {
    SigV4Signer euSigner = SigV4Signer.builder().service("aws-marketplace").region("eu-west-1")
        .build();
    SignableRequest signed = euSigner.sign(request, CREDENTIALS, NOW).request();

    SigV4Verification verdict = verify(signed, SECRET, NOW);

    assertThat(verdict.outcome()).isEqualTo(Outcome.WRONG_REGION);
    assertThat(verdict.message())
        .isEqualTo("Credential should be scoped to a valid region, not 'eu-west-1'.");
  }

  @Test
  void verify_otherService_isWrongService() {
    SigV4Signer s3Signer = SigV4Signer.builder().service("s3").region("us-east-1").build();
    SignableRequest signed = s3Signer.sign(request, CREDENTIALS, NOW).request();

    SigV4Verification verdict = verify(signed, SECRET, NOW);

    assertThat(verdict.outcome()).isEqualTo(Outcome.WRONG_SERVICE);
    assertThat(verdict.message())
        .isEqualTo("Credential should be scoped to correct service: 'aws-marketplace'.");
  }

  @Test
  void verify_signedHeaderRemovedInTransit_isSignedHeaderAbsent() {
    SignableRequest signed = signer.sign(request, CREDENTIALS, NOW).request();
    SignableRequest stripped =
        signed.withHeaders(signed.headers().toBuilder().remove("X-Amz-Target").build());

    SigV4Verification verdict = verify(stripped, SECRET, NOW);

    assertThat(verdict.outcome()).isEqualTo(Outcome.SIGNED_HEADER_ABSENT);
    assertThat(verdict.message()).isEqualTo(
        "Header 'x-amz-target' is listed in SignedHeaders but not present in the request.");
  }

  @Test
  void verify_hostNotSigned_isRequiredHeaderNotSigned() {
    SignableRequest signed = signer.sign(request, CREDENTIALS, NOW).request();
    SigV4Authorization auth = authorization(signed);
    SigV4Authorization withoutHost = new SigV4Authorization(auth.accessKeyId(), auth.date(),
        auth.region(), auth.service(), List.of("x-amz-date"), auth.signature());

    SigV4Verification verdict = verifier.verify(signed, withoutHost, SECRET, NOW);

    assertThat(verdict.outcome()).isEqualTo(Outcome.REQUIRED_HEADER_NOT_SIGNED);
    assertThat(verdict.message())
        .isEqualTo("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  @Test
  void verify_contentSha256NotMatchingBody_isPayloadHashMismatch() {
    SigV4Signer hashingSigner = SigV4Signer.builder().service("aws-marketplace")
        .region("us-east-1").contentSha256Header(true).build();
    SignableRequest signed = hashingSigner.sign(request, CREDENTIALS, NOW).request();
    SignableRequest tampered = signed.toBuilder().body("{}".getBytes(UTF_8)).build();

    assertThat(verify(signed, SECRET, NOW).isValid()).isTrue();
    SigV4Verification verdict = verify(tampered, SECRET, NOW);
    assertThat(verdict.outcome()).isEqualTo(Outcome.PAYLOAD_HASH_MISMATCH);
    assertThat(verdict.message()).isEqualTo(
        "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  @Test
  void verify_unsignedPayloadClaim_isPayloadHashMismatch() {
    SignableRequest claimed = request.withHeaders(request.headers().toBuilder()
        .add("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD").build());
    SignableRequest signed = signer.sign(claimed, CREDENTIALS, NOW).request();

    assertThat(verify(signed, SECRET, NOW).outcome()).isEqualTo(Outcome.PAYLOAD_HASH_MISMATCH);
  }

  @Test
  void verify_requestBuiltFromPayloadHash_isValid() {
    SignableRequest signed = signer.sign(request, CREDENTIALS, NOW).request();
    SignableRequest hashed = signed.toBuilder().payloadHash(request.payloadHash()).build();

    assertThat(hashed.body()).isEmpty();
    assertThat(verify(hashed, SECRET, NOW).isValid()).isTrue();
  }

  @Test
  void build_withoutRegion_throwsIllegalState() {
    assertThatThrownBy(() -> SigV4Verifier.builder().service("aws-marketplace").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("region must be set");
  }

  private SigV4Verification verify(SignableRequest signed, String secret, Instant now) {
    return verifier.verify(signed, authorization(signed), secret, now);
  }

  private static SigV4Authorization authorization(SignableRequest signed) {
    return SigV4Authorization.parse(signed.headers().firstValue("Authorization").orElseThrow());
  }
}
