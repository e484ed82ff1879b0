package io.meterbridge.server.store;

/** The store was closed before the write was accepted. Nothing was written. */
public final class StoreClosedException extends StoreException {
  public StoreClosedException(String message) {
    super(message);
  }
}
