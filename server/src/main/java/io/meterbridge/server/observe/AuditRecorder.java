package io.meterbridge.server.observe;

import io.meterbridge.server.CallListener;
import io.meterbridge.server.CallRecord;
import io.meterbridge.server.store.AuditEntry;
import io.meterbridge.server.store.AuditLog;

/**
 * Puts every answered request into the store's {@link AuditLog}: API calls, refusals of any kind,
 * and admin requests (catalog changes, clock moves, faults, key rotations, and reads). Health checks
 * and metric scrapes are left out: they come every few seconds and say nothing about callers.
 */
public final class AuditRecorder implements CallListener {
  private final AuditLog log;

  public AuditRecorder(AuditLog log) {
    this.log = log;
  }

  @Override
  public void completed(CallRecord call) {
    if (!call.api() && probe(call.operation())) {
      return;
    }
    log.offer(new AuditEntry(call.receivedAt(), call.requestId(), call.operation(), call.accountId(),
        call.accessKeyId(), call.source(), call.status(), call.errorCode(), call.records(),
        call.latencyNanos() / 1000));
  }

  /** A health check or metrics scrape: {@code GET /health}, {@code HEAD /health}, {@code GET /metrics}. */
  static boolean probe(String operation) {
    return operation.endsWith(" /health") || operation.endsWith(" /metrics");
  }

  @Override
  public String toString() {
    return "AuditRecorder";
  }
}
