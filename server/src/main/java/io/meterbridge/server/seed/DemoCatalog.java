package io.meterbridge.server.seed;

import io.meterbridge.server.catalog.CatalogRules;
import io.meterbridge.server.store.AccessKey;
import io.meterbridge.server.store.Account;
import io.meterbridge.server.store.CatalogChanges;
import io.meterbridge.server.store.Product;
import io.meterbridge.server.store.ProductType;
import io.meterbridge.server.store.RegistrationToken;
import io.meterbridge.server.store.Store;
import io.meterbridge.server.store.Subscription;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The catalog an empty database gets when no seed file is given, so that a newcomer can call the
 * server at once: a seller and a buyer with access keys, a SaaS, an AMI and a container product,
 * the buyer subscribed to all three, and a registration token.
 *
 * <p>The keys are fixed and published (README, this class): <b>a local demo only</b>. Anyone who
 * can reach a server holding them can meter usage as the demo seller.
 */
public final class DemoCatalog {
  public static final String SELLER_ACCOUNT_ID = "111122223333";
  public static final String SELLER_ACCESS_KEY_ID = "AKIADEMOSELLEREXAMPLE";
  public static final String SELLER_SECRET_ACCESS_KEY = "demoSellerSecretEXAMPLEnotForProductionUse";
  public static final String BUYER_ACCOUNT_ID = "444455556666";
  public static final String BUYER_ACCESS_KEY_ID = "AKIADEMOBUYEREXAMPLE";
  public static final String BUYER_SECRET_ACCESS_KEY = "demoBuyerSecretEXAMPLEnotForProductionUse";
  public static final String SAAS_PRODUCT = "demo-saas";
  public static final List<String> SAAS_DIMENSIONS = List.of("users", "storage_gb");
  public static final String AMI_PRODUCT = "demo-ami";
  public static final List<String> AMI_DIMENSIONS = List.of("vcpu_hours");
  public static final String CONTAINER_PRODUCT = "demo-container";
  public static final List<String> CONTAINER_DIMENSIONS = List.of("pods");
  public static final int CONTAINER_PUBLIC_KEY_VERSION = 1;
  public static final String CUSTOMER_IDENTIFIER = "demo-customer-1";
  public static final String REGISTRATION_TOKEN = "demo-registration-token-EXAMPLE";

  private final String region;
  private final Instant loadedAt;
  private final Instant tokenExpiresAt;

  private DemoCatalog(String region, Instant loadedAt, Instant tokenExpiresAt) {
    this.region = region;
    this.loadedAt = loadedAt;
    this.tokenExpiresAt = tokenExpiresAt;
  }

  /**
   * Loads the demo catalog into {@code store} in one transaction.
   *
   * @param region the region of the demo products
   * @param now the load time
   * @param tokenTtl how long the registration token is valid
   */
  public static DemoCatalog load(Store store, String region, Instant now, Duration tokenTtl) {
    Instant expiresAt = now.plus(tokenTtl);
    CatalogChanges.Builder changes = CatalogChanges.builder()
        .account(new Account(SELLER_ACCOUNT_ID, "demo-seller"))
        .account(new Account(BUYER_ACCOUNT_ID, "demo-buyer"))
        .accessKey(new AccessKey(SELLER_ACCESS_KEY_ID, SELLER_ACCOUNT_ID, SELLER_SECRET_ACCESS_KEY))
        .accessKey(new AccessKey(BUYER_ACCESS_KEY_ID, BUYER_ACCOUNT_ID, BUYER_SECRET_ACCESS_KEY))
        .product(new Product(SAAS_PRODUCT, SELLER_ACCOUNT_ID, ProductType.SAAS, region))
        .product(new Product(AMI_PRODUCT, SELLER_ACCOUNT_ID, ProductType.AMI, region))
        .product(new Product(CONTAINER_PRODUCT, SELLER_ACCOUNT_ID, ProductType.CONTAINER, region))
        .dimensions(SAAS_PRODUCT, SAAS_DIMENSIONS)
        .dimensions(AMI_PRODUCT, AMI_DIMENSIONS)
        .dimensions(CONTAINER_PRODUCT, CONTAINER_DIMENSIONS)
        .signingKey(CatalogRules.newSigningKey(CONTAINER_PRODUCT, CONTAINER_PUBLIC_KEY_VERSION, now))
        .token(RegistrationToken.builder()
            .token(REGISTRATION_TOKEN)
            .productCode(SAAS_PRODUCT)
            .customerAccountId(BUYER_ACCOUNT_ID)
            .customerIdentifier(CUSTOMER_IDENTIFIER)
            .licenseArn(licenseArn(SAAS_PRODUCT))
            .expiresAt(expiresAt)
            .build());
    // Subscribed since the start of yesterday, so usage of the whole metering window is entitled.
    Instant since = now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
    for (String product : List.of(SAAS_PRODUCT, AMI_PRODUCT, CONTAINER_PRODUCT)) {
      Subscription.Builder s = Subscription.builder()
          .productCode(product)
          .customerAccountId(BUYER_ACCOUNT_ID)
          .licenseArn(licenseArn(product))
          .active(true)
          .since(since);
      if (product.equals(SAAS_PRODUCT)) {
        s.customerIdentifier(CUSTOMER_IDENTIFIER);
      }
      changes.subscription(s.build());
    }
    store.apply(changes.build());
    return new DemoCatalog(region, now, expiresAt);
  }

  /** The license ARN of the buyer's subscription to a demo product. */
  public static String licenseArn(String productCode) {
    return "arn:aws:license-manager::" + SELLER_ACCOUNT_ID + ":license:l-" + productCode;
  }

  /** Whether {@code store} holds the demo catalog (its seller key), loaded at some earlier start. */
  public static boolean present(Store store) {
    return store.accessKey(SELLER_ACCESS_KEY_ID).isPresent();
  }

  /** When the registration token expires. */
  public Instant tokenExpiresAt() {
    return tokenExpiresAt;
  }

  /**
   * An AWS CLI command that meters one unit of {@code users} for the demo customer, signed with the
   * seller's keys, timestamped {@code now}; it works as printed with AWS CLI 1 and 2.
   */
  public static String awsCliBatchMeterUsage(URI endpoint, String region, Instant now) {
    return "AWS_ACCESS_KEY_ID=" + SELLER_ACCESS_KEY_ID + " AWS_SECRET_ACCESS_KEY=" + SELLER_SECRET_ACCESS_KEY
        + " aws meteringmarketplace batch-meter-usage --endpoint-url " + endpoint + " --region " + region
        + " --product-code " + SAAS_PRODUCT
        + " --usage-records Timestamp=" + now.truncatedTo(ChronoUnit.SECONDS) + ",CustomerIdentifier="
        + CUSTOMER_IDENTIFIER + ",Dimension=" + SAAS_DIMENSIONS.get(0) + ",Quantity=1";
  }

  /** The same, ResolveCustomer of the demo registration token. */
  public static String awsCliResolveCustomer(URI endpoint, String region) {
    return awsCliResolveCustomer(endpoint, region, REGISTRATION_TOKEN);
  }

  /** The same, ResolveCustomer of {@code token} (a demo token reissued by {@code meterbridge demo}). */
  public static String awsCliResolveCustomer(URI endpoint, String region, String token) {
    return "AWS_ACCESS_KEY_ID=" + SELLER_ACCESS_KEY_ID + " AWS_SECRET_ACCESS_KEY=" + SELLER_SECRET_ACCESS_KEY
        + " aws meteringmarketplace resolve-customer --endpoint-url " + endpoint + " --region " + region
        + " --registration-token " + token;
  }

  /** The same, MeterUsage of the AMI product as the buyer (the AMI's instance calls it). */
  public static String awsCliMeterUsage(URI endpoint, String region, Instant now) {
    return "AWS_ACCESS_KEY_ID=" + BUYER_ACCESS_KEY_ID + " AWS_SECRET_ACCESS_KEY=" + BUYER_SECRET_ACCESS_KEY
        + " aws meteringmarketplace meter-usage --endpoint-url " + endpoint + " --region " + region
        + " --product-code " + AMI_PRODUCT + " --timestamp " + now.truncatedTo(ChronoUnit.SECONDS)
        + " --usage-dimension " + AMI_DIMENSIONS.get(0) + " --usage-quantity 1";
  }

  /** The same, RegisterUsage of the container product as the buyer (the container's task calls it). */
  public static String awsCliRegisterUsage(URI endpoint, String region) {
    return "AWS_ACCESS_KEY_ID=" + BUYER_ACCESS_KEY_ID + " AWS_SECRET_ACCESS_KEY=" + BUYER_SECRET_ACCESS_KEY
        + " aws meteringmarketplace register-usage --endpoint-url " + endpoint + " --region " + region
        + " --product-code " + CONTAINER_PRODUCT + " --public-key-version " + CONTAINER_PUBLIC_KEY_VERSION;
  }

  /** What a newcomer needs to call the server, as printed at the first start. */
  public String instructions(URI endpoint, Instant now) {
    String nl = System.lineSeparator();
    return String.join(nl,
        "Demo catalog loaded into the empty database. These keys are published: a LOCAL DEMO ONLY.",
        "",
        "  Endpoint            " + endpoint + "   (region " + region + ")",
        "  Seller account      " + SELLER_ACCOUNT_ID + "   access key " + SELLER_ACCESS_KEY_ID
            + "   secret " + SELLER_SECRET_ACCESS_KEY,
        "  Buyer account       " + BUYER_ACCOUNT_ID + "   access key " + BUYER_ACCESS_KEY_ID
            + "   secret " + BUYER_SECRET_ACCESS_KEY,
        "  Products            " + SAAS_PRODUCT + " (SaaS; dimensions " + String.join(", ", SAAS_DIMENSIONS) + ")",
        "                      " + AMI_PRODUCT + " (AMI; dimensions " + String.join(", ", AMI_DIMENSIONS) + ")",
        "                      " + CONTAINER_PRODUCT + " (container; dimensions "
            + String.join(", ", CONTAINER_DIMENSIONS) + "; public key version " + CONTAINER_PUBLIC_KEY_VERSION + ")",
        "  Customer            account " + BUYER_ACCOUNT_ID + ", subscribed to all three; customer identifier "
            + CUSTOMER_IDENTIFIER + " (" + SAAS_PRODUCT + ")",
        "  Registration token  " + REGISTRATION_TOKEN + "   (ResolveCustomer; valid until " + tokenExpiresAt.truncatedTo(ChronoUnit.SECONDS) + ")",
        "",
        "Meter usage as the seller (BatchMeterUsage):",
        "  " + awsCliBatchMeterUsage(endpoint, region, now),
        "Meter usage as the buyer's AMI instance (MeterUsage):",
        "  " + awsCliMeterUsage(endpoint, region, now),
        "Register the buyer's container task (RegisterUsage):",
        "  " + awsCliRegisterUsage(endpoint, region),
        "Resolve the registration token (ResolveCustomer):",
        "  " + awsCliResolveCustomer(endpoint, region),
        "");
  }

  @Override
  public String toString() {
    return "DemoCatalog[region " + region + ", loaded " + loadedAt + "]";
  }
}
