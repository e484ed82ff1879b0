package io.meterbridge.gateway.internal;

/** The states as stored: {@link io.meterbridge.gateway.RecordState#wireName()}. */
final class RecordStateNames {
  static final String OPEN = "open";
  static final String CLOSED = "closed";
  static final String SENDING = "sending";
  static final String SENT = "sent";
  static final String NOT_SUBSCRIBED = "not-subscribed";
  static final String CONFLICT = "conflict";
  static final String EXPIRED = "expired";

  private RecordStateNames() {}
}
