package io.meterbridge.auth;

import java.util.Objects;

/**
 * What {@link SigV4Signer#sign} produced: the signed request, the headers it added, and the
 * intermediate texts for debugging.
 *
 * <pre>{@code
 * SigningResult signed = signer.sign(request, credentials, Instant.now());
 * signed.addedHeaders().forEach(httpRequestBuilder::header); // X-Amz-Date, Authorization, ...
 * }</pre>
 *
 * @param request the request with the signing headers in place
 * @param addedHeaders the headers the signer added, in the order added: {@code X-Amz-Security-Token}
 *     (temporary credentials only), {@code X-Amz-Date}, {@code X-Amz-Content-Sha256} (when the signer
 *     is configured to add it), {@code Authorization}
 * @param authorization the parsed form of the {@code Authorization} header
 * @param canonicalRequest the canonical request that was hashed
 * @param stringToSign the string that was signed
 */
public record SigningResult(
    SignableRequest request,
    RequestHeaders addedHeaders,
    SigV4Authorization authorization,
    String canonicalRequest,
    String stringToSign) {

  /** Requires every component. */
  public SigningResult {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(addedHeaders, "addedHeaders");
    Objects.requireNonNull(authorization, "authorization");
    Objects.requireNonNull(canonicalRequest, "canonicalRequest");
    Objects.requireNonNull(stringToSign, "stringToSign");
  }

  /**
   * The hex signature.
   *
   * <pre>{@code
   * signed.signature(); // "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
   * }</pre>
   */
  public String signature() {
    return authorization.signature();
  }

  /**
   * The {@code Authorization} header value.
   *
   * <pre>{@code
   * httpRequestBuilder.header("Authorization", signed.authorizationHeader());
   * }</pre>
   */
  public String authorizationHeader() {
    return authorization.toHeaderValue();
  }

  /**
   * The request (credentials masked) and the authorization, but not the canonical request, which
   * contains the session token in clear.
   *
   * <pre>{@code
   * log.debug("signed {}", signed);
   * }</pre>
   */
  @Override
  public String toString() {
    return "SigningResult[request=" + request + ", scope=" + authorization.scope()
        + ", signedHeaders=" + authorization.signedHeaders() + "]";
  }
}
