package io.meterbridge.client.internal;

import java.net.URI;
import java.util.Optional;

/**
 * Where a client sends its requests and how it signs them.
 *
 * <p>TEMPORARY: resolves the default pattern {@code https://metering.marketplace.{region}.amazonaws.com}
 * (with the FIPS and dual-stack variants of the {@code aws} partition) until
 * {@code io.meterbridge.client.endpoints.MeteringEndpoints} lands on main; then
 * {@link #resolve} delegates to it and this record gives way to {@code ResolvedEndpoint}.
 *
 * @param uri the endpoint URI; requests go to its root
 * @param signingRegion the SigV4 region
 * @param signingName the SigV4 service name, {@code aws-marketplace}
 */
public record Endpoint(URI uri, String signingRegion, String signingName) {
  /** The SigV4 service name of the Metering Service. */
  public static final String SIGNING_NAME = "aws-marketplace";

  /**
   * The endpoint for a region and the FIPS and dual-stack switches, or the override.
   *
   * @throws IllegalArgumentException for FIPS or dual-stack with an override, as the rule set says
   */
  public static Endpoint resolve(String region, boolean useFips, boolean useDualStack,
      Optional<URI> override) {
    if (override.isPresent()) {
      if (useFips) {
        throw new IllegalArgumentException(
            "Invalid Configuration: FIPS and custom endpoint are not supported");
      }
      if (useDualStack) {
        throw new IllegalArgumentException(
            "Invalid Configuration: Dualstack and custom endpoint are not supported");
      }
      return new Endpoint(override.get(), region, SIGNING_NAME);
    }
    String host;
    if (useFips) {
      host = "metering.marketplace-fips." + region + (useDualStack ? ".api.aws" : ".amazonaws.com");
    } else if (useDualStack) {
      host = "metering-marketplace." + region + ".api.aws";
    } else {
      host = "metering.marketplace." + region + ".amazonaws.com";
    }
    return new Endpoint(URI.create("https://" + host), region, SIGNING_NAME);
  }
}
