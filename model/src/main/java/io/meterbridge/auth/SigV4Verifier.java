package io.meterbridge.auth;

import io.meterbridge.auth.SigV4Verification.Outcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks SigV4 header signatures on the server, for one service and region. Immutable and
 * thread-safe.
 *
 * <p>The server keeps the policy decisions; this class supplies the pieces, in this order:
 * <ol>
 *   <li>no {@code Authorization} header: the server answers "missing authentication token";
 *   <li>{@link SigV4Authorization#parse} throws {@link SigV4Exception} on a malformed header;
 *   <li>the server looks up the secret of {@link SigV4Authorization#accessKeyId()} (unknown key,
 *       expired temporary credentials and a wrong session token are its calls);
 *   <li>{@link #verify} checks date, scope, clock skew, which headers are signed, the payload
 *       hash, and finally the signature, in constant time.
 * </ol>
 *
 * <pre>{@code
 * SigV4Verifier verifier = SigV4Verifier.builder().service("aws-marketplace").region("us-east-1").build();
 * SigV4Authorization auth = SigV4Authorization.parse(authorizationHeader);
 * String secret = keys.secretOf(auth.accessKeyId()).orElseThrow(UnrecognizedClientException::new);
 * SigV4Verification verdict = verifier.verify(request, auth, secret, Instant.now());
 * }</pre>
 */
public final class SigV4Verifier {

  private final String service;
  private final String region;
  private final Duration maxClockSkew;
  private final boolean normalizePath;

  private SigV4Verifier(Builder builder) {
    this.service = builder.service;
    this.region = builder.region;
    this.maxClockSkew = builder.maxClockSkew;
    this.normalizePath = builder.normalizePath;
  }

  /**
   * A builder; {@link Builder#service} and {@link Builder#region} are required.
   *
   * <pre>{@code
   * SigV4Verifier.builder().service("aws-marketplace").region("us-east-1").build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies that {@code authorization} is a valid signature of {@code request} by the holder of
   * {@code secretAccessKey}, as at {@code now}. The canonical request is rebuilt from exactly the
   * headers the client listed in {@code SignedHeaders}; unsigned headers do not matter.
   *
   * <p>When {@code X-Amz-Content-Sha256} is present it must equal the request's
   * {@link SignableRequest#payloadHash()}, so a client cannot sign a hash and send another body;
   * {@code UNSIGNED-PAYLOAD} is therefore rejected unless the request itself was built with that
   * payload hash.
   *
   * <pre>{@code
   * SigV4Verification verdict = verifier.verify(request, auth, secret, Instant.now());
   * verdict.outcome(); // VALID, EXPIRED, SIGNATURE_MISMATCH, ...
   * }</pre>
   */
  public SigV4Verification verify(
      SignableRequest request, SigV4Authorization authorization, String secretAccessKey,
      Instant now) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(authorization, "authorization");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    Objects.requireNonNull(now, "now");
    RequestHeaders headers = request.headers();

    Optional<String> dateHeader = headers.firstValue(SigV4.X_AMZ_DATE);
    if (dateHeader.isEmpty()) {
      return SigV4Verification.rejected(Outcome.MISSING_DATE,
          "Authorization header requires existence of a 'X-Amz-Date' header. Authorization="
              + authorization.toHeaderValue());
    }
    AmzDate date;
    try {
      date = AmzDate.parse(dateHeader.get().strip());
    } catch (SigV4Exception e) {
      return SigV4Verification.rejected(Outcome.MALFORMED_DATE, e.getMessage());
    }
    if (!authorization.date().equals(date.dateStamp())) {
      return SigV4Verification.rejected(Outcome.DATE_SCOPE_MISMATCH,
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from"
              + " HTTP: '" + authorization.date() + "' != '" + date.dateStamp() + "', from '"
              + date + "'.");
    }
    if (!authorization.region().equals(region)) {
      return SigV4Verification.rejected(Outcome.WRONG_REGION,
          "Credential should be scoped to a valid region, not '" + authorization.region() + "'.");
    }
    if (!authorization.service().equals(service)) {
      return SigV4Verification.rejected(Outcome.WRONG_SERVICE,
          "Credential should be scoped to correct service: '" + service + "'.");
    }
    if (date.instant().isBefore(now.minus(maxClockSkew))) {
      return SigV4Verification.rejected(Outcome.EXPIRED, "Signature expired: " + date
          + " is now earlier than " + AmzDate.of(now.minus(maxClockSkew)) + " (" + AmzDate.of(now)
          + " - " + minutes() + ".)");
    }
    if (date.instant().isAfter(now.plus(maxClockSkew))) {
      return SigV4Verification.rejected(Outcome.NOT_YET_CURRENT, "Signature not yet current: "
          + date + " is still later than " + AmzDate.of(now.plus(maxClockSkew)) + " ("
          + AmzDate.of(now) + " + " + minutes() + ".)");
    }

    List<String> signed = authorization.signedHeaders();
    if (!signed.contains("host")) {
      return notSigned("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }
    if (!signed.contains("x-amz-date")) {
      return notSigned("'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
    }
    if (headers.contains(SigV4.X_AMZ_SECURITY_TOKEN) && !signed.contains("x-amz-security-token")) {
      return notSigned(
          "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.");
    }
    Optional<String> contentHash = headers.firstValue(SigV4.X_AMZ_CONTENT_SHA256);
    if (contentHash.isPresent() && !signed.contains("x-amz-content-sha256")) {
      return notSigned(
          "'X-Amz-Content-Sha256' must be a 'SignedHeader' in the AWS Authorization.");
    }
    for (String name : signed) {
      if (!headers.contains(name)) {
        return SigV4Verification.rejected(Outcome.SIGNED_HEADER_ABSENT,
            "Header '" + name + "' is listed in SignedHeaders but not present in the request.");
      }
    }
    if (contentHash.isPresent() && !contentHash.get().strip().equals(request.payloadHash())) {
      return SigV4Verification.rejected(Outcome.PAYLOAD_HASH_MISMATCH,
          "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }

    CanonicalRequest canonical = CanonicalRequest.of(request, signed, normalizePath);
    String stringToSign = SigV4.stringToSign(date, authorization.scope(), canonical);
    String expected = SigV4.signature(
        secretAccessKey, authorization.date(), authorization.region(), authorization.service(),
        stringToSign);
    // Constant time, so response timing does not reveal how many leading digits were right.
    boolean matches = MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        authorization.signature().getBytes(StandardCharsets.US_ASCII));
    if (matches) {
      return SigV4Verification.valid();
    }
    return SigV4Verification.mismatch(
        "The request signature we calculated does not match the signature you provided. Check"
            + " your AWS Secret Access Key and signing method. Consult the service documentation"
            + " for details.",
        canonical.text(), stringToSign);
  }

  /**
   * The service signing name this verifier accepts.
   *
   * <pre>{@code
   * verifier.service(); // "aws-marketplace"
   * }</pre>
   */
  public String service() {
    return service;
  }

  /**
   * The region this verifier accepts.
   *
   * <pre>{@code
   * verifier.region(); // "us-east-1"
   * }</pre>
   */
  public String region() {
    return region;
  }

  /**
   * How far {@code X-Amz-Date} may be from the server's clock, either way.
   *
   * <pre>{@code
   * verifier.maxClockSkew(); // PT15M
   * }</pre>
   */
  public Duration maxClockSkew() {
    return maxClockSkew;
  }

  @Override
  public String toString() {
    return "SigV4Verifier[service=" + service + ", region=" + region + ", maxClockSkew="
        + maxClockSkew + ", normalizePath=" + normalizePath + "]";
  }

  private static SigV4Verification notSigned(String message) {
    return SigV4Verification.rejected(Outcome.REQUIRED_HEADER_NOT_SIGNED, message);
  }

  private String minutes() {
    long seconds = maxClockSkew.toSeconds();
    return seconds % 60 == 0 ? (seconds / 60) + " min" : seconds + " s";
  }

  /**
   * Configures a {@link SigV4Verifier}.
   *
   * <pre>{@code
   * SigV4Verifier.builder().service("aws-marketplace").region("us-east-1")
   *     .maxClockSkew(Duration.ofMinutes(15)).build();
   * }</pre>
   */
  public static final class Builder {
    private String service;
    private String region;
    private Duration maxClockSkew = Duration.ofMinutes(15);
    private boolean normalizePath = true;

    private Builder() {}

    /**
     * The service signing name clients must scope their credential to.
     *
     * <pre>{@code
     * builder.service("aws-marketplace");
     * }</pre>
     */
    public Builder service(String service) {
      this.service = Objects.requireNonNull(service, "service");
      return this;
    }

    /**
     * The region clients must scope their credential to.
     *
     * <pre>{@code
     * builder.region("us-east-1");
     * }</pre>
     */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /**
     * How far {@code X-Amz-Date} may be from the server's clock, either way; default 15 minutes
     * as at AWS.
     *
     * <pre>{@code
     * builder.maxClockSkew(Duration.ofMinutes(5));
     * }</pre>
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maxClockSkew(Duration maxClockSkew) {
      Objects.requireNonNull(maxClockSkew, "maxClockSkew");
      if (maxClockSkew.isNegative()) {
        throw new IllegalArgumentException("maxClockSkew is negative: " + maxClockSkew);
      }
      this.maxClockSkew = maxClockSkew;
      return this;
    }

    /**
     * Whether clients normalise the path before signing (default {@code true}, as AWS SDKs do
     * for every service except S3).
     *
     * <pre>{@code
     * builder.normalizePath(false);
     * }</pre>
     */
    public Builder normalizePath(boolean normalizePath) {
      this.normalizePath = normalizePath;
      return this;
    }

    /**
     * The verifier.
     *
     * <pre>{@code
     * SigV4Verifier verifier = builder.build();
     * }</pre>
     *
     * @throws IllegalStateException if service or region is missing or blank
     */
    public SigV4Verifier build() {
      if (service == null || service.isBlank()) {
        throw new IllegalStateException("service must be set");
      }
      if (region == null || region.isBlank()) {
        throw new IllegalStateException("region must be set");
      }
      return new SigV4Verifier(this);
    }
  }
}
