package io.meterbridge.auth;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Signs requests with AWS Signature Version 4, header-based, for one service and region.
 * Immutable and thread-safe; build one per client and reuse it.
 *
 * <p>For each request it removes any earlier signing headers (so a retry can be re-signed), adds
 * {@code X-Amz-Security-Token} when the credentials carry a session token, {@code X-Amz-Date},
 * optionally {@code X-Amz-Content-Sha256}, and signs every header the request carries except
 * hop-by-hop ones, {@code User-Agent} and {@code X-Amzn-Trace-Id} (see
 * {@link CanonicalRequest#signableHeaderNames}). The session token is always signed. The request
 * must carry a {@code Host} header, even where the HTTP stack adds its own: it is signed and must
 * match what goes on the wire.
 *
 * <pre>{@code
 * SigV4Signer signer = SigV4Signer.builder().service("aws-marketplace").region("us-east-1").build();
 * SigningResult signed = signer.sign(request, credentials, Instant.now());
 * signed.addedHeaders().forEach(httpRequestBuilder::header);
 * }</pre>
 */
public final class SigV4Signer {

  private final String service;
  private final String region;
  private final boolean normalizePath;
  private final boolean contentSha256Header;

  private SigV4Signer(Builder builder) {
    this.service = builder.service;
    this.region = builder.region;
    this.normalizePath = builder.normalizePath;
    this.contentSha256Header = builder.contentSha256Header;
  }

  /**
   * A builder; {@link Builder#service} and {@link Builder#region} are required.
   *
   * <pre>{@code
   * SigV4Signer.builder().service("aws-marketplace").region("us-east-1").build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Signs {@code request} with {@code credentials} as at {@code now}.
   *
   * <pre>{@code
   * SigningResult signed = signer.sign(request, AwsCredentials.of("AKIDEXAMPLE", secret), Instant.now());
   * SignableRequest onTheWire = signed.request();
   * }</pre>
   *
   * @throws IllegalArgumentException if the request has no {@code Host} header
   */
  public SigningResult sign(SignableRequest request, AwsCredentials credentials, Instant now) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(credentials, "credentials");
    AmzDate date = AmzDate.of(now);
    if (!request.headers().contains(SigV4.HOST)) {
      throw new IllegalArgumentException(
          "SigV4 signs the Host header, but the request has none: " + request);
    }

    RequestHeaders.Builder added = RequestHeaders.builder();
    if (credentials.sessionToken().isPresent()) {
      added.add(SigV4.X_AMZ_SECURITY_TOKEN, credentials.sessionToken().get());
    }
    added.add(SigV4.X_AMZ_DATE, date.toString());
    if (contentSha256Header) {
      added.add(SigV4.X_AMZ_CONTENT_SHA256, request.payloadHash());
    }
    RequestHeaders.Builder headers = request.headers().toBuilder()
        .remove(SigV4.AUTHORIZATION)
        .remove(SigV4.X_AMZ_DATE)
        .remove(SigV4.X_AMZ_SECURITY_TOKEN);
    if (contentSha256Header) {
      headers.remove(SigV4.X_AMZ_CONTENT_SHA256);
    }
    SignableRequest unsigned = request.withHeaders(headers.addAll(added.build()).build());

    List<String> signedNames = CanonicalRequest.signableHeaderNames(unsigned.headers());
    CanonicalRequest canonical = CanonicalRequest.of(unsigned, signedNames, normalizePath);
    String dateStamp = date.dateStamp();
    String stringToSign = SigV4.stringToSign(date, SigV4.scope(dateStamp, region, service), canonical);
    String signature = SigV4.signature(
        credentials.secretAccessKey(), dateStamp, region, service, stringToSign);

    SigV4Authorization authorization = new SigV4Authorization(
        credentials.accessKeyId(), dateStamp, region, service, signedNames, signature);
    String authorizationValue = authorization.toHeaderValue();
    added.add(SigV4.AUTHORIZATION, authorizationValue);
    SignableRequest signed = unsigned.withHeaders(
        unsigned.headers().toBuilder().add(SigV4.AUTHORIZATION, authorizationValue).build());
    return new SigningResult(
        signed, added.build(), authorization, canonical.text(), stringToSign);
  }

  /**
   * The service signing name, such as {@code aws-marketplace}.
   *
   * <pre>{@code
   * signer.service();
   * }</pre>
   */
  public String service() {
    return service;
  }

  /**
   * The region, such as {@code us-east-1}.
   *
   * <pre>{@code
   * signer.region();
   * }</pre>
   */
  public String region() {
    return region;
  }

  @Override
  public String toString() {
    return "SigV4Signer[service=" + service + ", region=" + region
        + ", normalizePath=" + normalizePath + ", contentSha256Header=" + contentSha256Header + "]";
  }

  /**
   * Configures a {@link SigV4Signer}.
   *
   * <pre>{@code
   * SigV4Signer.builder().service("service").region("us-east-1").contentSha256Header(true).build();
   * }</pre>
   */
  public static final class Builder {
    private String service;
    private String region;
    private boolean normalizePath = true;
    private boolean contentSha256Header;

    private Builder() {}

    /**
     * The service signing name: {@code aws-marketplace} for the Metering Service.
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
     * The region, such as {@code us-east-1}.
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
     * Whether to normalise the path before encoding it (default {@code true}, as AWS does for
     * every service except S3).
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
     * Whether to add and sign an {@code X-Amz-Content-Sha256} header with the payload hash
     * (default {@code false}; the Metering Service does not need it).
     *
     * <pre>{@code
     * builder.contentSha256Header(true);
     * }</pre>
     */
    public Builder contentSha256Header(boolean contentSha256Header) {
      this.contentSha256Header = contentSha256Header;
      return this;
    }

    /**
     * The signer.
     *
     * <pre>{@code
     * SigV4Signer signer = builder.build();
     * }</pre>
     *
     * @throws IllegalStateException if service or region is missing, blank or contains a slash
     */
    public SigV4Signer build() {
      check("service", service);
      check("region", region);
      return new SigV4Signer(this);
    }

    private static void check(String what, String value) {
      if (value == null || value.isBlank() || value.indexOf('/') >= 0 || value.indexOf(' ') >= 0) {
        throw new IllegalStateException(
            what + " must be set to a name without spaces or slashes, got " + value);
      }
    }
  }
}
