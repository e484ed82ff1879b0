package io.meterbridge.auth;

import static io.meterbridge.auth.InvalidUsageSignatureException.Reason.BAD_SIGNATURE;
import static io.meterbridge.auth.InvalidUsageSignatureException.Reason.MALFORMED_CLAIMS;
import static io.meterbridge.auth.InvalidUsageSignatureException.Reason.MALFORMED_TOKEN;
import static io.meterbridge.auth.InvalidUsageSignatureException.Reason.UNSUPPORTED_ALGORITHM;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * The signature RegisterUsage returns: a compact JWT signed with PS256 (RSASSA-PSS, SHA-256,
 * MGF1 with SHA-256, 32-byte salt), whose payload holds the {@link UsageClaims}.
 *
 * <pre>{@code
 * // the server
 * String jwt = UsageSignature.sign(claims, privateKey);
 * // the buyer's software, with the public key of claims.publicKeyVersion()
 * UsageClaims verified = UsageSignature.verify(jwt, publicKey);
 * }</pre>
 *
 * <p>Tokens are written with the claim names {@code productCode}, {@code publicKeyVersion},
 * {@code nonce} (left out when there is none) and {@code iat} (epoch seconds). They are read with
 * either {@code productCode} or {@code ProductCode} (and so on), because AWS's own guide shows
 * both. A claim present under both spellings is refused: two readers could disagree on which one
 * counts. Unknown claims are ignored.
 *
 * <p>To also check the product, the version, the nonce and the age of a token, see
 * {@link ExpectedUsage}. Thread-safe.
 */
public final class UsageSignature {

  private static final JsonFactory JSON = new JsonFactory();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final String HEADER = ENCODER.encodeToString(
      "{\"alg\":\"PS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
  private static final PSSParameterSpec PS256 =
      new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);

  private UsageSignature() {}

  /**
   * Signs {@code claims} with an RSA private key into a compact JWT.
   *
   * <pre>{@code
   * String jwt = UsageSignature.sign(claims, keyPair.getPrivate()); // "eyJhbGciOiJQUzI1NiIs..."
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code key} is not an RSA private key large enough for
   *     PS256 (at least 528 bits; use 2048 or more)
   */
  public static String sign(UsageClaims claims, PrivateKey key) {
    String signingInput = HEADER + "." + ENCODER.encodeToString(payload(claims));
    try {
      Signature signature = pss();
      signature.initSign(key);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + ENCODER.encodeToString(signature.sign());
    } catch (InvalidKeyException | SignatureException e) {
      throw new IllegalArgumentException("Cannot sign with this key: " + e.getMessage(), e);
    }
  }

  /**
   * Verifies a token's signature with an RSA public key, then reads its claims.
   *
   * <pre>{@code
   * UsageClaims claims = UsageSignature.verify(response.signature(), RsaKeys.publicKeyFromPem(pem));
   * }</pre>
   *
   * <p>This checks that the token was signed by the holder of the key, nothing more; see
   * {@link ExpectedUsage#verify} to also check what it says.
   *
   * @throws InvalidUsageSignatureException if the token is malformed, is not PS256, does not
   *     verify with {@code key}, or carries malformed claims
   * @throws IllegalArgumentException if {@code key} is not an RSA public key
   */
  public static UsageClaims verify(String jwt, PublicKey key) {
    Sections token = split(jwt);
    checkHeader(token.header());
    boolean valid;
    try {
      Signature signature = pss();
      signature.initVerify(key);
      signature.update(token.signingInput().getBytes(StandardCharsets.US_ASCII));
      valid = signature.verify(decode(token.signature(), "signature"));
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("Cannot verify with this key: " + e.getMessage(), e);
    } catch (SignatureException e) {
      // The JDK throws rather than returns false for some malformed signatures (wrong length).
      throw new InvalidUsageSignatureException(BAD_SIGNATURE, "The signature does not verify with this key", e);
    }
    if (!valid) {
      throw new InvalidUsageSignatureException(BAD_SIGNATURE, "The signature does not verify with this key");
    }
    return claims(decode(token.payload(), "payload"));
  }

  /**
   * Reads a token's claims WITHOUT checking its signature or algorithm: for logs and debugging,
   * never to decide anything.
   *
   * <pre>{@code
   * log.info("RegisterUsage returned {}", UsageSignature.parseUnverified(jwt));
   * }</pre>
   *
   * @throws InvalidUsageSignatureException if the token or its claims are malformed
   */
  public static UsageClaims parseUnverified(String jwt) {
    return claims(decode(split(jwt).payload(), "payload"));
  }

  // ---- compact serialisation -------------------------------------------------------------

  private record Sections(String header, String payload, String signature) {
    String signingInput() {
      return header + "." + payload;
    }
  }

  private static Sections split(String jwt) {
    Objects.requireNonNull(jwt, "jwt");
    int first = jwt.indexOf('.');
    int second = first < 0 ? -1 : jwt.indexOf('.', first + 1);
    if (second < 0 || jwt.indexOf('.', second + 1) >= 0) {
      throw new InvalidUsageSignatureException(
          MALFORMED_TOKEN, "The token is not three sections separated by dots (header.payload.signature)");
    }
    return new Sections(jwt.substring(0, first), jwt.substring(first + 1, second), jwt.substring(second + 1));
  }

  private static byte[] decode(String section, String name) {
    // JWS sections are base64url without padding; the JDK decoder would also take padding.
    if (section.isEmpty() || !section.chars().allMatch(UsageSignature::isBase64Url)) {
      throw new InvalidUsageSignatureException(MALFORMED_TOKEN, "The token's " + name + " is not base64url");
    }
    try {
      return DECODER.decode(section);
    } catch (IllegalArgumentException e) {
      throw new InvalidUsageSignatureException(MALFORMED_TOKEN, "The token's " + name + " is not base64url", e);
    }
  }

  private static boolean isBase64Url(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }

  private static Signature pss() {
    try {
      Signature signature = Signature.getInstance("RSASSA-PSS");
      signature.setParameter(PS256);
      return signature;
    } catch (GeneralSecurityException e) {
      // RSASSA-PSS is a required algorithm of every Java 11+ runtime.
      throw new IllegalStateException("This Java runtime lacks RSASSA-PSS", e);
    }
  }

  // ---- JSON ------------------------------------------------------------------------------

  private static byte[] payload(UsageClaims claims) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("productCode", claims.productCode());
      json.writeNumberField("publicKeyVersion", claims.publicKeyVersion());
      if (claims.nonce().isPresent()) {
        json.writeStringField("nonce", claims.nonce().get());
      }
      json.writeNumberField("iat", claims.issuedAt().getEpochSecond());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return out.toByteArray();
  }

  private static void checkHeader(String section) {
    byte[] header = decode(section, "header");
    Optional<String> alg = Optional.empty();
    try (JsonParser json = JSON.createParser(header)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidUsageSignatureException(MALFORMED_TOKEN, "The token's header is not a JSON object");
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        JsonToken value = json.nextToken();
        if (name.equals("alg")) {
          if (alg.isPresent()) {
            throw new InvalidUsageSignatureException(MALFORMED_TOKEN, "The token's header names alg twice");
          }
          if (value != JsonToken.VALUE_STRING) {
            throw new InvalidUsageSignatureException(UNSUPPORTED_ALGORITHM, "The token's algorithm is not a string");
          }
          alg = Optional.of(json.getText());
        } else if (name.equals("crit")) {
          // RFC 7515: a verifier must refuse extensions it was told are critical but does not know.
          throw new InvalidUsageSignatureException(
              UNSUPPORTED_ALGORITHM, "The token's header lists critical extensions, which are not supported");
        }
        json.skipChildren();
      }
      endOfDocument(json, "header", MALFORMED_TOKEN);
    } catch (JsonProcessingException e) {
      throw new InvalidUsageSignatureException(MALFORMED_TOKEN, "The token's header is not valid JSON", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!alg.equals(Optional.of("PS256"))) {
      throw new InvalidUsageSignatureException(
          UNSUPPORTED_ALGORITHM,
          "The token's algorithm is " + alg.map(a -> "\"" + a + "\"").orElse("missing") + ", expected \"PS256\"");
    }
  }

  private static UsageClaims claims(byte[] payload) {
    String productCode = null;
    Integer publicKeyVersion = null;
    String nonce = null;
    boolean nonceSeen = false;
    Instant issuedAt = null;
    try (JsonParser json = JSON.createParser(payload)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw malformedClaims("The token's payload is not a JSON object");
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        JsonToken value = json.nextToken();
        switch (name) {
          case "productCode", "ProductCode" -> {
            duplicate(productCode != null, "ProductCode");
            if (value != JsonToken.VALUE_STRING) {
              throw malformedClaims("The claim " + name + " is not a string");
            }
            productCode = json.getText();
          }
          case "publicKeyVersion", "PublicKeyVersion" -> {
            duplicate(publicKeyVersion != null, "PublicKeyVersion");
            if (value != JsonToken.VALUE_NUMBER_INT || json.getNumberType() != JsonParser.NumberType.INT) {
              throw malformedClaims("The claim " + name + " is not an integer from 1 to " + Integer.MAX_VALUE);
            }
            publicKeyVersion = json.getIntValue();
          }
          case "nonce", "Nonce" -> {
            duplicate(nonceSeen, "Nonce");
            nonceSeen = true;
            if (value == JsonToken.VALUE_STRING) {
              nonce = json.getText();
            } else if (value != JsonToken.VALUE_NULL) {
              throw malformedClaims("The claim " + name + " is not a string");
            }
          }
          case "iat" -> {
            duplicate(issuedAt != null, "iat");
            issuedAt = issuedAt(json, value);
          }
          default -> json.skipChildren();
        }
      }
      endOfDocument(json, "payload", MALFORMED_CLAIMS);
    } catch (JsonProcessingException e) {
      throw new InvalidUsageSignatureException(MALFORMED_CLAIMS, "The token's payload is not valid JSON", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (productCode == null || publicKeyVersion == null || issuedAt == null) {
      throw malformedClaims("The token's payload lacks the claim "
          + (productCode == null ? "productCode" : publicKeyVersion == null ? "publicKeyVersion" : "iat"));
    }
    try {
      return new UsageClaims(productCode, publicKeyVersion, Optional.ofNullable(nonce), issuedAt);
    } catch (IllegalArgumentException e) {
      throw new InvalidUsageSignatureException(MALFORMED_CLAIMS, "The token's claims are invalid: " + e.getMessage(), e);
    }
  }

  /** {@code iat} is a NumericDate: seconds since the epoch, possibly with a fraction. */
  private static Instant issuedAt(JsonParser json, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NUMBER_INT && json.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return epochSeconds(json.getLongValue());
    }
    if (value == JsonToken.VALUE_NUMBER_FLOAT) {
      BigDecimal seconds = json.getDecimalValue().setScale(0, RoundingMode.FLOOR);
      if (seconds.abs().compareTo(BigDecimal.valueOf(Instant.MAX.getEpochSecond())) <= 0) {
        return epochSeconds(seconds.longValue());
      }
    }
    throw malformedClaims("The claim iat is not a number of seconds since the epoch");
  }

  private static Instant epochSeconds(long seconds) {
    try {
      return Instant.ofEpochSecond(seconds);
    } catch (java.time.DateTimeException e) {
      throw malformedClaims("The claim iat is out of range");
    }
  }

  private static void endOfDocument(
      JsonParser json, String section, InvalidUsageSignatureException.Reason reason) throws IOException {
    if (json.nextToken() != null) {
      throw new InvalidUsageSignatureException(reason, "The token's " + section + " has trailing content");
    }
  }

  private static void duplicate(boolean seen, String claim) {
    if (seen) {
      throw malformedClaims("The claim " + claim + " appears twice (any spelling)");
    }
  }

  private static InvalidUsageSignatureException malformedClaims(String message) {
    return new InvalidUsageSignatureException(MALFORMED_CLAIMS, message);
  }
}
