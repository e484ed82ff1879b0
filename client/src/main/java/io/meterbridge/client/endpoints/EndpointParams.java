package io.meterbridge.client.endpoints;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The inputs of endpoint resolution: the region, the FIPS and dual-stack switches, and an
 * optional custom endpoint that replaces the AWS one (a Meterbridge server, for example).
 *
 * <pre>{@code
 * EndpointParams aws = EndpointParams.ofRegion("eu-west-1");
 * EndpointParams fips = EndpointParams.builder().region("us-gov-west-1").useFips(true).build();
 * EndpointParams local = EndpointParams.builder()
 *     .region("us-east-1")
 *     .endpoint(URI.create("http://127.0.0.1:8080"))
 *     .build();
 * }</pre>
 *
 * <p>Values are checked here, before the rules run, so that a typo fails with a precise message
 * instead of an odd host name: a region is letters, digits and hyphens (it becomes part of a host
 * name); a custom endpoint is an absolute {@code http} or {@code https} URI with a host.
 *
 * @param region the AWS region, such as {@code us-east-1}
 * @param useFips whether to use the FIPS endpoint
 * @param useDualStack whether to use the dual-stack (IPv4 and IPv6) endpoint
 * @param endpoint a custom endpoint that replaces the AWS one
 */
public record EndpointParams(
    Optional<String> region, boolean useFips, boolean useDualStack, Optional<URI> endpoint) {


  /**
   * Validates the parameters.
   *
   * @throws IllegalArgumentException if the region or the endpoint is malformed
   */
  public EndpointParams {
    region = Objects.requireNonNullElse(region, Optional.empty());
    endpoint = Objects.requireNonNullElse(endpoint, Optional.empty());
    if (region.isPresent() && !isRegionName(region.get())) {
      throw new IllegalArgumentException("Invalid region \"" + region.get()
          + "\": expected letters, digits and hyphens, such as us-east-1");
    }
    if (endpoint.isPresent()) {
      URI uri = endpoint.get();
      String scheme = uri.getScheme();
      if (!uri.isAbsolute()
          || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "Invalid endpoint \"" + uri + "\": expected an absolute http or https URI with a host,"
                + " such as https://metering.example.com");
      }
    }
  }

  /** {@code [A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?}, checked without a regex (start-up cost). */
  private static boolean isRegionName(String r) {
    int n = r.length();
    if (n == 0 || !isAlnum(r.charAt(0)) || !isAlnum(r.charAt(n - 1))) {
      return false;
    }
    for (int i = 1; i < n - 1; i++) {
      char c = r.charAt(i);
      if (!isAlnum(c) && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlnum(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
  }

  /**
   * The default endpoint of a region: no FIPS, no dual-stack, no custom endpoint.
   *
   * <pre>{@code
   * MeteringEndpoints.resolve(EndpointParams.ofRegion("us-east-1"));
   * }</pre>
   */
  public static EndpointParams ofRegion(String region) {
    return builder().region(region).build();
  }

  /**
   * A builder with nothing set: no region, FIPS and dual-stack off, no custom endpoint.
   *
   * <pre>{@code
   * EndpointParams params = EndpointParams.builder().region("us-east-1").useDualStack(true).build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding these parameters, to change a few.
   *
   * <pre>{@code
   * EndpointParams fips = params.toBuilder().useFips(true).build();
   * }</pre>
   */
  public Builder toBuilder() {
    Builder builder = new Builder().useFips(useFips).useDualStack(useDualStack);
    builder.region = region;
    builder.endpoint = endpoint;
    return builder;
  }

  /**
   * Builds {@link EndpointParams}; not thread-safe, as builders are used by one thread.
   *
   * <pre>{@code
   * EndpointParams.builder().region("us-east-1").useFips(true).build();
   * }</pre>
   */
  public static final class Builder {
    private Optional<String> region = Optional.empty();
    private boolean useFips;
    private boolean useDualStack;
    private Optional<URI> endpoint = Optional.empty();

    private Builder() {}

    /**
     * The AWS region, such as {@code us-east-1}.
     *
     * <pre>{@code
     * builder.region("eu-central-1");
     * }</pre>
     */
    public Builder region(String region) {
      this.region = Optional.of(Objects.requireNonNull(region, "region"));
      return this;
    }

    /**
     * Whether to use the FIPS endpoint; off by default.
     *
     * <pre>{@code
     * builder.useFips(true);
     * }</pre>
     */
    public Builder useFips(boolean useFips) {
      this.useFips = useFips;
      return this;
    }

    /**
     * Whether to use the dual-stack endpoint; off by default.
     *
     * <pre>{@code
     * builder.useDualStack(true);
     * }</pre>
     */
    public Builder useDualStack(boolean useDualStack) {
      this.useDualStack = useDualStack;
      return this;
    }

    /**
     * A custom endpoint that replaces the AWS one; FIPS and dual-stack must then be off.
     *
     * <pre>{@code
     * builder.endpoint(URI.create("http://127.0.0.1:8080"));
     * }</pre>
     */
    public Builder endpoint(URI endpoint) {
      this.endpoint = Optional.of(Objects.requireNonNull(endpoint, "endpoint"));
      return this;
    }

    /**
     * The parameters.
     *
     * <pre>{@code
     * EndpointParams params = builder.build();
     * }</pre>
     *
     * @throws IllegalArgumentException if the region or the endpoint is malformed
     */
    public EndpointParams build() {
      return new EndpointParams(region, useFips, useDualStack, endpoint);
    }
  }
}
