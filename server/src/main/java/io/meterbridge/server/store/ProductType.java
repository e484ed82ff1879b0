package io.meterbridge.server.store;

/** How a Marketplace product is delivered, which decides the metering operations it may use. */
public enum ProductType {
  SAAS,
  AMI,
  CONTAINER
}
