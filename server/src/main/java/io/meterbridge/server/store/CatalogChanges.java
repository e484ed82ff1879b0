package io.meterbridge.server.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A set of catalog upserts applied in one transaction by {@link Store#apply(CatalogChanges)}: the
 * bulk path for the seed loader. The store applies them in dependency order (accounts, access keys,
 * products, dimensions, signing keys, subscriptions, tokens) with batched statements, so 100,000
 * subscriptions load in seconds. Every item is an upsert keyed by its primary key.
 */
public final class CatalogChanges {
  private final List<Account> accounts;
  private final List<AccessKey> accessKeys;
  private final List<Product> products;
  private final Map<String, Set<String>> dimensions;
  private final List<SigningKey> signingKeys;
  private final List<Subscription> subscriptions;
  private final List<RegistrationToken> tokens;

  private CatalogChanges(Builder b) {
    this.accounts = List.copyOf(b.accounts);
    this.accessKeys = List.copyOf(b.accessKeys);
    this.products = List.copyOf(b.products);
    Map<String, Set<String>> dims = new LinkedHashMap<>();
    b.dimensions.forEach((k, v) -> dims.put(k, Set.copyOf(v)));
    this.dimensions = Map.copyOf(dims);
    this.signingKeys = List.copyOf(b.signingKeys);
    this.subscriptions = List.copyOf(b.subscriptions);
    this.tokens = List.copyOf(b.tokens);
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<Account> accounts() {
    return accounts;
  }

  public List<AccessKey> accessKeys() {
    return accessKeys;
  }

  public List<Product> products() {
    return products;
  }

  /** Dimensions to add, by product code. Existing dimensions are kept. */
  public Map<String, Set<String>> dimensions() {
    return dimensions;
  }

  public List<SigningKey> signingKeys() {
    return signingKeys;
  }

  public List<Subscription> subscriptions() {
    return subscriptions;
  }

  public List<RegistrationToken> tokens() {
    return tokens;
  }

  public boolean isEmpty() {
    return accounts.isEmpty() && accessKeys.isEmpty() && products.isEmpty() && dimensions.isEmpty()
        && signingKeys.isEmpty() && subscriptions.isEmpty() && tokens.isEmpty();
  }

  @Override
  public String toString() {
    return "CatalogChanges[accounts=" + accounts.size() + ", accessKeys=" + accessKeys.size()
        + ", products=" + products.size() + ", dimensions=" + dimensions.size()
        + ", signingKeys=" + signingKeys.size() + ", subscriptions=" + subscriptions.size()
        + ", tokens=" + tokens.size() + "]";
  }

  /** Collects catalog upserts. */
  public static final class Builder {
    private final List<Account> accounts = new ArrayList<>();
    private final List<AccessKey> accessKeys = new ArrayList<>();
    private final List<Product> products = new ArrayList<>();
    private final Map<String, Set<String>> dimensions = new LinkedHashMap<>();
    private final List<SigningKey> signingKeys = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final List<RegistrationToken> tokens = new ArrayList<>();

    private Builder() {}

    public Builder account(Account account) {
      accounts.add(Require.present(account, "account"));
      return this;
    }

    public Builder accessKey(AccessKey accessKey) {
      accessKeys.add(Require.present(accessKey, "accessKey"));
      return this;
    }

    public Builder product(Product product) {
      products.add(Require.present(product, "product"));
      return this;
    }

    public Builder dimensions(String productCode, Collection<String> names) {
      Require.text(productCode, "productCode");
      Set<String> set = dimensions.computeIfAbsent(productCode, k -> new LinkedHashSet<>());
      names.forEach(n -> set.add(Require.text(n, "dimension")));
      return this;
    }

    public Builder signingKey(SigningKey key) {
      signingKeys.add(Require.present(key, "signingKey"));
      return this;
    }

    public Builder subscription(Subscription subscription) {
      subscriptions.add(Require.present(subscription, "subscription"));
      return this;
    }

    public Builder subscriptions(Collection<Subscription> all) {
      all.forEach(this::subscription);
      return this;
    }

    public Builder token(RegistrationToken token) {
      tokens.add(Require.present(token, "token"));
      return this;
    }

    public CatalogChanges build() {
      return new CatalogChanges(this);
    }
  }
}
