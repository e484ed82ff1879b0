package io.meterbridge.server.store;

/**
 * An access key of an account. The server keeps the secret because verifying SigV4 needs it.
 *
 * @param accessKeyId the public half, e.g. {@code AKIA...}
 * @param accountId the owning account
 * @param secretAccessKey the shared secret; never printed by {@link #toString()}
 */
public record AccessKey(String accessKeyId, String accountId, String secretAccessKey) {
  public AccessKey {
    Require.text(accessKeyId, "accessKeyId");
    Require.text(accountId, "accountId");
    Require.text(secretAccessKey, "secretAccessKey");
  }

  @Override
  public String toString() {
    return "AccessKey[accessKeyId=" + accessKeyId + ", accountId=" + accountId + ", secretAccessKey=***]";
  }
}
