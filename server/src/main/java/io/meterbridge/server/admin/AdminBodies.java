package io.meterbridge.server.admin;

import java.time.Instant;
import java.util.List;

/**
 * The JSON bodies of the admin API, bound by {@link Body}: every field is the JSON field of the
 * same name, and {@code null} when absent or of the wrong type (then already reported).
 */
final class AdminBodies {
  private AdminBodies() {}

  record Account(String accountId, String name, List<AccessKey> accessKeys) {}

  record AccessKey(String accessKeyId, String secretAccessKey, String resourceId, String platform) {}

  record Product(
      String productCode, String seller, String type, String region, List<String> dimensions,
      List<Long> publicKeyVersions, Boolean agentCore, List<String> platforms) {}

  record Dimensions(List<String> dimensions) {}

  record Subscription(
      String productCode, String customerAWSAccountId, String customerIdentifier, String licenseArn, Boolean active,
      Instant since) {}

  record Token(
      String productCode, String customerAWSAccountId, String customerIdentifier, String licenseArn, String token,
      Long ttlSeconds) {}

  record Clock(Long shiftSeconds, Instant set, Boolean reset) {}
}
