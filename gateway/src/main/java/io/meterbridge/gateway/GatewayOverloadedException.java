package io.meterbridge.gateway;

/** The ingest queue is full: retry shortly (over HTTP: 503 with {@code Retry-After}). */
public final class GatewayOverloadedException extends GatewayException {
  public GatewayOverloadedException(String message) {
    super(message);
  }
}
