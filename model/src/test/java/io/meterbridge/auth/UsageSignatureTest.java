package io.meterbridge.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.InvalidUsageSignatureException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UsageSignatureTest {

  // Generating RSA keys takes a noticeable fraction of a second: once per class.
  static KeyPair key;
  static KeyPair otherKey;

  static final Instant ISSUED = Instant.parse("2026-08-01T12:00:00Z");
  static final UsageClaims CLAIMS = UsageClaims.builder()
      .productCode("4b7xmpe1k1fh8x9b4mb2jzq39")
      .publicKeyVersion(1)
      .nonce("n-123")
      .issuedAt(ISSUED)
      .build();

  @BeforeAll
  static void generateKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    key = generator.generateKeyPair();
    otherKey = generator.generateKeyPair();
  }

  /** Signs any header and payload with PS256, to build tokens {@link UsageSignature#sign} would not. */
  static String token(String header, String payload, KeyPair signer) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    Signature pss = Signature.getInstance("RSASSA-PSS");
    pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    pss.initSign(signer.getPrivate());
    pss.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + b64.encodeToString(pss.sign());
  }

  static String decodedSection(String jwt, int index) {
    return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]), StandardCharsets.UTF_8);
  }

  @Test
  void aSignedTokenVerifiesWithItsPublicKeyAndGivesBackTheClaims() {
    String jwt = UsageSignature.sign(CLAIMS, key.getPrivate());

    assertThat(UsageSignature.verify(jwt, key.getPublic())).isEqualTo(CLAIMS);
  }

  @Test
  void theTokenHasThePs256HeaderAndLowerCamelCaseClaimsWithoutPadding() {
    String jwt = UsageSignature.sign(CLAIMS, key.getPrivate());

    assertThat(jwt).doesNotContain("=").matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    assertThat(decodedSection(jwt, 0)).isEqualTo("{\"alg\":\"PS256\",\"typ\":\"JWT\"}");
    assertThat(decodedSection(jwt, 1)).isEqualTo(
        "{\"productCode\":\"4b7xmpe1k1fh8x9b4mb2jzq39\",\"publicKeyVersion\":1,\"nonce\":\"n-123\",\"iat\":1785585600}");
  }

  @Test
  void theJdkStandardPssVerifierAcceptsOurSignature() throws Exception {
    String jwt = UsageSignature.sign(CLAIMS, key.getPrivate());
    int lastDot = jwt.lastIndexOf('.');
    Signature pss = Signature.getInstance("RSASSA-PSS");
    pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    pss.initVerify(key.getPublic());
    pss.update(jwt.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));

    assertThat(pss.verify(Base64.getUrlDecoder().decode(jwt.substring(lastDot + 1)))).isTrue();
  }

  @Test
  void aTokenWithoutNonceLeavesTheClaimOutAndReadsBackAsAbsent() {
    UsageClaims noNonce = new UsageClaims("prod-x", 3, Optional.empty(), ISSUED);
    String jwt = UsageSignature.sign(noNonce, key.getPrivate());

    assertThat(decodedSection(jwt, 1)).doesNotContain("nonce");
    assertThat(UsageSignature.verify(jwt, key.getPublic()).nonce()).isEmpty();
  }

  @Test
  void claimsNamedAsInAwsGuideInUpperCamelCaseAreAccepted() throws Exception {
    String jwt = token("{\"alg\":\"PS256\",\"typ\":\"JWT\"}",
        "{\"ProductCode\":\"prod-x\",\"PublicKeyVersion\":2,\"Nonce\":\"abc\",\"iat\":1785585600}", key);

    assertThat(UsageSignature.verify(jwt, key.getPublic()))
        .isEqualTo(new UsageClaims("prod-x", 2, Optional.of("abc"), ISSUED));
  }

  @Test
  void aNullNonceAFractionalIatAndUnknownClaimsAreAccepted() throws Exception {
    String jwt = token("{\"typ\":\"JWT\",\"alg\":\"PS256\",\"kid\":\"1\"}",
        "{\"productCode\":\"prod-x\",\"publicKeyVersion\":1,\"nonce\":null,\"iat\":1785585600.75,"
            + "\"extra\":{\"nested\":[1,2]}}", key);

    assertThat(UsageSignature.verify(jwt, key.getPublic()))
        .isEqualTo(new UsageClaims("prod-x", 1, Optional.empty(), ISSUED));
  }

  @Test
  void issuedAtKeepsWholeSecondsSoClaimsSurviveTheRoundTrip() {
    UsageClaims claims = new UsageClaims("p", 1, Optional.empty(), ISSUED.plusMillis(999));

    assertThat(claims.issuedAt()).isEqualTo(ISSUED);
  }

  @Test
  void aTamperedPayloadIsRejectedAsABadSignature() {
    String jwt = UsageSignature.sign(CLAIMS, key.getPrivate());
    String[] parts = jwt.split("\\.");
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
        decodedSection(jwt, 1).replace("\"publicKeyVersion\":1", "\"publicKeyVersion\":2")
            .getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> UsageSignature.verify(parts[0] + "." + forged + "." + parts[2], key.getPublic()))
        .isInstanceOfSatisfying(InvalidUsageSignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE))
        .hasMessage("The signature does not verify with this key");
  }

  @Test
  void aTokenSignedWithAnotherKeyIsRejectedAsABadSignature() {
    String jwt = UsageSignature.sign(CLAIMS, otherKey.getPrivate());

    assertThatThrownBy(() -> UsageSignature.verify(jwt, key.getPublic()))
        .isInstanceOfSatisfying(InvalidUsageSignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE))
        .hasMessage("The signature does not verify with this key");
  }

  @Test
  void aTruncatedSignatureIsRejectedAsABadSignature() {
    String jwt = UsageSignature.sign(CLAIMS, key.getPrivate());

    assertThatThrownBy(() -> UsageSignature.verify(jwt.substring(0, jwt.length() - 8), key.getPublic()))
        .isInstanceOfSatisfying(InvalidUsageSignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
  }

  @Test
  void anAlgorithmOtherThanPs256IsRejectedBeforeTheSignatureIsChecked() throws Exception {
    for (String alg : new String[] {"RS256", "none", "ps256", "HS256"}) {
      String jwt = token("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}",
          "{\"productCode\":\"prod-x\",\"publicKeyVersion\":1,\"iat\":1785585600}", key);

      assertThatThrownBy(() -> UsageSignature.verify(jwt, key.getPublic()))
          .as(alg)
          .isInstanceOfSatisfying(InvalidUsageSignatureException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_ALGORITHM))
          .hasMessage("The token's algorithm is \"" + alg + "\", expected \"PS256\"");
    }
  }

  @Test
  void aHeaderWithoutAlgOrWithCriticalExtensionsIsRejected() throws Exception {
    String payload = "{\"productCode\":\"prod-x\",\"publicKeyVersion\":1,\"iat\":1785585600}";

    assertThatThrownBy(() -> UsageSignature.verify(token("{\"typ\":\"JWT\"}", payload, key), key.getPublic()))
        .hasMessage("The token's algorithm is missing, expected \"PS256\"");
    assertThatThrownBy(() -> UsageSignature.verify(
            token("{\"alg\":\"PS256\",\"crit\":[\"b64\"],\"b64\":false}", payload, key), key.getPublic()))
        .isInstanceOfSatisfying(InvalidUsageSignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_ALGORITHM));
  }

  @Test
  void somethingThatIsNotACompactJwtIsRejectedAsMalformed() {
    String valid = UsageSignature.sign(CLAIMS, key.getPrivate());
    String[] malformed = {
      "", "abc", "a.b", "a.b.c.d", valid + ".", "." + valid.substring(valid.indexOf('.')),
      valid.replaceFirst("\\.", "=."), valid.replace('-', '+').replace('_', '/') + "+/",
      "bm90IGpzb24." + valid.substring(valid.indexOf('.') + 1)
    };
    for (String jwt : malformed) {
      assertThatThrownBy(() -> UsageSignature.verify(jwt, key.getPublic()))
          .as(jwt)
          .isInstanceOfSatisfying(InvalidUsageSignatureException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_TOKEN));
    }
  }

  @Test
  void malformedClaimsAreRejectedNamingTheClaim() throws Exception {
    String header = "{\"alg\":\"PS256\",\"typ\":\"JWT\"}";
    String[][] cases = {
      {"{\"publicKeyVersion\":1,\"iat\":1}", "The token's payload lacks the claim productCode"},
      {"{\"productCode\":\"p\",\"iat\":1}", "The token's payload lacks the claim publicKeyVersion"},
      {"{\"productCode\":\"p\",\"publicKeyVersion\":1}", "The token's payload lacks the claim iat"},
      {"{\"productCode\":7,\"publicKeyVersion\":1,\"iat\":1}", "The claim productCode is not a string"},
      {"{\"productCode\":\"p\",\"publicKeyVersion\":\"1\",\"iat\":1}",
          "The claim publicKeyVersion is not an integer from 1 to 2147483647"},
      {"{\"productCode\":\"p\",\"publicKeyVersion\":0,\"iat\":1}",
          "The token's claims are invalid: publicKeyVersion must be 1 or more, was 0"},
      {"{\"productCode\":\"p\",\"publicKeyVersion\":1,\"Nonce\":5,\"iat\":1}", "The claim Nonce is not a string"},
      {"{\"productCode\":\"p\",\"publicKeyVersion\":1,\"iat\":\"yesterday\"}",
          "The claim iat is not a number of seconds since the epoch"},
      {"{\"productCode\":\"p\",\"ProductCode\":\"q\",\"publicKeyVersion\":1,\"iat\":1}",
          "The claim ProductCode appears twice (any spelling)"},
      {"[1,2]", "The token's payload is not a JSON object"},
    };
    for (String[] c : cases) {
      String jwt = token(header, c[0], key);
      assertThatThrownBy(() -> UsageSignature.verify(jwt, key.getPublic()))
          .as(c[0])
          .isInstanceOfSatisfying(InvalidUsageSignatureException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_CLAIMS))
          .hasMessage(c[1]);
    }
  }

  @Test
  void parseUnverifiedReadsClaimsOfAnyKeyAndAlgorithm() throws Exception {
    String jwt = token("{\"alg\":\"RS256\"}",
        "{\"productCode\":\"prod-x\",\"publicKeyVersion\":1,\"iat\":1785585600}", otherKey);

    assertThat(UsageSignature.parseUnverified(jwt))
        .isEqualTo(new UsageClaims("prod-x", 1, Optional.empty(), ISSUED));
  }

  @Test
  void aKeyOfAnotherKindIsACallerErrorNotAnInvalidToken() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    KeyPair ecKey = ec.generateKeyPair();
    String jwt = UsageSignature.sign(CLAIMS, key.getPrivate());

    assertThatThrownBy(() -> UsageSignature.verify(jwt, ecKey.getPublic()))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot verify with this key");
    assertThatThrownBy(() -> UsageSignature.sign(CLAIMS, ecKey.getPrivate()))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot sign with this key");
  }
}
