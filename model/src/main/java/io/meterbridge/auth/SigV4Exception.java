package io.meterbridge.auth;

import java.util.Objects;

/**
 * A malformed SigV4 input: an {@code Authorization} header or an {@code X-Amz-Date} that cannot be
 * parsed. The {@link #reason()} says which part is wrong; the message says how, in words fit to
 * return to the caller.
 *
 * <pre>{@code
 * try {
 *   SigV4Authorization.parse(header);
 * } catch (SigV4Exception e) {
 *   String code = e.reason().incomplete() ? "IncompleteSignature" : "InvalidSignatureException";
 * }
 * }</pre>
 */
public final class SigV4Exception extends RuntimeException {

  /** What is wrong. */
  public enum Reason {
    /** The header is not {@code ALGORITHM key=value, key=value, ...}. */
    MALFORMED_AUTHORIZATION,
    /** The header names an algorithm other than {@code AWS4-HMAC-SHA256}. */
    UNSUPPORTED_ALGORITHM,
    /** {@code Credential}, {@code SignedHeaders} or {@code Signature} is missing or empty. */
    MISSING_COMPONENT,
    /** The credential is not {@code AKID/yyyyMMdd/region/service/aws4_request}. */
    MALFORMED_CREDENTIAL,
    /** The signed header list is not sorted, distinct, lower-case header names. */
    MALFORMED_SIGNED_HEADERS,
    /** The signature is not 64 lower-case hex digits. */
    MALFORMED_SIGNATURE,
    /** The date is not {@code yyyyMMdd'T'HHmmss'Z'} or not a real instant. */
    MALFORMED_DATE;

    /**
     * Whether the signature is incomplete (parts missing or unreadable) rather than present but
     * invalid: AWS answers the first with {@code IncompleteSignature}, the second with
     * {@code InvalidSignatureException}.
     *
     * <pre>{@code
     * Reason.MISSING_COMPONENT.incomplete(); // true
     * }</pre>
     */
    public boolean incomplete() {
      return this == MALFORMED_AUTHORIZATION || this == UNSUPPORTED_ALGORITHM
          || this == MISSING_COMPONENT;
    }
  }

  private final Reason reason;

  /**
   * A failure for {@code reason} described by {@code message}.
   *
   * <pre>{@code
   * throw new SigV4Exception(Reason.MALFORMED_SIGNATURE, "Signature must be 64 lower-case hex digits");
   * }</pre>
   */
  public SigV4Exception(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Which part of the input is wrong.
   *
   * <pre>{@code
   * if (e.reason() == Reason.MALFORMED_DATE) { ... }
   * }</pre>
   */
  public Reason reason() {
    return reason;
  }
}
