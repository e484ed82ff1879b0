/**
 * Endpoint resolution for the Metering Service: an interpreter of the official endpoint rule set.
 *
 * <pre>{@code
 * URI uri = MeteringEndpoints.resolve(EndpointParams.ofRegion("us-east-1")).uri();
 * }</pre>
 *
 * <p>The rule set and partitions bundled in this package's resources are unmodified Apache-2.0
 * data files from boto/botocore; {@code SOURCES.txt} beside them names the exact origin.
 */
package io.meterbridge.client.endpoints;
