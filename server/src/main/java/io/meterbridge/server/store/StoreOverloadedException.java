package io.meterbridge.server.store;

/**
 * The write queue is full. Nothing was written; the caller should shed load (for example answer
 * {@code ThrottlingException}) rather than wait, because waiting would block an event loop.
 */
public final class StoreOverloadedException extends StoreException {
  public StoreOverloadedException(String message) {
    super(message);
  }
}
