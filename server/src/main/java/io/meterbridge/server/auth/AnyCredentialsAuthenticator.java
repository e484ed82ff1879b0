package io.meterbridge.server.auth;

import io.meterbridge.server.Caller;
import io.meterbridge.server.catalog.CatalogRules;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Trusts everyone: see {@link Authenticator#anyCredentials(String, String)}. */
final class AnyCredentialsAuthenticator implements Authenticator {
  private static final String ANONYMOUS = "ANONYMOUS";

  private final String accountId;
  private final String defaultRegion;

  AnyCredentialsAuthenticator(String accountId, String defaultRegion) {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(defaultRegion, "defaultRegion");
    if (!CatalogRules.isAccountId(accountId)) {
      throw new IllegalArgumentException("accountId must be 12 digits, was '" + accountId + "'");
    }
    this.accountId = accountId;
    this.defaultRegion = defaultRegion;
  }

  @Override
  public CompletionStage<Caller> authenticate(IncomingRequest request) {
    String keyId = CredentialScope.accessKeyId(request).orElse(ANONYMOUS);
    String region = CredentialScope.region(request).orElse(defaultRegion);
    return CompletableFuture.completedFuture(Caller.of(accountId, keyId, region));
  }

  @Override
  public boolean verifiesSignatures() {
    return false;
  }

  @Override
  public String toString() {
    return "AnyCredentials[account " + accountId + "]";
  }
}
