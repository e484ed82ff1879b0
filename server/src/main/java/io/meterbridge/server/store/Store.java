package io.meterbridge.server.store;

import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The server's durable state: the catalog (accounts, access keys, products, dimensions, signing keys,
 * subscriptions, registration tokens) and the metering records. Open one with {@link Stores#open}.
 *
 * <p><b>Metering writes</b> ({@link #meterBatch}, {@link #meterUsage}, {@link #registerTask}) are queued
 * to a single writer per store that commits everything pending in one transaction (group commit). The
 * returned future completes only after that commit is durable, and never on the caller's thread, so an
 * event loop may call them. Dedup is enforced by unique keys in the database, so outcomes are right
 * under concurrency and across several processes sharing one PostgreSQL. A failed group fails exactly
 * its futures with a {@link StoreException}; a full queue fails at once with
 * {@link StoreOverloadedException}; after {@link #close()}, with {@link StoreClosedException}. Futures
 * complete on the store's completion thread: keep dependent callbacks short.
 *
 * <p><b>Catalog writes and all reads</b> block the calling thread on a pooled connection (a few
 * hundred microseconds on SQLite); call them from a worker pool, or cache the catalog and keep the
 * cache fresh with {@link #onCatalogChange}.
 *
 * <p>Implementations are thread-safe.
 */
public interface Store extends AutoCloseable {

  // ---- metering writes (group commit) ----

  /**
   * Stores BatchMeterUsage records. The outcome list matches {@code rows} in order: {@link
   * MeterOutcome.Stored}, {@link MeterOutcome.Replayed} (same key and fingerprint as a stored row) or
   * {@link MeterOutcome.Conflict} (same key, different fingerprint; the first stays billed). Two rows
   * with the same key in one call: the first wins, the second is judged against it.
   */
  CompletableFuture<List<MeterOutcome>> meterBatch(List<BatchRow> rows);

  /**
   * Stores one MeterUsage record. A present client token is checked first: same token and request
   * fingerprint is {@link MeterOutcome.Replayed}, a different request fingerprint {@link
   * MeterOutcome.TokenConflict}. Then the hour key: {@link MeterOutcome.Replayed} or {@link
   * MeterOutcome.Conflict} as for batches, else {@link MeterOutcome.Stored}.
   */
  CompletableFuture<MeterOutcome> meterUsage(MeterRow row);

  /**
   * Records a RegisterUsage call by a task or pod: creates the registration ({@code first() == true})
   * or touches its last-seen time and call count. Whether the first call is entitled is the service
   * layer's decision, made before calling this (see {@link #task}).
   */
  CompletableFuture<TaskRegistration> registerTask(
      String callerIdentity, String productCode, String callerAccountId, Instant at);

  // ---- catalog writes (blocking, one transaction each) ----

  /** Applies every upsert in {@code changes} in one transaction with batched statements: the bulk path. */
  void apply(CatalogChanges changes);

  /**
   * Calls {@code listener} after every committed catalog write through this store, and, on
   * PostgreSQL, through any other process's store on the same database (delivered by {@code
   * LISTEN/NOTIFY}, usually within milliseconds). It is also called whenever the store cannot rule
   * out having missed a change: when the notification connection is lost and when it is back. So a
   * cache that drops its entries on every call never serves a catalog older than the last call.
   * Calls come on a store thread (or the writing thread); keep the listener short and non-blocking.
   */
  void onCatalogChange(Runnable listener);

  default void upsertAccount(Account account) {
    apply(CatalogChanges.builder().account(account).build());
  }

  default void upsertAccessKey(AccessKey accessKey) {
    apply(CatalogChanges.builder().accessKey(accessKey).build());
  }

  default void upsertProduct(Product product) {
    apply(CatalogChanges.builder().product(product).build());
  }

  /** Adds dimensions to a product; existing ones stay. */
  default void addDimensions(String productCode, Collection<String> dimensions) {
    apply(CatalogChanges.builder().dimensions(productCode, dimensions).build());
  }

  default void upsertSubscription(Subscription subscription) {
    apply(CatalogChanges.builder().subscription(subscription).build());
  }

  default void upsertToken(RegistrationToken token) {
    apply(CatalogChanges.builder().token(token).build());
  }

  default void upsertSigningKey(SigningKey key) {
    apply(CatalogChanges.builder().signingKey(key).build());
  }

  /** Marks a subscription active; false if there is none for (product, customer account). */
  boolean activateSubscription(String productCode, String customerAccountId);

  /** Marks a subscription inactive; false if there is none for (product, customer account). */
  boolean deactivateSubscription(String productCode, String customerAccountId);

  /**
   * Rotates a product's signing key: inserts the next version (created {@code at}) and expires every
   * current version {@code at}. Returns the new version.
   */
  SigningKey rotateSigningKey(String productCode, byte[] privateKeyPkcs8, byte[] publicKeyX509, Instant at);

  // ---- catalog reads ----

  Optional<Account> account(String accountId);

  Optional<AccessKey> accessKey(String accessKeyId);

  Optional<Product> product(String productCode);

  /** All products, by product code. */
  List<Product> products();

  Set<String> dimensions(String productCode);

  /** Every account (sellers and customers that have credentials), by account id. */
  List<Account> accounts();

  /** The subscriptions of a product, by customer account id; empty for an unknown product. */
  List<Subscription> subscriptions(String productCode);

  /** The registration tokens of a product, expired ones too, soonest expiry first. */
  List<RegistrationToken> tokens(String productCode);

  Optional<Subscription> subscriptionByCustomerIdentifier(String productCode, String customerIdentifier);

  Optional<Subscription> subscriptionByCustomerAccount(String productCode, String customerAccountId);

  Optional<Subscription> subscriptionByLicense(String licenseArn);

  /** Every subscription of every product, by product and customer account: for loading a cache whole. */
  List<Subscription> subscriptions();

  Optional<RegistrationToken> token(String token);

  /** Every version of a product's signing key, oldest first. */
  List<SigningKey> signingKeys(String productCode);

  Optional<SigningKey> signingKey(String productCode, int version);

  /** The registration of a task for a product, if it ever registered ({@code first()} is false). */
  Optional<TaskRegistration> task(String callerIdentity, String productCode);

  // ---- metering reads (admin API) ----

  /** Every task or pod registered for {@code productCode}, by first call. */
  List<TaskRecord> tasks(String productCode);

  /** Stored BatchMeterUsage records matching {@code query}, in storage order. */
  Page<BatchRow> batchRecords(RecordQuery query);

  /** Stored MeterUsage records matching {@code query}, in storage order. */
  Page<MeterRow> meterRecords(RecordQuery query);

  StoreCounts counts();

  /** Takes the rows of a usage report one at a time. */
  @FunctionalInterface
  interface UsageSink {
    void accept(UsageSum row) throws IOException;
  }

  /**
   * Sums the stored records as {@code query} says and hands the rows to {@code sink} one at a time,
   * in the order of the period and then the grouped keys, straight from a database cursor: the
   * report is never held in memory. Blocks the calling thread for the whole report.
   *
   * @throws IOException what {@code sink} threw; the report stops there
   * @throws StoreException if the database fails
   */
  void usageReport(UsageReportQuery query, UsageSink sink) throws IOException;

  /**
   * Asks the database a cheap question about the server's own tables (so a dropped schema counts,
   * not only a lost connection), on the pool; for health checks.
   *
   * @throws StoreException if the database does not answer it
   */
  void ping();

  /** Queue depth, commits and pool use now; cheap, for metric scrapes. */
  StoreLoad load();

  // ---- audit trail ----

  /** The audit trail: calls and admin requests, written in batches apart from the metering writes. */
  AuditLog audit();

  /**
   * Stops accepting writes, commits everything already accepted, completes its futures, and closes
   * the connections. Idempotent.
   */
  @Override
  void close();
}
