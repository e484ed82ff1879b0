package io.meterbridge.model;

import java.util.Objects;
import java.util.Optional;

/**
 * The customer behind a registration token. Meter with {@code customerAwsAccountId} and
 * {@code licenseArn}; {@code customerIdentifier} is not populated for SaaS products integrated
 * since June 2026.
 *
 * <pre>{@code
 * ResolveCustomerResponse c = client.resolveCustomer(ResolveCustomerRequest.of(token));
 * store(c.customerAwsAccountId().orElseThrow(), c.licenseArn().orElseThrow(), c.productCode().orElseThrow());
 * }</pre>
 *
 * @param customerIdentifier the legacy customer id
 * @param productCode the product the buyer subscribed to
 * @param customerAwsAccountId the buyer's AWS account id
 * @param licenseArn the buyer's license
 */
public record ResolveCustomerResponse(
    Optional<String> customerIdentifier,
    Optional<String> productCode,
    Optional<String> customerAwsAccountId,
    Optional<String> licenseArn) {

  /** Checks the components. */
  public ResolveCustomerResponse {
    customerIdentifier = Shapes.nonEmpty(customerIdentifier);
    productCode = Objects.requireNonNullElse(productCode, Optional.empty());
    customerAwsAccountId = Objects.requireNonNullElse(customerAwsAccountId, Optional.empty());
    licenseArn = Objects.requireNonNullElse(licenseArn, Optional.empty());
  }
}
