package io.meterbridge.server.http;

/**
 * Completing a call with this closes its connection without an answer, as a network that drops a
 * connection would: fault injection's {@code drop-before-commit} and {@code drop-after-commit}.
 */
public final class DroppedConnection extends RuntimeException {
  public DroppedConnection(String why) {
    super(why, null, false, false);
  }
}
