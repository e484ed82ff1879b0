package io.meterbridge.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.SigV4Exception.Reason;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class SigV4AuthorizationTest {

  private static final String SIGNATURE =
      "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
  private static final String HEADER = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/"
      + "service/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + SIGNATURE;

  @Test
  void parse_suiteHeader_readsEveryComponent() {
    SigV4Authorization auth = SigV4Authorization.parse(HEADER);

    assertThat(auth.accessKeyId()).isEqualTo("AKIDEXAMPLE");
    assertThat(auth.date()).isEqualTo("20150830");
    assertThat(auth.region()).isEqualTo("us-east-1");
    assertThat(auth.service()).isEqualTo("service");
    assertThat(auth.signedHeaders()).containsExactly("host", "x-amz-date");
    assertThat(auth.signature()).isEqualTo(SIGNATURE);
    assertThat(auth.scope()).isEqualTo("20150830/us-east-1/service/aws4_request");
  }

  @Test
  void parse_thenToHeaderValue_roundTrips() {
    assertThat(SigV4Authorization.parse(HEADER).toHeaderValue()).isEqualTo(HEADER);
  }

  @Test
  void parse_componentsReorderedWithoutSpaces_parses() {
    SigV4Authorization auth = SigV4Authorization.parse("  AWS4-HMAC-SHA256 Signature=" + SIGNATURE
        + ",SignedHeaders=host,Credential=AKID/20150830/eu-west-1/aws-marketplace/aws4_request  ");

    assertThat(auth.accessKeyId()).isEqualTo("AKID");
    assertThat(auth.region()).isEqualTo("eu-west-1");
    assertThat(auth.service()).isEqualTo("aws-marketplace");
    assertThat(auth.signedHeaders()).containsExactly("host");
  }

  @Test
  void parse_otherAlgorithm_isUnsupportedAlgorithm() {
    assertParseFails(HEADER.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"),
        Reason.UNSUPPORTED_ALGORITHM)
        .hasMessage("Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'.");
  }

  @Test
  void parse_noAlgorithm_isMalformedAuthorization() {
    assertParseFails("Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request",
        Reason.MALFORMED_AUTHORIZATION)
        .hasMessage("Authorization header must start with the algorithm AWS4-HMAC-SHA256.");
  }

  @Test
  void parse_emptyValue_isMalformedAuthorization() {
    assertParseFails("   ", Reason.MALFORMED_AUTHORIZATION);
  }

  @Test
  void parse_algorithmOnly_isMissingComponentListingAll() {
    assertParseFails("AWS4-HMAC-SHA256", Reason.MISSING_COMPONENT)
        .hasMessage("Authorization header requires 'Credential' parameter. Authorization header"
            + " requires 'SignedHeaders' parameter. Authorization header requires 'Signature'"
            + " parameter. Authorization=AWS4-HMAC-SHA256");
  }

  @Test
  void parse_withoutSignature_isMissingComponent() {
    String header = HEADER.substring(0, HEADER.indexOf(", Signature="));

    assertParseFails(header, Reason.MISSING_COMPONENT)
        .hasMessageStartingWith("Authorization header requires 'Signature' parameter.");
  }

  @Test
  void parse_emptySignature_isMissingComponent() {
    assertParseFails(HEADER.replace(SIGNATURE, ""), Reason.MISSING_COMPONENT);
  }

  @Test
  void parse_duplicateComponent_isMalformedAuthorization() {
    assertParseFails(HEADER + ", Signature=" + SIGNATURE, Reason.MALFORMED_AUTHORIZATION)
        .hasMessage("Authorization header has component 'Signature' more than once.");
  }

  @Test
  void parse_unknownComponent_isMalformedAuthorization() {
    assertParseFails(HEADER + ", Extra=1", Reason.MALFORMED_AUTHORIZATION)
        .hasMessage("Authorization header has an unknown component 'Extra'.");
  }

  @Test
  void parse_componentWithoutEquals_isMalformedAuthorization() {
    assertParseFails(HEADER + ", garbage", Reason.MALFORMED_AUTHORIZATION)
        .hasMessage("Authorization header component 'garbage' is not a key=value pair.");
  }

  @Test
  void parse_credentialWithoutTerminator_isMalformedCredential() {
    assertParseFails(HEADER.replace("/aws4_request", ""), Reason.MALFORMED_CREDENTIAL)
        .hasMessage("Credential 'AKIDEXAMPLE/20150830/us-east-1/service' must be"
            + " <access key id>/<yyyyMMdd>/<region>/<service>/aws4_request.");
  }

  @Test
  void parse_credentialWithWrongTerminator_isMalformedCredential() {
    assertParseFails(HEADER.replace("/aws4_request", "/aws4_requests"), Reason.MALFORMED_CREDENTIAL)
        .hasMessage("Credential should be scoped with a valid terminator: 'aws4_request', not"
            + " 'aws4_requests'.");
  }

  @Test
  void parse_credentialWithImpossibleDate_isMalformedCredential() {
    assertParseFails(HEADER.replace("20150830", "20150230"), Reason.MALFORMED_CREDENTIAL)
        .hasMessage("Credential 'AKIDEXAMPLE/20150230/us-east-1/service/aws4_request' must be"
            + " scoped to a date in yyyyMMdd format, not '20150230'.");
  }

  @Test
  void parse_credentialWithEmptyAccessKey_isMalformedCredential() {
    assertParseFails(HEADER.replace("AKIDEXAMPLE", ""), Reason.MALFORMED_CREDENTIAL);
  }

  @Test
  void parse_unsortedSignedHeaders_isMalformedSignedHeaders() {
    assertParseFails(HEADER.replace("host;x-amz-date", "x-amz-date;host"),
        Reason.MALFORMED_SIGNED_HEADERS)
        .hasMessage("SignedHeaders x-amz-date;host must be sorted and distinct: 'host' follows"
            + " 'x-amz-date'.");
  }

  @Test
  void parse_upperCaseSignedHeader_isMalformedSignedHeaders() {
    assertParseFails(HEADER.replace("host;x-amz-date", "Host;x-amz-date"),
        Reason.MALFORMED_SIGNED_HEADERS)
        .hasMessage("SignedHeaders name 'Host' must be a lower-case header name.");
  }

  @Test
  void parse_emptySignedHeaderName_isMalformedSignedHeaders() {
    assertParseFails(HEADER.replace("host;x-amz-date", "host;;x-amz-date"),
        Reason.MALFORMED_SIGNED_HEADERS)
        .hasMessage("SignedHeaders host;;x-amz-date contains an empty header name.");
  }

  @Test
  void parse_shortSignature_isMalformedSignature() {
    assertParseFails(HEADER.replace(SIGNATURE, "abc123"), Reason.MALFORMED_SIGNATURE)
        .hasMessage("Signature must be 64 lower-case hex digits, got 'abc123'.");
  }

  @Test
  void parse_upperCaseHexSignature_isMalformedSignature() {
    assertParseFails(HEADER.replace(SIGNATURE, SIGNATURE.toUpperCase()), Reason.MALFORMED_SIGNATURE);
  }

  @Test
  void reason_incomplete_separatesMissingFromInvalid() {
    assertThat(Reason.MISSING_COMPONENT.incomplete()).isTrue();
    assertThat(Reason.MALFORMED_AUTHORIZATION.incomplete()).isTrue();
    assertThat(Reason.UNSUPPORTED_ALGORITHM.incomplete()).isTrue();
    assertThat(Reason.MALFORMED_CREDENTIAL.incomplete()).isFalse();
    assertThat(Reason.MALFORMED_SIGNATURE.incomplete()).isFalse();
  }

  @Test
  void constructor_copiesSignedHeaders() {
    List<String> names = new java.util.ArrayList<>(List.of("host"));
    SigV4Authorization auth =
        new SigV4Authorization("AKID", "20150830", "us-east-1", "svc", names, SIGNATURE);
    names.add("x-amz-date");

    assertThat(auth.signedHeaders()).containsExactly("host");
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertParseFails(
      String header, Reason reason) {
    return assertThatThrownBy(() -> SigV4Authorization.parse(header))
        .isInstanceOf(SigV4Exception.class)
        .satisfies(e -> assertThat(((SigV4Exception) e).reason()).isEqualTo(reason));
  }
}
