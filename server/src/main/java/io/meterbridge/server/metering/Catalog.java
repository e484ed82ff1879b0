package io.meterbridge.server.metering;

import io.meterbridge.server.auth.AccessKeys;
import io.meterbridge.server.store.AccessKey;
import io.meterbridge.server.store.Product;
import io.meterbridge.server.store.SigningKey;
import io.meterbridge.server.store.Store;
import io.meterbridge.server.store.StoreUnavailableException;
import io.meterbridge.server.store.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The catalog as the operations read it: the store's catalog behind a short-lived cache, because
 * a 25-record batch would otherwise cost 25 subscription look-ups. Entries live for {@code ttl}
 * (1 second by default), so a change made through another server process sharing the database
 * shows within that time; changes made through this process's admin API call {@link
 * #invalidate()} and show at once.
 */
public final class Catalog {
  private final Store store;
  private final long ttlNanos;
  private final Cache<String, Optional<Product>> products = new Cache<>();
  private final Cache<String, Set<String>> dimensions = new Cache<>();
  private final Cache<String, Optional<Subscription>> byIdentifier = new Cache<>();
  private final Cache<String, Optional<Subscription>> byAccount = new Cache<>();
  private final Cache<String, Optional<Subscription>> byLicense = new Cache<>();
  private final Cache<String, List<SigningKey>> signingKeys = new Cache<>();
  private final Cache<String, Optional<AccessKey>> accessKeys = new Cache<>();

  public Catalog(Store store, Duration ttl) {
    this.store = store;
    this.ttlNanos = ttl.toNanos();
  }

  /** The store behind this catalog. */
  public Store store() {
    return store;
  }

  public Optional<Product> product(String productCode) {
    return products.get(productCode, store::product);
  }

  public Set<String> dimensions(String productCode) {
    return dimensions.get(productCode, store::dimensions);
  }

  public Optional<Subscription> subscriptionByCustomerIdentifier(String productCode, String customerIdentifier) {
    return byIdentifier.get(productCode + '\n' + customerIdentifier,
        k -> store.subscriptionByCustomerIdentifier(productCode, customerIdentifier));
  }

  public Optional<Subscription> subscriptionByCustomerAccount(String productCode, String accountId) {
    return byAccount.get(productCode + '\n' + accountId, k -> store.subscriptionByCustomerAccount(productCode, accountId));
  }

  public Optional<Subscription> subscriptionByLicense(String licenseArn) {
    return byLicense.get(licenseArn, store::subscriptionByLicense);
  }

  public List<SigningKey> signingKeys(String productCode) {
    return signingKeys.get(productCode, store::signingKeys);
  }

  /**
   * An access key, for SigV4 verification. It runs for every request on the network thread, so a
   * cached answer matters most here; a miss costs one indexed read.
   */
  public Optional<AccessKey> accessKey(String accessKeyId) {
    return accessKeys.get(accessKeyId, store::accessKey);
  }

  /**
   * The access keys, for the SigV4 authenticator: a database that cannot be read answers the
   * caller the retriable error of {@link StoreOutages}.
   */
  public AccessKeys accessKeys() {
    return id -> {
      try {
        return accessKey(id);
      } catch (StoreUnavailableException e) {
        throw StoreOutages.answer(e);
      }
    };
  }

  /**
   * Thrown by a look-up inside {@link #fromCache} that would have to read the store. Carries no
   * stack trace: it is control flow, caught by the caller of {@code fromCache}.
   */
  static final class Miss extends RuntimeException {
    private static final Miss INSTANCE = new Miss();

    private Miss() {
      super("catalog cache miss", null, false, false);
    }
  }

  private static final ThreadLocal<Boolean> CACHED_ONLY = new ThreadLocal<>();

  /**
   * Runs {@code work} answering every look-up from memory; if one would have to read the store,
   * stops with {@link Miss} instead (so that {@code work} may run on a thread that must not block,
   * and be run again on one that may). {@code work} must have no side effects before its look-ups.
   */
  <T> T fromCache(Supplier<T> work) {
    if (CACHED_ONLY.get() != null) {
      return work.get();
    }
    CACHED_ONLY.set(Boolean.TRUE);
    try {
      return work.get();
    } finally {
      CACHED_ONLY.remove();
    }
  }

  /** Forgets everything cached, after a catalog change. */
  public void invalidate() {
    products.clear();
    dimensions.clear();
    byIdentifier.clear();
    byAccount.clear();
    byLicense.clear();
    signingKeys.clear();
    accessKeys.clear();
  }

  private final class Cache<K, V> {
    private record Entry<V>(V value, long expiresAt) {}

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

    V get(K key, Function<K, V> load) {
      long now = System.nanoTime();
      Entry<V> entry = entries.get(key);
      if (entry != null && now - entry.expiresAt < 0) {
        return entry.value;
      }
      if (CACHED_ONLY.get() != null) {
        throw Miss.INSTANCE;
      }
      V value = load.apply(key);
      if (entries.size() > 200_000) {
        entries.clear(); // a crude bound; the catalog of a busy server fits well below it
      }
      entries.put(key, new Entry<>(value, now + ttlNanos));
      return value;
    }

    void clear() {
      entries.clear();
    }
  }
}
