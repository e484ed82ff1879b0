package io.meterbridge.server.metering;

import io.meterbridge.exception.InternalServiceErrorException;
import io.meterbridge.server.store.StoreUnavailableException;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a caller hears when the database is down, restarting or out of disk: the service's own,
 * passing failure, so the modelled and retriable {@code InternalServiceErrorException} (500) with
 * the reason, never an acknowledgement. The store has already retried what a retry could fix.
 *
 * <p>Logged as one WARN line at most every 10 seconds with the count since: an outage under load
 * would otherwise write a stack trace per call.
 */
final class StoreOutages {
  private static final System.Logger LOG = System.getLogger(StoreOutages.class.getName());
  private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
  private static final AtomicLong sinceLog = new AtomicLong();

  private StoreOutages() {}

  /** The answer to a call that met {@code e}; logs it (at most every 10 s). */
  static InternalServiceErrorException answer(StoreUnavailableException e) {
    long count = sinceLog.incrementAndGet();
    long last = lastLog.get();
    long now = System.nanoTime();
    if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
      sinceLog.addAndGet(-count);
      LOG.log(Level.WARNING, "The database is unavailable (" + e.reason() + "): " + count
          + " call(s) answered InternalServiceErrorException since the last such line; last failure: "
          + e.getMessage());
    }
    return new InternalServiceErrorException("The metering database is unavailable: " + e.reason()
        + ". This call may not have been stored; retry it (a retry with the same parameters, and for MeterUsage"
        + " the same ClientToken, is stored at most once).");
  }
}
