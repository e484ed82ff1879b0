package io.meterbridge.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's notion of now: a base clock plus an offset that the admin API can move, so that
 * tests of time windows, token expiry and key rotation need not wait for hours ("time travel").
 * The offset lives in memory only; a restart returns to real time.
 *
 * <pre>{@code
 * ServerClock clock = ServerClock.system();
 * clock.shift(Duration.ofHours(-25)); // make yesterday's records look fresh... or today's stale
 * }</pre>
 */
public final class ServerClock {
  private final Clock base;
  private final AtomicLong offsetMillis = new AtomicLong();

  private ServerClock(Clock base) {
    this.base = Objects.requireNonNull(base, "base");
  }

  /** Real UTC time, no offset. */
  public static ServerClock system() {
    return new ServerClock(Clock.systemUTC());
  }

  /** A clock over {@code base}, for tests. */
  public static ServerClock of(Clock base) {
    return new ServerClock(base);
  }

  /** The server's current time: the base clock plus the offset. */
  public Instant instant() {
    return base.instant().plusMillis(offsetMillis.get());
  }

  /** How far the server's time is from the base clock. */
  public Duration offset() {
    return Duration.ofMillis(offsetMillis.get());
  }

  /** Moves the server's time by {@code delta} (negative moves it back). */
  public void shift(Duration delta) {
    offsetMillis.addAndGet(delta.toMillis());
  }

  /** Sets the server's time to {@code instant} from now on (it keeps running). */
  public void set(Instant instant) {
    offsetMillis.set(Duration.between(base.instant(), instant).toMillis());
  }

  /** Back to the base clock. */
  public void reset() {
    offsetMillis.set(0);
  }
}
