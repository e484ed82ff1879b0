package io.meterbridge.server.auth;

import io.meterbridge.server.Caller;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Trusts everyone: see {@link Authenticator#anyCredentials(String)}. */
final class AnyCredentialsAuthenticator implements Authenticator {
  private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");
  private static final String ANONYMOUS = "ANONYMOUS";

  private final String accountId;

  AnyCredentialsAuthenticator(String accountId) {
    Objects.requireNonNull(accountId, "accountId");
    if (!accountId.matches("[0-9]{12}")) {
      throw new IllegalArgumentException("accountId must be 12 digits, was '" + accountId + "'");
    }
    this.accountId = accountId;
  }

  @Override
  public CompletionStage<Caller> authenticate(IncomingRequest request) {
    String keyId = request.header("authorization")
        .map(CREDENTIAL::matcher)
        .filter(Matcher::find)
        .map(m -> m.group(1))
        .orElse(ANONYMOUS);
    return CompletableFuture.completedFuture(Caller.of(accountId, keyId));
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
