package io.meterbridge.exception;

/**
 * Wire error {@code DryRunOperation} (its HTTP status by default: see {@link ErrorCode}): A DryRun request would have succeeded; nothing was stored.
 *
 * <pre>{@code
 * catch (DryRunOperationException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class DryRunOperationException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "DryRunOperation";

  /** An error with the default status and no request id, as the server raises it. */
  public DryRunOperationException(String message) {
    this(message, ErrorCode.DRY_RUN_OPERATION.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public DryRunOperationException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}
