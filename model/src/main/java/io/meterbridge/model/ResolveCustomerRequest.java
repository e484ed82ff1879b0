package io.meterbridge.model;

import io.meterbridge.exception.InvalidRequestException;
import java.util.List;

/**
 * Exchanges the registration token a buyer's browser posted to the seller's sign-up page
 * ({@code x-amzn-marketplace-token}) for the customer and product it stands for.
 *
 * <pre>{@code
 * ResolveCustomerResponse customer = client.resolveCustomer(ResolveCustomerRequest.of(token));
 * }</pre>
 *
 * @param registrationToken the token, not empty
 */
public record ResolveCustomerRequest(String registrationToken) {
  /**
   * Checks the components against the model's constraints.
   *
   * @throws InvalidRequestException if the token is missing or empty
   */
  public ResolveCustomerRequest {
    if (registrationToken == null) {
      throw new InvalidRequestException(List.of("registrationToken: is required"));
    }
    if (registrationToken.isEmpty()) {
      throw new InvalidRequestException(
          List.of("registrationToken: '' is shorter than the minimum length 1"));
    }
  }

  /** A request for this token. */
  public static ResolveCustomerRequest of(String registrationToken) {
    return new ResolveCustomerRequest(registrationToken);
  }

  /**
   * A builder, as the other requests have, so that {@code resolveCustomer(b -> ...)} reads like
   * the other operations.
   *
   * <pre>{@code
   * ResolveCustomerRequest request = ResolveCustomerRequest.builder().registrationToken(token).build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this request's token. */
  public Builder toBuilder() {
    return new Builder().registrationToken(registrationToken);
  }

  /** Builds a {@link ResolveCustomerRequest}; not thread-safe. */
  public static final class Builder {
    private String registrationToken;

    private Builder() {}

    /** The token from the {@code x-amzn-marketplace-token} form field; required. */
    public Builder registrationToken(String registrationToken) {
      this.registrationToken = registrationToken;
      return this;
    }

    /**
     * The request.
     *
     * @throws InvalidRequestException if the token is missing or empty
     */
    public ResolveCustomerRequest build() {
      return new ResolveCustomerRequest(registrationToken);
    }
  }
}
