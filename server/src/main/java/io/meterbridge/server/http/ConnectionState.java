package io.meterbridge.server.http;

/**
 * What the handlers of one connection share. Touched only on the connection's event loop.
 */
final class ConnectionState {
  /** Between a request's first line and its last byte. */
  boolean receiving;
  /** A complete request is being answered (or waits in line to be). */
  boolean busy;
  /** The server is shutting down: answer what was received, then close. */
  boolean draining;

  boolean idle() {
    return !receiving && !busy;
  }
}
