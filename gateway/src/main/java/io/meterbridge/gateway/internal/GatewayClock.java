package io.meterbridge.gateway.internal;

import java.time.Clock;
import java.time.Instant;

/**
 * The gateway's business time: a base clock plus an offset that time travel moves, so a test can
 * close hours and pass deadlines without waiting. The offset lives in the database (every process
 * on it follows within a second, and it survives a restart); leases and pacing use the base clock.
 */
public final class GatewayClock {
  private final Clock base;
  private volatile long offsetMillis;

  public GatewayClock(Clock base) {
    this.base = base;
  }

  /** Business time, epoch ms. */
  public long now() {
    return base.millis() + offsetMillis;
  }

  public Instant instant() {
    return Instant.ofEpochMilli(now());
  }

  /** The base clock, epoch ms: for leases and pacing, which must never travel. */
  public long realNow() {
    return base.millis();
  }

  public long offsetMillis() {
    return offsetMillis;
  }

  void offsetMillis(long offset) {
    this.offsetMillis = offset;
  }
}
