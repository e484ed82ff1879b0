package io.meterbridge.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The storage contract. Every store implementation runs this whole suite through a subclass that
 * says how to get a fresh, empty database.
 */
abstract class StoreContractTest {
  static final Instant HOUR = Instant.parse("2026-01-15T10:00:00Z");
  static final String SELLER = "111111111111";
  static final String BUYER = "222222222222";
  static final String PRODUCT = "prod-saas";

  // Strong references: java.util.logging forgets the level of a logger nobody holds.
  private static final List<java.util.logging.Logger> QUIET = List.of(
      java.util.logging.Logger.getLogger("com.zaxxer.hikari"),
      java.util.logging.Logger.getLogger("org.flywaydb"));

  static {
    QUIET.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
  }

  Store store;

  /** The config of this test's database; the same database each time it is called within one test. */
  abstract StoreConfig.Builder config();

  /** Removes this test's database, after the store is closed. */
  void dropDatabase() {}

  @BeforeEach
  void openStore() {
    store = Stores.open(config().build());
  }

  @AfterEach
  void closeStore() {
    try {
      store.close();
    } finally {
      dropDatabase();
    }
  }

  Store reopen() {
    store.close();
    store = Stores.open(config().build());
    return store;
  }

  // ---- fixtures ----

  void seedCatalog() {
    store.apply(CatalogChanges.builder()
        .account(new Account(SELLER, "Seller"))
        .product(new Product(PRODUCT, SELLER, ProductType.SAAS, "us-east-1"))
        .dimensions(PRODUCT, List.of("users", "gigabytes"))
        .build());
  }

  static BatchRow batchRow(String customer, String dimension, Instant at, int quantity) {
    return BatchRow.builder()
        .meteringRecordId(UUID.randomUUID().toString())
        .productCode(PRODUCT)
        .customerAccountId(customer)
        .dimension(dimension)
        .timestamp(at)
        .quantity(quantity)
        .allocations("[]")
        .fingerprint("q=" + quantity)
        .callerAccountId(SELLER)
        .receivedAt(at.plusSeconds(5))
        .build();
  }

  static MeterRow meterRow(String caller, Instant at, int quantity) {
    return MeterRow.builder()
        .meteringRecordId(UUID.randomUUID().toString())
        .callerIdentity(caller)
        .callerAccountId(BUYER)
        .productCode("prod-ami")
        .dimension("cpus")
        .timestamp(at)
        .quantity(quantity)
        .allocations("[]")
        .fingerprint("q=" + quantity)
        .requestFingerprint("req:" + caller + ":" + at + ":" + quantity)
        .receivedAt(at.plusSeconds(1))
        .build();
  }

  static Subscription subscription(String account, String identifier, String license) {
    Subscription.Builder b = Subscription.builder()
        .productCode(PRODUCT)
        .customerAccountId(account)
        .since(HOUR);
    if (identifier != null) {
      b.customerIdentifier(identifier);
    }
    if (license != null) {
      b.licenseArn(license);
    }
    return b.build();
  }

  List<MeterOutcome> meterBatch(BatchRow... rows) {
    return store.meterBatch(List.of(rows)).join();
  }

  MeterOutcome meterUsage(MeterRow row) {
    return store.meterUsage(row).join();
  }

  List<BatchRow> allBatchRecords() {
    List<BatchRow> all = new ArrayList<>();
    RecordQuery q = RecordQuery.builder().limit(RecordQuery.MAX_LIMIT).build();
    while (true) {
      Page<BatchRow> page = store.batchRecords(q);
      all.addAll(page.items());
      if (page.cursor().isEmpty()) {
        return all;
      }
      q = RecordQuery.builder().limit(RecordQuery.MAX_LIMIT).after(page.cursor().get()).build();
    }
  }

  // ---- catalog ----

  @Test
  void upsertAccount_twice_keepsTheLatestName() {
    store.upsertAccount(new Account(SELLER, "Old name"));
    store.upsertAccount(new Account(SELLER, "New name"));

    assertThat(store.account(SELLER)).contains(new Account(SELLER, "New name"));
    assertThat(store.account("999999999999")).isEmpty();
  }

  @Test
  void accessKey_lookup_returnsItsAccountAndSecret() {
    store.upsertAccount(new Account(SELLER, "Seller"));
    AccessKey key = new AccessKey("AKIDEXAMPLE", SELLER, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    store.upsertAccessKey(key);

    assertThat(store.accessKey("AKIDEXAMPLE")).contains(key);
    assertThat(key.toString()).doesNotContain("wJalr");
    assertThat(store.accessKey("AKIDUNKNOWN")).isEmpty();
  }

  @Test
  void product_withDimensions_roundTrips() {
    seedCatalog();
    store.addDimensions(PRODUCT, List.of("users", "requests"));

    assertThat(store.product(PRODUCT)).contains(new Product(PRODUCT, SELLER, ProductType.SAAS, "us-east-1"));
    assertThat(store.products()).extracting(Product::productCode).containsExactly(PRODUCT);
    assertThat(store.dimensions(PRODUCT)).containsExactlyInAnyOrder("users", "gigabytes", "requests");
    assertThat(store.dimensions("prod-unknown")).isEmpty();
  }

  @Test
  void product_ofUnknownSeller_isRejectedAndNothingOfTheChangeIsKept() {
    CatalogChanges changes = CatalogChanges.builder()
        .account(new Account("333333333333", "Kept only if all succeed"))
        .product(new Product("prod-orphan", "444444444444", ProductType.AMI, "us-east-1"))
        .build();

    assertThatThrownBy(() -> store.apply(changes))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("apply CatalogChanges");
    assertThat(store.account("333333333333")).isEmpty();
    assertThat(store.product("prod-orphan")).isEmpty();
  }

  @Test
  void subscription_isFoundByCustomerIdentifierAccountAndLicense() {
    seedCatalog();
    Subscription legacy = subscription(BUYER, "cust-legacy", null);
    Subscription modern = subscription("333333333333", null, "arn:aws:license-manager::1:license:l-1");
    store.upsertSubscription(legacy);
    store.upsertSubscription(modern);

    assertThat(store.subscriptionByCustomerIdentifier(PRODUCT, "cust-legacy")).contains(legacy);
    assertThat(store.subscriptionByCustomerAccount(PRODUCT, BUYER)).contains(legacy);
    assertThat(store.subscriptionByCustomerAccount(PRODUCT, "333333333333")).contains(modern);
    assertThat(store.subscriptionByLicense("arn:aws:license-manager::1:license:l-1")).contains(modern);
    assertThat(store.subscriptionByCustomerIdentifier(PRODUCT, "cust-unknown")).isEmpty();
    assertThat(store.subscriptionByCustomerAccount("prod-other", BUYER)).isEmpty();
    assertThat(store.subscriptionByLicense("arn:unknown")).isEmpty();
  }

  @Test
  void deactivateSubscription_thenActivate_flipsTheActiveFlag() {
    seedCatalog();
    store.upsertSubscription(subscription(BUYER, "cust-1", null));

    assertThat(store.deactivateSubscription(PRODUCT, BUYER)).isTrue();
    assertThat(store.subscriptionByCustomerAccount(PRODUCT, BUYER).orElseThrow().active()).isFalse();
    assertThat(store.activateSubscription(PRODUCT, BUYER)).isTrue();
    assertThat(store.subscriptionByCustomerIdentifier(PRODUCT, "cust-1").orElseThrow().active()).isTrue();
    assertThat(store.deactivateSubscription(PRODUCT, "999999999999")).isFalse();
  }

  @Test
  void onCatalogChange_isCalledAfterEveryCatalogWriteThroughThisStore() {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    store.onCatalogChange(calls::incrementAndGet);

    int before = calls.get();
    seedCatalog();
    assertThat(calls.get()).as("after apply").isGreaterThan(before);
    store.upsertSubscription(subscription(BUYER, "cust-1", null));
    before = calls.get();
    store.deactivateSubscription(PRODUCT, BUYER);
    assertThat(calls.get()).as("after deactivate").isGreaterThan(before);
    before = calls.get();
    store.activateSubscription(PRODUCT, BUYER);
    assertThat(calls.get()).as("after activate").isGreaterThan(before);
    before = calls.get();
    store.rotateSigningKey(PRODUCT, new byte[] {1}, new byte[] {2}, HOUR);
    assertThat(calls.get()).as("after a key rotation").isGreaterThan(before);
  }

  @Test
  void subscription_withLicenseArnOfAnotherCustomer_isRejected() {
    seedCatalog();
    store.upsertSubscription(subscription(BUYER, null, "arn:license:shared"));

    assertThatThrownBy(() -> store.upsertSubscription(subscription("333333333333", null, "arn:license:shared")))
        .isInstanceOf(StoreException.class);
    assertThat(store.subscriptionByLicense("arn:license:shared").orElseThrow().customerAccountId()).isEqualTo(BUYER);
  }

  @Test
  void apply_100000Subscriptions_loadsThemAllInOneCall() {
    seedCatalog();
    List<Subscription> subs = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      String account = String.format("%012d", 500_000_000_000L + i);
      subs.add(subscription(account, "cust-" + i, "arn:license:" + i));
    }
    long start = System.nanoTime();
    store.apply(CatalogChanges.builder().subscriptions(subs).build());
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("[%s] bulk load of 100000 subscriptions: %d ms%n", getClass().getSimpleName(), millis);

    assertThat(store.counts().subscriptions()).isEqualTo(100_000);
    assertThat(store.subscriptionByCustomerIdentifier(PRODUCT, "cust-99999").orElseThrow().licenseArn())
        .contains("arn:license:99999");
  }

  @Test
  void token_resolvedTwice_returnsTheSameValues() {
    seedCatalog();
    RegistrationToken token = RegistrationToken.builder()
        .token("tok-123").productCode(PRODUCT).customerAccountId(BUYER).customerIdentifier("cust-1")
        .licenseArn("arn:license:1").expiresAt(HOUR.plus(Duration.ofHours(4))).build();
    store.upsertToken(token);

    assertThat(store.token("tok-123")).contains(token);
    assertThat(store.token("tok-123")).contains(token);
    assertThat(store.token("tok-unknown")).isEmpty();
  }

  @Test
  void rotateSigningKey_addsTheNextVersionAndExpiresThePrevious() {
    seedCatalog();
    SigningKey first = SigningKey.builder().productCode(PRODUCT).version(1)
        .privateKey(new byte[] {1, 2}).publicKey(new byte[] {3, 4}).createdAt(HOUR).build();
    store.upsertSigningKey(first);
    Instant rotation = HOUR.plus(Duration.ofDays(30));

    SigningKey second = store.rotateSigningKey(PRODUCT, new byte[] {5, 6}, new byte[] {7, 8}, rotation);

    assertThat(second.version()).isEqualTo(2);
    assertThat(second.expiresAt()).isEmpty();
    List<SigningKey> keys = store.signingKeys(PRODUCT);
    assertThat(keys).extracting(SigningKey::version).containsExactly(1, 2);
    assertThat(keys.get(0).expiresAt()).contains(rotation);
    assertThat(keys.get(0).publicKey()).containsExactly(3, 4);
    assertThat(store.signingKey(PRODUCT, 2)).contains(second);
    assertThat(store.signingKey(PRODUCT, 3)).isEmpty();
  }

  // ---- BatchMeterUsage ----

  @Test
  void meterBatch_newRows_returnsStoredWithTheCallersIds() {
    BatchRow a = batchRow("cust-1", "users", HOUR, 5);
    BatchRow b = batchRow("cust-2", "users", HOUR, 7);

    assertThat(meterBatch(a, b)).containsExactly(
        new MeterOutcome.Stored(a.meteringRecordId()), new MeterOutcome.Stored(b.meteringRecordId()));
  }

  @Test
  void meterBatch_sameKeySameFingerprint_returnsReplayedWithOriginalId() {
    BatchRow original = batchRow("cust-1", "users", HOUR, 5);
    meterBatch(original);

    BatchRow retry = batchRow("cust-1", "users", HOUR, 5);

    assertThat(meterBatch(retry)).containsExactly(new MeterOutcome.Replayed(original.meteringRecordId()));
    assertThat(allBatchRecords()).containsExactly(original);
  }

  @Test
  void meterBatch_sameKeyDifferentQuantity_returnsConflictWithOriginalId() {
    BatchRow original = batchRow("cust-1", "users", HOUR, 5);
    meterBatch(original);

    BatchRow changed = batchRow("cust-1", "users", HOUR, 6);

    assertThat(meterBatch(changed)).containsExactly(new MeterOutcome.Conflict(original.meteringRecordId()));
    assertThat(allBatchRecords()).extracting(BatchRow::quantity).containsExactly(5);
  }

  @Test
  void meterBatch_sameHourDifferentMinute_isTheSameKey() {
    BatchRow original = batchRow("cust-1", "users", HOUR.plusSeconds(60), 5);
    meterBatch(original);

    assertThat(meterBatch(batchRow("cust-1", "users", HOUR.plusSeconds(3599), 5)))
        .containsExactly(new MeterOutcome.Replayed(original.meteringRecordId()));
  }

  @Test
  void meterBatch_nextHourOrOtherDimensionOrCustomer_isANewKey() {
    meterBatch(batchRow("cust-1", "users", HOUR, 5));

    assertThat(meterBatch(
        batchRow("cust-1", "users", HOUR.plusSeconds(3600), 5),
        batchRow("cust-1", "gigabytes", HOUR, 5),
        batchRow("cust-2", "users", HOUR, 5)))
        .allMatch(o -> o instanceof MeterOutcome.Stored);
  }

  @Test
  void meterBatch_sameKeyTwiceInOneCall_firstWinsAndLaterOnesAreJudgedAgainstIt() {
    BatchRow first = batchRow("cust-1", "users", HOUR, 5);
    BatchRow same = batchRow("cust-1", "users", HOUR.plusSeconds(10), 5);
    BatchRow other = batchRow("cust-2", "users", HOUR, 1);
    BatchRow changed = batchRow("cust-1", "users", HOUR.plusSeconds(20), 9);

    assertThat(meterBatch(first, same, other, changed)).containsExactly(
        new MeterOutcome.Stored(first.meteringRecordId()),
        new MeterOutcome.Replayed(first.meteringRecordId()),
        new MeterOutcome.Stored(other.meteringRecordId()),
        new MeterOutcome.Conflict(first.meteringRecordId()));
    assertThat(allBatchRecords()).containsExactlyInAnyOrder(first, other);
  }

  @Test
  void meterBatch_emptyList_returnsNoOutcomes() {
    assertThat(meterBatch()).isEmpty();
  }

  @Test
  void meterBatch_storedRow_comesBackFieldForFieldFromTheListing() {
    BatchRow row = batchRow("222222222222", "users", HOUR.plusMillis(123_456), 42).toBuilder()
        .allocations("[{\"AllocatedUsageQuantity\":42,\"Tags\":[{\"Key\":\"k\",\"Value\":\"v\"}]}]")
        .licenseArn("arn:aws:license-manager::1:license:l-9")
        .build();
    meterBatch(row);

    assertThat(allBatchRecords()).containsExactly(row);
    assertThat(allBatchRecords().get(0).hour()).isEqualTo(HOUR);
  }

  // ---- MeterUsage ----

  @Test
  void meterUsage_newRow_returnsStored() {
    MeterRow row = meterRow("i-1", HOUR, 3);

    assertThat(meterUsage(row)).isEqualTo(new MeterOutcome.Stored(row.meteringRecordId()));
    assertThat(store.meterRecords(RecordQuery.all()).items()).containsExactly(row);
  }

  @Test
  void meterUsage_sameHourKeySameQuantity_returnsReplayedWithOriginalId() {
    MeterRow original = meterRow("i-1", HOUR.plusSeconds(30), 3);
    meterUsage(original);

    assertThat(meterUsage(meterRow("i-1", HOUR.plusSeconds(900), 3)))
        .isEqualTo(new MeterOutcome.Replayed(original.meteringRecordId()));
  }

  @Test
  void meterUsage_sameHourKeyDifferentQuantity_returnsConflictWithOriginalId() {
    MeterRow original = meterRow("i-1", HOUR, 3);
    meterUsage(original);

    assertThat(meterUsage(meterRow("i-1", HOUR.plusSeconds(60), 4)))
        .isEqualTo(new MeterOutcome.Conflict(original.meteringRecordId()));
    assertThat(meterUsage(meterRow("i-2", HOUR, 4))).isInstanceOf(MeterOutcome.Stored.class);
  }

  @Test
  void meterUsage_sameClientTokenSameRequest_returnsReplayedWithOriginalId() {
    MeterRow original = meterRow("i-1", HOUR, 3).toBuilder().clientToken("token-1").build();
    meterUsage(original);

    MeterRow retry = original.toBuilder().meteringRecordId(UUID.randomUUID().toString()).build();

    assertThat(meterUsage(retry)).isEqualTo(new MeterOutcome.Replayed(original.meteringRecordId()));
  }

  @Test
  void meterUsage_sameClientTokenDifferentRequest_returnsTokenConflictBeforeTheHourCheck() {
    MeterRow original = meterRow("i-1", HOUR, 3).toBuilder().clientToken("token-1").build();
    meterUsage(original);

    // A different hour key entirely: only the token ties it to the original.
    MeterRow other = meterRow("i-9", HOUR.plusSeconds(7200), 8).toBuilder().clientToken("token-1").build();

    assertThat(meterUsage(other)).isEqualTo(new MeterOutcome.TokenConflict(original.meteringRecordId()));
    assertThat(store.meterRecords(RecordQuery.all()).items()).containsExactly(original);
  }

  @Test
  void meterUsage_tokenFirstAnsweredFromAnotherRow_staysBoundToItsFirstParameters() {
    MeterRow stored = meterRow("i-1", HOUR, 3).toBuilder().clientToken("token-0").build();
    meterUsage(stored);
    // Same hour and quantity under a new token: answered from the stored row, with no row of its own.
    MeterRow replayed = meterRow("i-1", HOUR.plusSeconds(5), 3).toBuilder().clientToken("token-1").build();
    assertThat(meterUsage(replayed)).isEqualTo(new MeterOutcome.Replayed(stored.meteringRecordId()));

    MeterRow sameTokenOtherHour = meterRow("i-1", HOUR.plusSeconds(7200), 3).toBuilder().clientToken("token-1").build();
    MeterRow retry = replayed.toBuilder().meteringRecordId(UUID.randomUUID().toString()).build();

    assertThat(meterUsage(sameTokenOtherHour)).isEqualTo(new MeterOutcome.TokenConflict(stored.meteringRecordId()));
    assertThat(meterUsage(retry)).isEqualTo(new MeterOutcome.Replayed(stored.meteringRecordId()));
    assertThat(store.meterRecords(RecordQuery.all()).items()).containsExactly(stored);
  }

  @Test
  void meterUsage_tokenFirstAnsweredWithAConflict_staysBoundToItsFirstParameters() {
    MeterRow stored = meterRow("i-1", HOUR, 3);
    meterUsage(stored);
    MeterRow conflicting = meterRow("i-1", HOUR.plusSeconds(5), 4).toBuilder().clientToken("token-1").build();
    assertThat(meterUsage(conflicting)).isEqualTo(new MeterOutcome.Conflict(stored.meteringRecordId()));

    MeterRow sameTokenOtherHour = meterRow("i-1", HOUR.plusSeconds(7200), 4).toBuilder().clientToken("token-1").build();

    assertThat(meterUsage(sameTokenOtherHour)).isEqualTo(new MeterOutcome.TokenConflict(stored.meteringRecordId()));
  }

  @Test
  void meterUsage_sameClientTokenFromAnotherAccount_isIndependent() {
    meterUsage(meterRow("i-1", HOUR, 3).toBuilder().clientToken("token-1").build());
    MeterRow other = meterRow("i-2", HOUR, 3).toBuilder().clientToken("token-1").callerAccountId("333333333333")
        .build();

    assertThat(meterUsage(other)).isEqualTo(new MeterOutcome.Stored(other.meteringRecordId()));
  }

  @Test
  void meterUsage_tokenAndHourKeyRepeatedInOneGroup_areJudgedInArrivalOrder() {
    MeterRow first = meterRow("i-1", HOUR, 3).toBuilder().clientToken("t").build();
    MeterRow sameToken = first.toBuilder().meteringRecordId(UUID.randomUUID().toString()).build();
    MeterRow conflictingToken = meterRow("i-2", HOUR, 1).toBuilder().clientToken("t").build();
    MeterRow sameHourNoToken = meterRow("i-1", HOUR.plusSeconds(5), 4);

    List<CompletableFuture<MeterOutcome>> futures = List.of(
        store.meterUsage(first), store.meterUsage(sameToken), store.meterUsage(conflictingToken),
        store.meterUsage(sameHourNoToken));

    assertThat(futures).extracting(CompletableFuture::join).containsExactly(
        new MeterOutcome.Stored(first.meteringRecordId()),
        new MeterOutcome.Replayed(first.meteringRecordId()),
        new MeterOutcome.TokenConflict(first.meteringRecordId()),
        new MeterOutcome.Conflict(first.meteringRecordId()));
  }

  // ---- RegisterUsage ----

  @Test
  void registerTask_firstThenRepeat_reportsFirstOnceAndCountsCalls() {
    Instant later = HOUR.plusSeconds(600);

    TaskRegistration first = store.registerTask("task-1", "prod-ctr", BUYER, HOUR).join();
    TaskRegistration repeat = store.registerTask("task-1", "prod-ctr", BUYER, later).join();

    assertThat(first).isEqualTo(new TaskRegistration(true, HOUR, HOUR, 1));
    assertThat(repeat).isEqualTo(new TaskRegistration(false, HOUR, later, 2));
    assertThat(store.task("task-1", "prod-ctr")).contains(new TaskRegistration(false, HOUR, later, 2));
    assertThat(store.task("task-1", "prod-other")).isEmpty();
    assertThat(store.registerTask("task-1", "prod-other", BUYER, HOUR).join().first()).isTrue();
  }

  // ---- concurrency ----

  @Test
  void meterBatch_manyThreadsWritingOverlappingKeys_storeOneRowPerKeyAndAgreeOnIds() throws Exception {
    int threads = 8;
    int customers = 300;
    Map<String, Set<String>> idsByCustomer = new ConcurrentHashMap<>();
    Map<String, Integer> storedByCustomer = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        done.add(pool.submit(() -> {
          Random random = new Random(seed);
          List<CompletableFuture<Void>> futures = new ArrayList<>();
          for (int b = 0; b < 40; b++) {
            List<BatchRow> rows = new ArrayList<>();
            Set<Integer> picked = new HashSet<>();
            while (rows.size() < 25) {
              int c = random.nextInt(customers);
              if (picked.add(c)) {
                rows.add(batchRow("cust-" + c, "users", HOUR, c));
              }
            }
            futures.add(store.meterBatch(rows).thenAccept(outcomes -> {
              for (int i = 0; i < rows.size(); i++) {
                String customer = rows.get(i).customerAccountId();
                MeterOutcome o = outcomes.get(i);
                assertThat(o).isNotInstanceOf(MeterOutcome.Conflict.class);
                idsByCustomer.computeIfAbsent(customer, k -> ConcurrentHashMap.newKeySet()).add(o.meteringRecordId());
                if (o instanceof MeterOutcome.Stored) {
                  storedByCustomer.merge(customer, 1, Integer::sum);
                }
              }
            }));
          }
          futures.forEach(CompletableFuture::join);
        }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    List<BatchRow> stored = allBatchRecords();
    assertThat(stored).hasSize(idsByCustomer.size());
    assertThat(storedByCustomer).hasSize(idsByCustomer.size()).allSatisfy((c, n) -> assertThat(n).isEqualTo(1));
    Map<String, String> storedId = new HashMap<>();
    stored.forEach(r -> storedId.put(r.customerAccountId(), r.meteringRecordId()));
    idsByCustomer.forEach((customer, ids) -> assertThat(ids).containsExactly(storedId.get(customer)));
  }

  @Test
  void meterUsage_manyThreadsSendingTheSameRequests_storeOneRowPerKeyAndAgreeOnIds() throws Exception {
    int threads = 8;
    Map<String, Set<String>> idsByCaller = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          List<CompletableFuture<Void>> futures = new ArrayList<>();
          for (int i = 0; i < 200; i++) {
            String caller = "i-" + i;
            MeterRow row = meterRow(caller, HOUR, 1).toBuilder().clientToken("tok-" + i).build();
            futures.add(store.meterUsage(row).thenAccept(o -> {
              assertThat(o).isInstanceOfAny(MeterOutcome.Stored.class, MeterOutcome.Replayed.class);
              idsByCaller.computeIfAbsent(caller, k -> ConcurrentHashMap.newKeySet()).add(o.meteringRecordId());
            }));
          }
          futures.forEach(CompletableFuture::join);
        }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(store.counts().meterRecords()).isEqualTo(200);
    assertThat(idsByCaller).hasSize(200).allSatisfy((caller, ids) -> assertThat(ids).hasSize(1));
  }

  // ---- durability and lifecycle ----

  @Test
  void acknowledgedWrites_areThereAfterReopening() {
    BatchRow batch = batchRow("cust-1", "users", HOUR, 5);
    MeterRow meter = meterRow("i-1", HOUR, 3);
    meterBatch(batch);
    meterUsage(meter);
    store.registerTask("task-1", "prod-ctr", BUYER, HOUR).join();

    reopen();

    assertThat(allBatchRecords()).containsExactly(batch);
    assertThat(store.meterRecords(RecordQuery.all()).items()).containsExactly(meter);
    assertThat(store.task("task-1", "prod-ctr")).isPresent();
    assertThat(meterBatch(batchRow("cust-1", "users", HOUR, 5)))
        .containsExactly(new MeterOutcome.Replayed(batch.meteringRecordId()));
  }

  @Test
  void close_withWritesInFlight_commitsEveryAcceptedWriteFirst() {
    List<CompletableFuture<List<MeterOutcome>>> futures = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      futures.add(store.meterBatch(List.of(batchRow("cust-" + i, "users", HOUR, i))));
    }

    store.close();

    assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted());
    assertThat(futures).extracting(CompletableFuture::join)
        .allSatisfy(o -> assertThat(o).singleElement().isInstanceOf(MeterOutcome.Stored.class));
    reopen();
    assertThat(store.counts().batchRecords()).isEqualTo(400);
  }

  @Test
  void meterBatch_afterClose_failsWithStoreClosedException() {
    store.close();

    assertThat(store.meterBatch(List.of(batchRow("cust-1", "users", HOUR, 1))))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(StoreClosedException.class)
        .withMessageContaining("store is closed");
  }

  @Test
  void meterBatch_beyondTheQueueBound_failsFastWithStoreOverloadedException() {
    store.close();
    store = Stores.open(config().maxPendingWrites(1).build());
    List<CompletableFuture<List<MeterOutcome>>> futures = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      futures.add(store.meterBatch(List.of(batchRow("cust-" + i, "users", HOUR, i))));
    }

    long stored = 0;
    for (CompletableFuture<List<MeterOutcome>> f : futures) {
      try {
        f.join();
        stored++;
      } catch (CompletionException e) {
        assertThat(e.getCause()).isInstanceOf(StoreOverloadedException.class)
            .hasMessageContaining("write queue is full");
      }
    }
    assertThat(store.counts().batchRecords()).isEqualTo(stored);
  }

  // ---- admin reads ----

  @Test
  void batchRecords_paginateInStorageOrderAndFilterByProductAndTime() {
    for (int i = 0; i < 25; i++) {
      meterBatch(batchRow("cust-" + i, "users", HOUR.plusSeconds(3600L * (i % 5)), i));
    }
    meterBatch(batchRow("cust-x", "users", HOUR, 1).toBuilder().productCode("prod-other").build());

    Page<BatchRow> first = store.batchRecords(RecordQuery.builder().productCode(PRODUCT).limit(10).build());
    Page<BatchRow> second = store.batchRecords(
        RecordQuery.builder().productCode(PRODUCT).limit(10).after(first.cursor().orElseThrow()).build());
    Page<BatchRow> third = store.batchRecords(
        RecordQuery.builder().productCode(PRODUCT).limit(10).after(second.cursor().orElseThrow()).build());

    assertThat(first.items()).hasSize(10);
    assertThat(second.items()).hasSize(10);
    assertThat(third.items()).hasSize(5);
    assertThat(third.cursor()).isEmpty();
    List<BatchRow> all = new ArrayList<>(first.items());
    all.addAll(second.items());
    all.addAll(third.items());
    assertThat(all).extracting(BatchRow::customerAccountId).doesNotHaveDuplicates().doesNotContain("cust-x");
    assertThat(all).extracting(BatchRow::quantity).isSorted();

    Page<BatchRow> hourTwo = store.batchRecords(RecordQuery.builder()
        .from(HOUR.plusSeconds(7200)).to(HOUR.plusSeconds(10800)).build());
    assertThat(hourTwo.items()).hasSize(5).allSatisfy(r -> assertThat(r.hour()).isEqualTo(HOUR.plusSeconds(7200)));
  }

  @Test
  void counts_reflectWhatIsStored() {
    seedCatalog();
    store.upsertSubscription(subscription(BUYER, "cust-1", null));
    meterBatch(batchRow("cust-1", "users", HOUR, 1), batchRow("cust-2", "users", HOUR, 1));
    meterUsage(meterRow("i-1", HOUR, 1));
    store.registerTask("task-1", "prod-ctr", BUYER, HOUR).join();

    assertThat(store.counts()).isEqualTo(new StoreCounts(1, 1, 1, 2, 1, 1));
  }

  // ---- throughput smoke: prints a number, asserts only correctness ----

  @Test
  void throughputSmoke_concurrent25RecordBatches_printsRecordsPerSecond() throws Exception {
    int callers = 4;
    int batchesPerCaller = 2_000;
    // Rows are built before the clock starts: this measures the store, not UUID generation.
    Instant received = Instant.now();
    List<List<List<BatchRow>>> work = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      List<List<BatchRow>> batches = new ArrayList<>();
      for (int b = 0; b < batchesPerCaller; b++) {
        List<BatchRow> rows = new ArrayList<>(25);
        for (int i = 0; i < 25; i++) {
          rows.add(BatchRow.builder()
              .meteringRecordId(c + "-" + b + "-" + i)
              .productCode(PRODUCT)
              .customerAccountId("c-" + c + "-" + b + "-" + i)
              .dimension("users")
              .timestamp(HOUR)
              .quantity(i)
              .allocations("[]")
              .fingerprint("fp-" + i)
              .callerAccountId(SELLER)
              .receivedAt(received)
              .build());
        }
        batches.add(rows);
      }
      work.add(batches);
    }
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    long start = System.nanoTime();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (List<List<BatchRow>> batches : work) {
        done.add(pool.submit(() -> {
          // Each caller keeps up to 128 requests in flight, like a busy event loop.
          Semaphore inFlight = new Semaphore(128);
          List<CompletableFuture<List<MeterOutcome>>> futures = new ArrayList<>();
          for (List<BatchRow> rows : batches) {
            inFlight.acquireUninterruptibly();
            CompletableFuture<List<MeterOutcome>> f = store.meterBatch(rows);
            f.whenComplete((r, e) -> inFlight.release());
            futures.add(f);
          }
          futures.forEach(CompletableFuture::join);
        }));
      }
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    long records = (long) callers * batchesPerCaller * 25;
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("[%s] throughput smoke: %d records in %.2f s = %.0f records/s%n",
        getClass().getSimpleName(), records, seconds, records / seconds);

    assertThat(store.counts().batchRecords()).isEqualTo(records);
  }
}
