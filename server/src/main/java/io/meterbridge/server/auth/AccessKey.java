package io.meterbridge.server.auth;

import java.util.Objects;

/**
 * What the server knows about an access key: the account it belongs to and its secret.
 * {@link #toString()} never shows the secret.
 *
 * @param accountId the owning AWS account id, such as {@code 123456789012}
 * @param secretAccessKey the secret the client signs with
 */
public record AccessKey(String accountId, String secretAccessKey) {
  public AccessKey {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
  }

  @Override
  public String toString() {
    return "AccessKey[account " + accountId + ", secret ***]";
  }
}
