package io.meterbridge.gateway;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.MeteringClient;
import io.meterbridge.client.RetryPolicy;
import io.meterbridge.server.MeterbridgeServer;
import io.meterbridge.server.MeterbridgeServerConfig;
import io.meterbridge.server.store.BatchRow;
import io.meterbridge.server.store.Page;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real Meterbridge server on 127.0.0.1:0, the gateway's upstream in tests: SigV4 with the seller's
 * key, the published throttling off unless asked, and the scenario catalog from a seed file. Every
 * use of the server's API by the gateway's tests goes through here.
 */
final class Upstream implements AutoCloseable {
  static final String SELLER = "111111111111";
  static final String KEY = "AKIDGATEWAYSELLER";
  static final String SECRET = "gateway-seller-secret";
  static final String ADMIN_TOKEN = "upstream-admin-token-0123456789";
  static final String PRODUCT = "prod-saas";
  static final String OTHER_PRODUCT = "prod-other";
  static final String CUSTOMER = "222222222222";
  static final String CUSTOMER_2 = "333333333333";
  static final String LICENSED = "555555555555";
  static final String LICENSE = "arn:aws:license-manager::111111111111:license:l-555";
  static final String IDENTIFIED = "444444444444";
  static final String IDENTIFIER = "cust-ident-444";
  static final String UNSUBSCRIBED = "666666666666";

  /** The gateway's catalog for the upstream's products. */
  static final List<CatalogProduct> CATALOG = List.of(
      CatalogProduct.saas(PRODUCT, "users", "storage_gb"),
      CatalogProduct.saas(OTHER_PRODUCT, "calls"));

  private final MeterbridgeServer server;

  private Upstream(MeterbridgeServer server) {
    this.server = server;
  }

  static Upstream start(Path dir, Optional<Double> batchQuota) {
    try {
      Files.createDirectories(dir);
      Path seed = dir.resolve("seed.json");
      Files.writeString(seed, seed());
      MeterbridgeServerConfig.Builder config = MeterbridgeServerConfig.builder()
          .port(0)
          .dataDir(dir.resolve("upstream"))
          .seedFile(seed)
          .adminToken(ADMIN_TOKEN)
          .throttling(batchQuota.isPresent());
      batchQuota.ifPresent(q -> config.rate("BatchMeterUsage", q));
      return new Upstream(MeterbridgeServer.start(config.build()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String seed() {
    return """
        {"accounts": [{"accountId": "%s", "name": "seller", "accessKeys": [{"accessKeyId": "%s", "secretAccessKey": "%s"}]}],
         "products": [{"productCode": "%s", "seller": "%s", "type": "SAAS", "dimensions": ["users", "storage_gb"]},
                      {"productCode": "%s", "seller": "%s", "type": "SAAS", "dimensions": ["calls"]}],
         "subscriptions": [
           {"productCode": "%s", "customerAWSAccountId": "%s"},
           {"productCode": "%s", "customerAWSAccountId": "%s"},
           {"productCode": "%s", "customerAWSAccountId": "%s", "licenseArn": "%s"},
           {"productCode": "%s", "customerAWSAccountId": "%s", "customerIdentifier": "%s"},
           {"productCode": "%s", "customerAWSAccountId": "%s", "active": false},
           {"productCode": "%s", "customerAWSAccountId": "%s"}]}
        """.formatted(SELLER, KEY, SECRET, PRODUCT, SELLER, OTHER_PRODUCT, SELLER,
        PRODUCT, CUSTOMER, PRODUCT, CUSTOMER_2, PRODUCT, LICENSED, LICENSE, PRODUCT, IDENTIFIED, IDENTIFIER,
        PRODUCT, UNSUBSCRIBED, OTHER_PRODUCT, CUSTOMER);
  }

  URI endpoint() {
    return server.endpoint();
  }

  /** Moves the server's clock (time travel), as its {@code POST /admin/clock} does. */
  void shiftClock(Duration by) {
    server.clock().shift(by);
  }

  /** A client for the gateway: the seller's key, no retries of its own (the gateway retries). */
  MeteringClient client() {
    return MeteringClient.builder()
        .region("us-east-1")
        .endpointOverride(endpoint())
        .credentials(AwsCredentials.of(KEY, SECRET))
        .retryPolicy(RetryPolicy.none())
        .apiCallAttemptTimeout(Duration.ofSeconds(10))
        .build();
  }

  /** One stored BatchMeterUsage record. */
  record Stored(String meteringRecordId, String productCode, String customer, String dimension, Instant hour,
      int quantity, String licenseArn) {}

  /** Every BatchMeterUsage record the server stored. */
  List<Stored> records() {
    List<Stored> all = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      io.meterbridge.server.store.RecordQuery.Builder q = io.meterbridge.server.store.RecordQuery.builder().limit(1000);
      cursor.ifPresent(q::after);
      Page<BatchRow> page = server.store().batchRecords(q.build());
      for (BatchRow r : page.items()) {
        all.add(new Stored(r.meteringRecordId(), r.productCode(), r.customerAccountId(), r.dimension(), r.hour(),
            r.quantity(), r.licenseArn().orElse(null)));
      }
      cursor = page.cursor();
    } while (cursor.isPresent());
    return all;
  }

  @Override
  public void close() {
    server.close();
  }
}
