package io.meterbridge.auth;

import java.util.Objects;

/**
 * Names and the last two steps of AWS Signature Version 4: the string to sign and the signature.
 *
 * <p>{@link SigV4Signer} and {@link SigV4Verifier} are built from these, so a signature computed on
 * the client and recomputed on the server go through exactly the same code.
 *
 * <pre>{@code
 * CanonicalRequest canonical = CanonicalRequest.of(request, List.of("host", "x-amz-date"), true);
 * AmzDate date = AmzDate.parse("20150830T123600Z");
 * String scope = SigV4.scope(date.dateStamp(), "us-east-1", "service");
 * String stringToSign = SigV4.stringToSign(date, scope, canonical);
 * String signature = SigV4.signature(secret, date.dateStamp(), "us-east-1", "service", stringToSign);
 * }</pre>
 */
public final class SigV4 {

  /** The only algorithm this package signs and verifies. */
  public static final String ALGORITHM = "AWS4-HMAC-SHA256";
  /** The last element of every credential scope. */
  public static final String TERMINATOR = "aws4_request";
  /** Header carrying the request time in ISO-8601 basic format. */
  public static final String X_AMZ_DATE = "X-Amz-Date";
  /** Header carrying the session token of temporary credentials. */
  public static final String X_AMZ_SECURITY_TOKEN = "X-Amz-Security-Token";
  /** Header carrying the hex SHA-256 of the body; when present it is the canonical payload hash. */
  public static final String X_AMZ_CONTENT_SHA256 = "X-Amz-Content-Sha256";
  /** Header carrying the signature. */
  public static final String AUTHORIZATION = "Authorization";
  /** Header naming the target host; SigV4 always signs it. */
  public static final String HOST = "Host";
  /** The {@code x-amz-content-sha256} value that opts out of payload signing. */
  public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

  private SigV4() {}

  /**
   * The credential scope {@code date/region/service/aws4_request}.
   *
   * <pre>{@code
   * SigV4.scope("20150830", "us-east-1", "service"); // "20150830/us-east-1/service/aws4_request"
   * }</pre>
   */
  public static String scope(String date, String region, String service) {
    return date + '/' + region + '/' + service + '/' + TERMINATOR;
  }

  /**
   * The string to sign: algorithm, request time, scope and the hex SHA-256 of the canonical
   * request, one per line.
   *
   * <pre>{@code
   * String sts = SigV4.stringToSign(AmzDate.parse("20150830T123600Z"),
   *     "20150830/us-east-1/service/aws4_request", canonical);
   * }</pre>
   */
  public static String stringToSign(AmzDate date, String scope, CanonicalRequest canonical) {
    String hash = canonical.hash();
    return new StringBuilder(ALGORITHM.length() + 18 + scope.length() + 64)
        .append(ALGORITHM).append('\n')
        .append(date).append('\n')
        .append(scope).append('\n')
        .append(hash)
        .toString();
  }

  /**
   * The hex HMAC-SHA256 of {@code stringToSign} under the key derived from the secret and the scope.
   * Derived keys are cached per secret, date, region and service.
   *
   * <pre>{@code
   * String signature = SigV4.signature("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
   *     "20150830", "us-east-1", "service", stringToSign);
   * }</pre>
   */
  public static String signature(
      String secretAccessKey, String date, String region, String service, String stringToSign) {
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    byte[] key = SigningKeys.signingKey(secretAccessKey, date, region, service);
    return Sha256.hex(Sha256.hmac(key, stringToSign));
  }
}
