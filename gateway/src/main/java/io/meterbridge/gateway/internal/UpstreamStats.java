package io.meterbridge.gateway.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the forwarder did upstream, for metrics: BatchMeterUsage calls made, and those that failed,
 * by error code (the AWS code, or the client-side exception's name). A handful of calls a second at
 * most (the account's quota), so a map of adders is cheap enough.
 */
final class UpstreamStats {
  private final LongAdder calls = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

  void called() {
    calls.increment();
  }

  void failed(String errorCode) {
    errors.computeIfAbsent(errorCode, k -> new LongAdder()).increment();
  }

  long calls() {
    return calls.sum();
  }

  /** Failed calls by error code; live view. */
  Map<String, LongAdder> errors() {
    return errors;
  }
}
