package io.meterbridge.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SigV4SignerTest {

  private static final Instant NOW = Instant.parse("2015-08-30T12:36:00Z");
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final AwsCredentials CREDENTIALS = AwsCredentials.of("AKIDEXAMPLE", SECRET);

  private final SigV4Signer signer =
      SigV4Signer.builder().service("service").region("us-east-1").build();
  private final SignableRequest request = SignableRequest.builder()
      .method("POST")
      .header("Host", "example.amazonaws.com")
      .body("{}".getBytes(UTF_8))
      .build();

  @Test
  void sign_permanentCredentials_addsDateThenAuthorization() {
    SigningResult result = signer.sign(request, CREDENTIALS, NOW);

    assertThat(names(result.addedHeaders())).containsExactly("X-Amz-Date", "Authorization");
    assertThat(result.addedHeaders().firstValue("x-amz-date")).hasValue("20150830T123600Z");
    assertThat(result.request().headers().firstValue("authorization"))
        .hasValue(result.authorizationHeader());
    assertThat(result.authorization().signedHeaders()).containsExactly("host", "x-amz-date");
  }

  @Test
  void sign_sessionCredentials_addsAndSignsToken() {
    AwsCredentials session = AwsCredentials.session("ASIAEXAMPLE", SECRET, "the-token", null);

    SigningResult result = signer.sign(request, session, NOW);

    assertThat(names(result.addedHeaders()))
        .containsExactly("X-Amz-Security-Token", "X-Amz-Date", "Authorization");
    assertThat(result.authorization().signedHeaders())
        .containsExactly("host", "x-amz-date", "x-amz-security-token");
    assertThat(result.canonicalRequest()).contains("\nx-amz-security-token:the-token\n");
  }

  @Test
  void sign_contentSha256Enabled_addsAndSignsBodyHash() {
    SigV4Signer hashing = SigV4Signer.builder().service("service").region("us-east-1")
        .contentSha256Header(true).build();

    SigningResult result = hashing.sign(request, CREDENTIALS, NOW);

    assertThat(result.addedHeaders().firstValue("x-amz-content-sha256"))
        .hasValue(request.payloadHash());
    assertThat(result.authorization().signedHeaders()).contains("x-amz-content-sha256");
  }

  @Test
  void sign_alreadySignedRequest_replacesEarlierSigningHeaders() {
    AwsCredentials session = AwsCredentials.session("ASIAEXAMPLE", SECRET, "the-token", null);
    SignableRequest first = signer.sign(request, session, NOW).request();

    SigningResult retry = signer.sign(first, session, NOW.plusSeconds(2));

    RequestHeaders headers = retry.request().headers();
    assertThat(headers.values("authorization")).hasSize(1);
    assertThat(headers.values("x-amz-date")).containsExactly("20150830T123602Z");
    assertThat(headers.values("x-amz-security-token")).containsExactly("the-token");
    assertThat(retry.authorization().signedHeaders())
        .containsExactly("host", "x-amz-date", "x-amz-security-token");
  }

  @Test
  void sign_userAgentAndTraceId_areNotSigned() {
    SignableRequest withVolatile = request.withHeaders(request.headers().toBuilder()
        .add("User-Agent", "meterbridge/0.1").add("X-Amzn-Trace-Id", "Root=1").build());

    SigningResult result = signer.sign(withVolatile, CREDENTIALS, NOW);

    assertThat(result.authorization().signedHeaders()).containsExactly("host", "x-amz-date");
    assertThat(result.signature()).isEqualTo(signer.sign(request, CREDENTIALS, NOW).signature());
  }

  @Test
  void sign_differentDay_derivesDifferentKey() {
    String today = signer.sign(request, CREDENTIALS, NOW).signature();
    String tomorrow = signer.sign(request, CREDENTIALS, NOW.plusSeconds(86_400)).signature();

    assertThat(today).isNotEqualTo(tomorrow);
  }

  @Test
  void sign_cachedSigningKey_equalsFreshDerivation() {
    byte[] cached = SigningKeys.signingKey(SECRET, "20150830", "us-east-1", "service");

    assertThat(SigningKeys.signingKey(SECRET, "20150830", "us-east-1", "service"))
        .isSameAs(cached)
        .isEqualTo(SigningKeys.derive(SECRET, "20150830", "us-east-1", "service"));
    // The derived keys published in the AWS SigV4 documentation (IAM examples).
    assertThat(Sha256.hex(SigningKeys.signingKey(SECRET, "20150830", "us-east-1", "iam")))
        .isEqualTo("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
    assertThat(Sha256.hex(SigningKeys.signingKey(SECRET, "20120215", "us-east-1", "iam")))
        .isEqualTo("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
  }

  @Test
  void sign_withoutHostHeader_throwsIllegalArgument() {
    SignableRequest noHost = SignableRequest.builder().method("POST").build();

    assertThatThrownBy(() -> signer.sign(noHost, CREDENTIALS, NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("SigV4 signs the Host header, but the request has none");
  }

  @Test
  void build_withoutService_throwsIllegalState() {
    assertThatThrownBy(() -> SigV4Signer.builder().region("us-east-1").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("service must be set to a name without spaces or slashes, got null");
  }

  @Test
  void toString_signedRequestAndResult_maskAuthorizationAndToken() {
    AwsCredentials session = AwsCredentials.session("ASIAEXAMPLE", SECRET, "the-token", null);

    SigningResult result = signer.sign(request, session, NOW);

    assertThat(result.request().toString())
        .contains("Authorization: ***", "X-Amz-Security-Token: ***")
        .doesNotContain("the-token", "Signature=");
    assertThat(result.toString()).doesNotContain("the-token", "Signature=");
  }

  private static List<String> names(RequestHeaders headers) {
    List<String> names = new ArrayList<>();
    headers.forEach((name, value) -> names.add(name));
    return names;
  }
}
