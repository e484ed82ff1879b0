package io.meterbridge.gateway;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A product of the seller's listing as the gateway knows it: events for any other product, or for a
 * dimension it does not have, are refused at ingest rather than an hour later in a failed batch. Only
 * SaaS products are metered through BatchMeterUsage; events for other types are refused.
 *
 * <pre>{@code
 * CatalogProduct saas = CatalogProduct.saas("prod-saas", "users", "storage_gb");
 * }</pre>
 *
 * @param productCode the product code of the listing
 * @param type {@code SAAS}, {@code AMI} or {@code CONTAINER}
 * @param dimensions the listing's dimensions (case-sensitive), in listing order
 */
public record CatalogProduct(String productCode, String type, List<String> dimensions) {
  /** The product types a listing has. */
  public static final Set<String> TYPES = Set.of("SAAS", "AMI", "CONTAINER");

  public CatalogProduct {
    Objects.requireNonNull(productCode, "productCode");
    if (productCode.isEmpty() || productCode.length() > 255 || !productCode.matches("[-a-zA-Z0-9/=:_.@]+")) {
      throw new IllegalArgumentException("productCode '" + productCode
          + "' is not a product code (1 to 255 of letters, digits and -/=:_.@)");
    }
    type = Objects.requireNonNull(type, "type").toUpperCase(Locale.ROOT);
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException("type '" + type + "' of product " + productCode
          + " is not one of SAAS, AMI, CONTAINER");
    }
    dimensions = List.copyOf(dimensions);
    for (String d : dimensions) {
      if (d.isEmpty() || d.length() > 255) {
        throw new IllegalArgumentException("dimension '" + d + "' of product " + productCode
            + " must be 1 to 255 characters");
      }
    }
    if (Set.copyOf(dimensions).size() != dimensions.size()) {
      throw new IllegalArgumentException("product " + productCode + " lists a dimension twice: " + dimensions);
    }
  }

  /** A SaaS product with these dimensions. */
  public static CatalogProduct saas(String productCode, String... dimensions) {
    return new CatalogProduct(productCode, "SAAS", List.of(dimensions));
  }

  /** Whether BatchMeterUsage meters this product. */
  public boolean saas() {
    return type.equals("SAAS");
  }
}
