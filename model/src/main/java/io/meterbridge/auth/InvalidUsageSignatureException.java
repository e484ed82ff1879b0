package io.meterbridge.auth;

import java.util.Objects;

/**
 * A RegisterUsage signature that must not be trusted: malformed, signed with another algorithm
 * or key, carrying malformed claims, or claims other than the expected ones.
 *
 * <pre>{@code
 * try {
 *   UsageClaims claims = UsageSignature.verify(jwt, publicKey);
 * } catch (InvalidUsageSignatureException e) {
 *   if (e.reason() == InvalidUsageSignatureException.Reason.BAD_SIGNATURE) {
 *     // wrong key version, or a forged token
 *   }
 * }
 * }</pre>
 */
public final class InvalidUsageSignatureException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Why the signature was refused.
   *
   * <pre>{@code
   * switch (e.reason()) { case BAD_SIGNATURE -> ...; default -> ...; }
   * }</pre>
   */
  public enum Reason {
    /** Not three base64url sections of JSON, as a compact JWT is. */
    MALFORMED_TOKEN,
    /** The header names an algorithm other than PS256, or a critical extension. */
    UNSUPPORTED_ALGORITHM,
    /** The signature does not verify with the given key. */
    BAD_SIGNATURE,
    /** The payload lacks a claim, or holds one of the wrong type or twice. */
    MALFORMED_CLAIMS,
    /** The claims are well formed but not the ones the caller expected. */
    UNEXPECTED_CLAIMS
  }

  private final Reason reason;

  /**
   * An exception for {@code reason}, with a message for people.
   *
   * <pre>{@code
   * throw new InvalidUsageSignatureException(Reason.BAD_SIGNATURE, "The signature does not verify");
   * }</pre>
   */
  public InvalidUsageSignatureException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  InvalidUsageSignatureException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Why the signature was refused.
   *
   * <pre>{@code
   * boolean forged = e.reason() == Reason.BAD_SIGNATURE;
   * }</pre>
   */
  public Reason reason() {
    return reason;
  }
}
