package io.meterbridge.gateway;

/**
 * The gateway could not do what was asked: its database cannot be opened, migrated or reached, its
 * configuration or catalog file is invalid. The message says what and, where it can, how to fix it.
 */
public class GatewayException extends RuntimeException {
  public GatewayException(String message) {
    super(message);
  }

  public GatewayException(String message, Throwable cause) {
    super(message, cause);
  }
}
