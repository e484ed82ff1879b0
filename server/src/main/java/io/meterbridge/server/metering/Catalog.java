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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The catalog as the operations read it: the store's catalog in memory, because a 25-record batch
 * would otherwise cost 25 subscription look-ups, and a batch whose look-ups are not all in memory
 * hops to a worker thread. Entries are loaded on first use and live for {@code ttl}; with {@link
 * #UNTIL_CHANGED} (the server's setting) they live until the store reports a catalog change ({@link
 * Store#onCatalogChange}: writes through this process at once, other processes on a shared
 * PostgreSQL through {@code LISTEN/NOTIFY}), which drops everything. Catalog changes are rare (an
 * admin call, a seed), so a refill after each costs little.
 *
 * <p>Memory: one entry per product, access key and customer looked up, about 300 bytes each on a
 * 64-bit JVM with compressed pointers (a subscription with its strings and the map's node), so
 * 200,000 customers take about 60 MB of heap. Each map is capped at {@link #MAX_ENTRIES} entries and
 * emptied when it would grow past it.
 */
public final class Catalog {
  /** A time to live that means: until the store reports a change. */
  public static final Duration UNTIL_CHANGED = Duration.ofSeconds(Long.MAX_VALUE);
  /** Entries per map before it is emptied: a crude bound, above the largest catalog we measured (200,000 customers). */
  static final int MAX_ENTRIES = 1_000_000;

  private final Store store;
  private final long ttlNanos;
  /** Counts invalidations, so that a load that raced one is not kept. */
  private final AtomicLong generation = new AtomicLong();
  private final Cache<String, Optional<Product>> products = new Cache<>();
  private final Cache<String, Set<String>> dimensions = new Cache<>();
  private final Cache<CustomerKey, Optional<Subscription>> byIdentifier = new Cache<>();
  private final Cache<CustomerKey, Optional<Subscription>> byAccount = new Cache<>();
  private final Cache<String, Optional<Subscription>> byLicense = new Cache<>();
  private final Cache<String, List<SigningKey>> signingKeys = new Cache<>();
  private final Cache<String, Optional<AccessKey>> accessKeys = new Cache<>();

  /**
   * @param ttl how long an entry lives: {@link Duration#ZERO} for none (every look-up reads the
   *     store), {@link #UNTIL_CHANGED} until the store reports a change
   */
  public Catalog(Store store, Duration ttl) {
    this.store = store;
    this.ttlNanos = ttl.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : ttl.toNanos();
    store.onCatalogChange(this::invalidate);
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
    return byIdentifier.get(new CustomerKey(productCode, customerIdentifier),
        k -> store.subscriptionByCustomerIdentifier(productCode, customerIdentifier));
  }

  public Optional<Subscription> subscriptionByCustomerAccount(String productCode, String accountId) {
    return byAccount.get(new CustomerKey(productCode, accountId),
        k -> store.subscriptionByCustomerAccount(productCode, accountId));
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

  /**
   * Loads every product, its dimensions and every subscription at once, so that the first calls
   * after a start do not each miss and hop to a worker. Entries loaded here live as any other; a
   * change reported meanwhile makes this a no-op.
   */
  public void preload() {
    long loadedIn = generation.get();
    List<Product> all = store.products();
    List<Subscription> subscriptions = store.subscriptions();
    long now = System.nanoTime();
    for (Product p : all) {
      products.put(p.productCode(), Optional.of(p), now, loadedIn);
      dimensions.put(p.productCode(), store.dimensions(p.productCode()), now, loadedIn);
    }
    for (Subscription s : subscriptions) {
      Optional<Subscription> found = Optional.of(s);
      byAccount.put(new CustomerKey(s.productCode(), s.customerAccountId()), found, now, loadedIn);
      s.customerIdentifier().ifPresent(id -> byIdentifier.put(new CustomerKey(s.productCode(), id), found, now, loadedIn));
      s.licenseArn().ifPresent(arn -> byLicense.put(arn, found, now, loadedIn));
    }
  }

  /** Forgets everything cached, after a catalog change. */
  public void invalidate() {
    generation.incrementAndGet();
    products.clear();
    dimensions.clear();
    byIdentifier.clear();
    byAccount.clear();
    byLicense.clear();
    signingKeys.clear();
    accessKeys.clear();
  }

  /**
   * A customer (account id or identifier) of a product: a pair rather than a joined string, so a
   * look-up (25 a batch) neither copies nor hashes the product code again.
   */
  private record CustomerKey(String productCode, String customer) {}

  private final class Cache<K, V> {
    private record Entry<V>(V value, long loadedAt) {}

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

    V get(K key, Function<K, V> load) {
      long now = System.nanoTime();
      Entry<V> entry = entries.get(key);
      if (entry != null && now - entry.loadedAt < ttlNanos) {
        return entry.value;
      }
      if (CACHED_ONLY.get() != null) {
        throw Miss.INSTANCE;
      }
      long loadedIn = generation.get();
      V value = load.apply(key);
      put(key, value, now, loadedIn);
      return value;
    }

    /** Keeps {@code value}, read from the store after invalidation number {@code loadedIn}. */
    void put(K key, V value, long now, long loadedIn) {
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
      Entry<V> loaded = new Entry<>(value, now);
      entries.put(key, loaded);
      // A change reported while loading may have come after the read: then the value may be older
      // than the change, and must not outlive it. Checked after the put, so that an invalidation
      // between the check and the put cannot leave it behind.
      if (generation.get() != loadedIn) {
        entries.remove(key, loaded);
      }
    }

    void clear() {
      entries.clear();
    }
  }
}
