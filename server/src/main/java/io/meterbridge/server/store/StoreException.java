package io.meterbridge.server.store;

/** The store could not do what was asked: the database failed, refused a constraint, or is gone. */
public class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
