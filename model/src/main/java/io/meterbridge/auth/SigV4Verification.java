package io.meterbridge.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * The verdict of {@link SigV4Verifier#verify}: an {@link Outcome} and a message in the words AWS
 * uses, fit to return to the caller. On {@link Outcome#SIGNATURE_MISMATCH} it also carries the
 * canonical request and string to sign the server computed, which AWS includes in its error so
 * that client authors can debug.
 *
 * <pre>{@code
 * SigV4Verification verdict = verifier.verify(request, authorization, secret, Instant.now());
 * if (!verdict.isValid()) {
 *   throw new InvalidSignatureException(verdict.message());
 * }
 * }</pre>
 */
public final class SigV4Verification {

  /**
   * Why a request was accepted or rejected. Suggested wire errors: {@code MISSING_DATE} →
   * {@code IncompleteSignature}; {@code EXPIRED}, {@code NOT_YET_CURRENT} and everything else
   * except {@code VALID} → {@code InvalidSignatureException} (403).
   */
  public enum Outcome {
    /** The signature matches. */
    VALID,
    /** No {@code X-Amz-Date} header. */
    MISSING_DATE,
    /** {@code X-Amz-Date} is not {@code yyyyMMdd'T'HHmmss'Z'}. */
    MALFORMED_DATE,
    /** {@code X-Amz-Date} is older than the allowed clock skew. */
    EXPIRED,
    /** {@code X-Amz-Date} is further ahead than the allowed clock skew. */
    NOT_YET_CURRENT,
    /** The credential scope's day is not the day of {@code X-Amz-Date}. */
    DATE_SCOPE_MISMATCH,
    /** The credential scope names another region. */
    WRONG_REGION,
    /** The credential scope names another service. */
    WRONG_SERVICE,
    /** {@code host}, {@code x-amz-date}, or a present {@code x-amz-security-token} or
     * {@code x-amz-content-sha256} header is not among the signed headers. */
    REQUIRED_HEADER_NOT_SIGNED,
    /** A header listed in {@code SignedHeaders} is not in the request. */
    SIGNED_HEADER_ABSENT,
    /** {@code X-Amz-Content-Sha256} is not the SHA-256 of the body. */
    PAYLOAD_HASH_MISMATCH,
    /** The recomputed signature differs: wrong secret, or the request changed after signing. */
    SIGNATURE_MISMATCH
  }

  private static final SigV4Verification VALID =
      new SigV4Verification(Outcome.VALID, "The signature matches.", null, null);

  private final Outcome outcome;
  private final String message;
  private final String canonicalRequest;
  private final String stringToSign;

  private SigV4Verification(
      Outcome outcome, String message, String canonicalRequest, String stringToSign) {
    this.outcome = outcome;
    this.message = message;
    this.canonicalRequest = canonicalRequest;
    this.stringToSign = stringToSign;
  }

  static SigV4Verification valid() {
    return VALID;
  }

  static SigV4Verification rejected(Outcome outcome, String message) {
    return new SigV4Verification(outcome, Objects.requireNonNull(message), null, null);
  }

  static SigV4Verification mismatch(String message, String canonicalRequest, String stringToSign) {
    return new SigV4Verification(
        Outcome.SIGNATURE_MISMATCH, message, canonicalRequest, stringToSign);
  }

  /**
   * Whether the request is authentic.
   *
   * <pre>{@code
   * if (verdict.isValid()) { ... }
   * }</pre>
   */
  public boolean isValid() {
    return outcome == Outcome.VALID;
  }

  /**
   * Why the request was accepted or rejected.
   *
   * <pre>{@code
   * switch (verdict.outcome()) { case EXPIRED -> ...; default -> ...; }
   * }</pre>
   */
  public Outcome outcome() {
    return outcome;
  }

  /**
   * A message for the caller, such as {@code Signature expired: 20150830T123600Z is now earlier
   * than 20150830T124100Z (20150830T125600Z - 15 min.)}.
   *
   * <pre>{@code
   * verdict.message();
   * }</pre>
   */
  public String message() {
    return message;
  }

  /**
   * The canonical request the server computed, on a signature mismatch.
   *
   * <pre>{@code
   * verdict.canonicalRequest().ifPresent(c -> log.debug("expected canonical request:\n{}", c));
   * }</pre>
   */
  public Optional<String> canonicalRequest() {
    return Optional.ofNullable(canonicalRequest);
  }

  /**
   * The string to sign the server computed, on a signature mismatch.
   *
   * <pre>{@code
   * verdict.stringToSign();
   * }</pre>
   */
  public Optional<String> stringToSign() {
    return Optional.ofNullable(stringToSign);
  }

  @Override
  public String toString() {
    return "SigV4Verification[" + outcome + ": " + message + "]";
  }
}
