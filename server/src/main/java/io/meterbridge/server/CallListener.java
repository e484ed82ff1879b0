package io.meterbridge.server;

import java.util.List;

/**
 * Told about every answered request: the audit trail, the access log and the metrics listen. Runs
 * on the connection's event loop, so an implementation must be quick and must not block (queue the
 * work, count, return) and must not throw.
 */
@FunctionalInterface
public interface CallListener {
  /** Listens to nothing. */
  CallListener NONE = call -> {};

  void completed(CallRecord call);

  /** Every listener of {@code listeners}, in order; one that throws does not stop the others. */
  static CallListener all(List<CallListener> listeners) {
    List<CallListener> copy = List.copyOf(listeners);
    if (copy.isEmpty()) {
      return NONE;
    }
    if (copy.size() == 1) {
      return copy.get(0);
    }
    return call -> {
      for (CallListener listener : copy) {
        try {
          listener.completed(call);
        } catch (RuntimeException e) {
          // A listener's fault must not cost the call its answer; nothing better to do than carry on.
          org.slf4j.LoggerFactory.getLogger(CallListener.class).warn("Call listener {} failed", listener, e);
        }
      }
    };
  }
}
