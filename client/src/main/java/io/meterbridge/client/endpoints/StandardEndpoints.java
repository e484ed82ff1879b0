package io.meterbridge.client.endpoints;

import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * The rule set's answer for the two cases nearly every client is built with, computed without
 * loading the rule set: an endpoint override (without FIPS or dual-stack), and a region of the
 * commercial {@code aws} partition (without FIPS or dual-stack), which the rules map to
 * {@code https://metering.marketplace.{region}.amazonaws.com}. Everything else goes to the
 * interpreter, which stays authoritative: {@code MeteringEndpointsTest} checks that every answer
 * here is the interpreter's.
 *
 * <p>Why: parsing the bundled rules and partitions costs tens of milliseconds at start-up, before
 * the first call.
 */
final class StandardEndpoints {
  /** The {@code aws} partition's regions as listed in the bundled {@code partitions.json}. */
  static final Set<String> AWS_REGIONS = Set.of(
      "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
      "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
      "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1",
      "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
      "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1",
      "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2");

  private StandardEndpoints() {}

  /** The endpoint, or null when only the rule set can tell. */
  static ResolvedEndpoint resolve(EndpointParams params) {
    if (params.useFips() || params.useDualStack()) {
      return null;
    }
    if (params.endpoint().isPresent()) {
      // The rules' first branch: the endpoint as given, no properties, no headers.
      URI given = params.endpoint().get();
      return new ResolvedEndpoint(given, params.region(), MeteringEndpoints.SIGNING_NAME, Map.of());
    }
    if (params.region().isPresent() && AWS_REGIONS.contains(params.region().get())) {
      String region = params.region().get();
      return new ResolvedEndpoint(URI.create("https://metering.marketplace." + region + ".amazonaws.com"),
          params.region(), MeteringEndpoints.SIGNING_NAME, Map.of());
    }
    return null;
  }
}
