/**
 * The Java client of the AWS Marketplace Metering Service (and of a Meterbridge server):
 * {@link io.meterbridge.client.MeteringClient} and {@link io.meterbridge.client.MeteringAsyncClient}
 * with their builders, interceptors and {@link io.meterbridge.client.Transport} plug point
 * ({@code io.meterbridge.client}), credential and region providers and the shared settings
 * ({@code io.meterbridge.client.credentials}), endpoint resolution
 * ({@code io.meterbridge.client.endpoints}) and a stub for your tests
 * ({@code io.meterbridge.client.testing}).
 *
 * <p>{@code io.meterbridge.client.internal} is not exported: the call engine and the built-in
 * transports change without notice.
 */
module io.meterbridge.client {
  requires transitive io.meterbridge.model;
  requires transitive java.net.http;
  requires com.fasterxml.jackson.core;
  requires java.xml;

  exports io.meterbridge.client;
  exports io.meterbridge.client.credentials;
  exports io.meterbridge.client.endpoints;
  exports io.meterbridge.client.testing;
}
