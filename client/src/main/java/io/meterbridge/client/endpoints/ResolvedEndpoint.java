package io.meterbridge.client.endpoints;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where to send requests and how to sign them, as the endpoint rules decided.
 *
 * <pre>{@code
 * ResolvedEndpoint endpoint = MeteringEndpoints.resolve(EndpointParams.ofRegion("us-east-1"));
 * endpoint.uri();           // https://metering.marketplace.us-east-1.amazonaws.com
 * endpoint.signingRegion(); // Optional[us-east-1]
 * endpoint.signingName();   // aws-marketplace
 * }</pre>
 *
 * @param uri the endpoint to send requests to
 * @param signingRegion the SigV4 region: the rule's own, else the configured region; empty only
 *     for a custom endpoint configured without a region, where the caller must choose one
 * @param signingName the SigV4 service name, {@value MeteringEndpoints#SIGNING_NAME} unless the
 *     rule says otherwise
 * @param headers headers the rule asks to add to every request (none in the current rule set)
 */
public record ResolvedEndpoint(
    URI uri, Optional<String> signingRegion, String signingName, Map<String, List<String>> headers) {

  /** Validates and copies; {@code headers} becomes unmodifiable. */
  public ResolvedEndpoint {
    Objects.requireNonNull(uri, "uri");
    signingRegion = Objects.requireNonNullElse(signingRegion, Optional.empty());
    Objects.requireNonNull(signingName, "signingName");
    headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
  }
}
