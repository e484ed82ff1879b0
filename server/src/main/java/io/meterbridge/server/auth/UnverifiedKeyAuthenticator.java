package io.meterbridge.server.auth;

import io.meterbridge.server.Caller;
import io.meterbridge.server.catalog.CatalogRules;
import io.meterbridge.server.store.AccessKey;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * <b>Insecure.</b> Believes the access key id a request names, without checking the signature: a
 * known key acts as its account, any other key (or none) as {@code fallbackAccountId}. Like {@link
 * Authenticator#anyCredentials(String, String)}, but a demo's seller and buyer keys keep their roles, so
 * BatchMeterUsage (seller) and MeterUsage (buyer) both work. For local demos only
 * ({@code --insecure-any-credentials}).
 *
 * <pre>{@code
 * Authenticator auth = new UnverifiedKeyAuthenticator(
 *     store::accessKey, "111122223333", "us-east-1", catalogExecutor);
 * }</pre>
 */
public final class UnverifiedKeyAuthenticator implements Authenticator {
  private static final String ANONYMOUS = "ANONYMOUS";

  private final Function<String, Optional<AccessKey>> keyOf;
  private final String fallbackAccountId;
  private final String defaultRegion;
  private final Executor executor;

  /**
   * @param keyOf the access key of an id, for its account and resource; may block (it runs on {@code executor})
   * @param fallbackAccountId the account of unknown keys and unsigned requests, 12 digits
   * @param defaultRegion the region of requests whose credential scope names none: the server's first
   * @param executor where look-ups run, off the network threads
   */
  public UnverifiedKeyAuthenticator(Function<String, Optional<AccessKey>> keyOf, String fallbackAccountId,
      String defaultRegion, Executor executor) {
    this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
    this.fallbackAccountId = Objects.requireNonNull(fallbackAccountId, "fallbackAccountId");
    this.defaultRegion = Objects.requireNonNull(defaultRegion, "defaultRegion");
    this.executor = Objects.requireNonNull(executor, "executor");
    if (!CatalogRules.isAccountId(fallbackAccountId)) {
      throw new IllegalArgumentException("fallbackAccountId must be 12 digits, was '" + fallbackAccountId + "'");
    }
  }

  @Override
  public CompletionStage<Caller> authenticate(IncomingRequest request) {
    Optional<String> keyId = CredentialScope.accessKeyId(request);
    String region = CredentialScope.region(request).orElse(defaultRegion);
    if (keyId.isEmpty()) {
      return CompletableFuture.completedFuture(Caller.of(fallbackAccountId, ANONYMOUS, region));
    }
    String id = keyId.get();
    return CompletableFuture.supplyAsync(() -> keyOf.apply(id)
        .map(key -> new Caller(key.accountId(), id, key.resource(), region))
        .orElseGet(() -> Caller.of(fallbackAccountId, id, region)), executor);
  }

  @Override
  public boolean verifiesSignatures() {
    return false;
  }

  @Override
  public String toString() {
    return "UnverifiedKeys[unknown keys act as account " + fallbackAccountId + "]";
  }
}
