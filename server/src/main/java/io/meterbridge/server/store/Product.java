package io.meterbridge.server.store;

import java.util.Set;

/**
 * A Marketplace product.
 *
 * @param productCode the product code, the primary key
 * @param sellerAccountId the account that publishes it; must exist as an {@link Account}
 * @param type how it is delivered
 * @param region the region it is metered in, e.g. {@code us-east-1}
 * @param agentCore whether it runs on Amazon Bedrock AgentCore Runtime: MeterUsage may then report
 *     many times an hour, each call deduplicated by its ClientToken alone (never for SaaS products)
 * @param platforms where RegisterUsage may be called from (at least one); by default {@link
 *     Platform#REGISTER_USAGE_DEFAULT}, AWS's ECS, EKS and Fargate
 */
public record Product(
    String productCode, String sellerAccountId, ProductType type, String region, boolean agentCore,
    Set<Platform> platforms) {
  public Product {
    Require.text(productCode, "productCode");
    Require.text(sellerAccountId, "sellerAccountId");
    Require.present(type, "type");
    Require.text(region, "region");
    if (agentCore && type == ProductType.SAAS) {
      throw new IllegalArgumentException("agentCore applies to MeterUsage, which meters AMI and container products,"
          + " not to SaaS product " + productCode);
    }
    platforms = Set.copyOf(Require.present(platforms, "platforms"));
    if (platforms.isEmpty()) {
      throw new IllegalArgumentException("platforms must name at least one platform");
    }
  }

  /** A product supporting RegisterUsage from AWS's default platforms. */
  public Product(String productCode, String sellerAccountId, ProductType type, String region, boolean agentCore) {
    this(productCode, sellerAccountId, type, region, agentCore, Platform.REGISTER_USAGE_DEFAULT);
  }

  /** A product that is not an AgentCore Runtime product, supporting AWS's default platforms. */
  public Product(String productCode, String sellerAccountId, ProductType type, String region) {
    this(productCode, sellerAccountId, type, region, false);
  }

  /** Whether {@code other} has this product's seller, type and region: the settings that cannot change. */
  public boolean sameListing(Product other) {
    return productCode.equals(other.productCode) && sellerAccountId.equals(other.sellerAccountId)
        && type == other.type && region.equals(other.region);
  }
}
