package io.meterbridge.client.endpoints;

/**
 * The endpoint rules reject the configuration; the message is the rule set's own, word for word,
 * as every AWS SDK reports it.
 *
 * <pre>{@code
 * try {
 *   MeteringEndpoints.resolve(EndpointParams.builder().useFips(true).endpoint(URI.create("https://example.com")).build());
 * } catch (EndpointResolutionException e) {
 *   e.getMessage(); // "Invalid Configuration: FIPS and custom endpoint are not supported"
 * }
 * }</pre>
 *
 * <p>It is an {@link IllegalArgumentException} because every cause is a configuration the caller
 * chose: retrying the same parameters always fails the same way.
 */
public final class EndpointResolutionException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /**
   * An error with the rule set's message.
   *
   * <pre>{@code
   * throw new EndpointResolutionException("Invalid Configuration: Missing Region");
   * }</pre>
   */
  public EndpointResolutionException(String message) {
    super(message);
  }
}
