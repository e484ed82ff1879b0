package io.meterbridge.server;

import java.util.Objects;

/**
 * Who made a call, and where, as authentication established it.
 *
 * @param accountId the caller's AWS account id, such as {@code 111122223333}
 * @param accessKeyId the access key id the request was signed with
 * @param resourceId the identity of the calling resource (EC2 instance, ECS task, EKS pod) that
 *     MeterUsage deduplicates by: the resource the catalog maps the access key to, else the access
 *     key id itself
 * @param region the endpoint region the call was addressed to: the region of the SigV4 credential
 *     scope, or the server's first region when the request names none (insecure authenticators only)
 */
public record Caller(String accountId, String accessKeyId, String resourceId, String region) {
  public Caller {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(resourceId, "resourceId");
    Objects.requireNonNull(region, "region");
  }

  /** A caller whose resource is identified by its access key id. */
  public static Caller of(String accountId, String accessKeyId, String region) {
    return new Caller(accountId, accessKeyId, accessKeyId, region);
  }
}
