package io.meterbridge.server.store;

import java.util.Optional;

/**
 * An access key of an account. The server keeps the secret because verifying SigV4 needs it.
 *
 * @param accessKeyId the public half, e.g. {@code AKIA...}
 * @param accountId the owning account
 * @param secretAccessKey the shared secret; never printed by {@link #toString()}
 * @param resourceId the EC2 instance, ECS task or EKS pod whose role session the key belongs to,
 *     which MeterUsage deduplicates by; empty when the key stands for itself. Role credentials
 *     rotate every few hours, so keys that rotate name the same resource.
 * @param platform where the key's software runs, which RegisterUsage checks against its product's
 *     platforms; empty when unknown, and then not checked
 */
public record AccessKey(
    String accessKeyId, String accountId, String secretAccessKey, Optional<String> resourceId,
    Optional<Platform> platform) {
  public AccessKey {
    Require.text(accessKeyId, "accessKeyId");
    Require.text(accountId, "accountId");
    Require.text(secretAccessKey, "secretAccessKey");
    Require.present(resourceId, "resourceId");
    Require.present(platform, "platform");
  }

  /** A key that stands for itself, of no known platform. */
  public AccessKey(String accessKeyId, String accountId, String secretAccessKey) {
    this(accessKeyId, accountId, secretAccessKey, Optional.empty(), Optional.empty());
  }

  /** A key of no known platform. */
  public AccessKey(String accessKeyId, String accountId, String secretAccessKey, Optional<String> resourceId) {
    this(accessKeyId, accountId, secretAccessKey, resourceId, Optional.empty());
  }

  /** The resource MeterUsage and RegisterUsage count this key's calls against: its resource, else the key itself. */
  public String resource() {
    return resourceId.orElse(accessKeyId);
  }

  @Override
  public String toString() {
    return "AccessKey[accessKeyId=" + accessKeyId + ", accountId=" + accountId + ", secretAccessKey=***"
        + resourceId.map(r -> ", resourceId=" + r).orElse("") + platform.map(p -> ", platform=" + p).orElse("")
        + "]";
  }
}
