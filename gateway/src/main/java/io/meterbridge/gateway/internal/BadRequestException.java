package io.meterbridge.gateway.internal;

/** A request the gateway cannot read as a whole (HTTP 400); per-event problems are answers, not this. */
final class BadRequestException extends RuntimeException {
  BadRequestException(String message) {
    super(message, null, false, false);
  }
}
