package io.meterbridge.server;

import java.util.Objects;

/**
 * Who made a call, as authentication established it.
 *
 * @param accountId the caller's AWS account id, such as {@code 111122223333}
 * @param accessKeyId the access key id the request was signed with
 * @param resourceId the identity of the calling resource (EC2 instance, ECS task, EKS pod) that
 *     MeterUsage deduplicates by; without a better source it is the access key id, since each
 *     resource's role session carries its own key
 */
public record Caller(String accountId, String accessKeyId, String resourceId) {
  public Caller {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(resourceId, "resourceId");
  }

  /** A caller whose resource is identified by its access key id. */
  public static Caller of(String accountId, String accessKeyId) {
    return new Caller(accountId, accessKeyId, accessKeyId);
  }
}
