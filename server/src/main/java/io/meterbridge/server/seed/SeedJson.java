package io.meterbridge.server.seed;

import java.time.Instant;
import java.util.List;

/**
 * A seed file as written, bound by {@link io.meterbridge.server.catalog.JsonInput}: every field is
 * the JSON field of the same name, and {@code null} when absent or of the wrong type (then already
 * reported). {@link SeedFile} checks the values.
 */
record SeedJson(
    List<Account> accounts, List<Product> products, List<Subscription> subscriptions,
    List<Token> registrationTokens) {

  record Account(String accountId, String name, List<AccessKey> accessKeys) {}

  record AccessKey(String accessKeyId, String secretAccessKey, String resourceId, String platform) {}

  record Product(
      String productCode, String seller, String type, List<String> dimensions, List<Long> publicKeyVersions,
      String region, Boolean agentCore, List<String> platforms) {}

  record Subscription(
      String productCode, String customerAWSAccountId, String customerIdentifier, String licenseArn, Boolean active,
      Instant since) {}

  record Token(
      String token, String productCode, String customerAWSAccountId, String customerIdentifier, String licenseArn,
      Instant expiresAt) {}
}
