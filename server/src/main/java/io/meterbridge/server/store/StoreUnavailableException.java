package io.meterbridge.server.store;

/**
 * The database cannot take the work now, for a reason that should pass: the connection to
 * PostgreSQL was lost or refused, the disk is full. The work was rolled back (or its commit was
 * not confirmed: a retry with the same keys replays it), the server stays up and recovers by itself
 * when the database does. Callers should answer a retriable error that says {@link #reason()}.
 */
public final class StoreUnavailableException extends StoreException {
  private final String reason;

  public StoreUnavailableException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** What is wrong, in a few words for the caller: {@code the disk is full}, {@code the connection to PostgreSQL was lost}. */
  public String reason() {
    return reason;
  }
}
