package io.meterbridge.server.store;

/**
 * A Marketplace product.
 *
 * @param productCode the product code, the primary key
 * @param sellerAccountId the account that publishes it; must exist as an {@link Account}
 * @param type how it is delivered
 * @param region the region it is metered in, e.g. {@code us-east-1}
 */
public record Product(String productCode, String sellerAccountId, ProductType type, String region) {
  public Product {
    Require.text(productCode, "productCode");
    Require.text(sellerAccountId, "sellerAccountId");
    Require.present(type, "type");
    Require.text(region, "region");
  }
}
