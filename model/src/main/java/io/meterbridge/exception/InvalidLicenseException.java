package io.meterbridge.exception;

/**
 * Wire error {@code InvalidLicenseException} (its HTTP status by default: see {@link ErrorCode}): The LicenseArn is invalid, does not match the customer, or the usage is outside the license activation period.
 *
 * <pre>{@code
 * catch (InvalidLicenseException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class InvalidLicenseException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "InvalidLicenseException";

  /** An error with the default status and no request id, as the server raises it. */
  public InvalidLicenseException(String message) {
    this(message, ErrorCode.INVALID_LICENSE.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public InvalidLicenseException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}
