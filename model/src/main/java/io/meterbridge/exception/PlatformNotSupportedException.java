package io.meterbridge.exception;

/**
 * Wire error {@code PlatformNotSupportedException} (its HTTP status by default: see {@link ErrorCode}): The platform is not supported; Amazon ECS, Amazon EKS and Fargate are.
 *
 * <pre>{@code
 * catch (PlatformNotSupportedException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class PlatformNotSupportedException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "PlatformNotSupportedException";

  /** An error with the default status and no request id, as the server raises it. */
  public PlatformNotSupportedException(String message) {
    this(message, ErrorCode.PLATFORM_NOT_SUPPORTED.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public PlatformNotSupportedException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}
