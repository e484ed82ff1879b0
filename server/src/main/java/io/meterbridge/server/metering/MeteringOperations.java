package io.meterbridge.server.metering;

import io.meterbridge.auth.UsageClaims;
import io.meterbridge.auth.UsageSignature;
import io.meterbridge.exception.AccessDeniedException;
import io.meterbridge.exception.CustomerNotEntitledException;
import io.meterbridge.exception.DryRunOperationException;
import io.meterbridge.exception.DuplicateRequestException;
import io.meterbridge.exception.ExpiredTokenException;
import io.meterbridge.exception.IdempotencyConflictException;
import io.meterbridge.exception.InvalidCustomerIdentifierException;
import io.meterbridge.exception.InvalidEndpointRegionException;
import io.meterbridge.exception.InvalidLicenseException;
import io.meterbridge.exception.InvalidProductCodeException;
import io.meterbridge.exception.InvalidPublicKeyVersionException;
import io.meterbridge.exception.InvalidRegionException;
import io.meterbridge.exception.InvalidTokenException;
import io.meterbridge.exception.InvalidUsageDimensionException;
import io.meterbridge.exception.PlatformNotSupportedException;
import io.meterbridge.exception.ThrottlingException;
import io.meterbridge.exception.TimestampOutOfBoundsException;
import io.meterbridge.exception.ValidationException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.RegisterUsageResponse;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.model.ResolveCustomerResponse;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResult;
import io.meterbridge.model.UsageRecordResultStatus;
import io.meterbridge.server.CallContext;
import io.meterbridge.server.Futures;
import io.meterbridge.server.MeteringService;
import io.meterbridge.server.RandomUuids;
import io.meterbridge.server.ServerClock;
import io.meterbridge.server.store.AccessKey;
import io.meterbridge.server.store.BatchRow;
import io.meterbridge.server.store.MeterOutcome;
import io.meterbridge.server.store.MeterRow;
import io.meterbridge.server.store.Platform;
import io.meterbridge.server.store.Product;
import io.meterbridge.server.store.ProductType;
import io.meterbridge.server.store.RegistrationToken;
import io.meterbridge.server.store.SigningKey;
import io.meterbridge.server.store.StoreOverloadedException;
import io.meterbridge.server.store.StoreUnavailableException;
import io.meterbridge.server.store.Subscription;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The four operations with their documented semantics (spec §5), over the store.
 *
 * <p>Checks run in the order a caller can act on: the product and the caller's right to it, the
 * time window, dimensions and allocations, then customers. A failing check rejects the whole
 * request with the modelled error; per-record outcomes (CustomerNotSubscribed, DuplicateRecord)
 * come back in the results. Catalog reads may block, so they run on {@code executor}; the writes go
 * through the store's group commit and complete asynchronously.
 */
public final class MeteringOperations implements MeteringService {
  private final Catalog catalog;
  private final ServerClock clock;
  private final TimeWindow batchWindow;
  private final TimeWindow meterWindow;
  private final Executor executor;
  private final Map<String, PrivateKey> privateKeys = new ConcurrentHashMap<>();

  private MeteringOperations(Builder b) {
    this.catalog = Objects.requireNonNull(b.catalog, "catalog");
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.batchWindow = b.batchWindow;
    this.meterWindow = b.meterWindow;
    this.executor = Objects.requireNonNull(b.executor, "executor");
  }

  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------------------- BatchMeterUsage

  @Override
  public CompletableFuture<BatchMeterUsageResponse> batchMeterUsage(CallContext context, BatchMeterUsageRequest request) {
    return batch(context, request).exceptionallyCompose(MeteringOperations::unavailableIsInternalError);
  }

  private CompletableFuture<BatchMeterUsageResponse> batch(CallContext context, BatchMeterUsageRequest request) {
    // No shortcut for an empty batch: the product and the caller's right to it are checked first,
    // whatever the records, or an empty batch would tell anyone that a product exists.
    return prepare(() -> prepareBatch(context, request))
        .thenCompose(plan -> plan.rows.isEmpty()
            ? CompletableFuture.completedFuture(plan.results(List.of()))
            : overloadIsThrottling(catalog.store().meterBatch(plan.rows)).thenApply(plan::results));
  }

  /**
   * Runs a preparation on the calling thread (an event loop) when the catalog can answer it from
   * memory, which it nearly always can; otherwise on {@code executor}, where reading the store may
   * block. The hop to a worker thread and back cost more than the preparation itself.
   */
  private <T> CompletableFuture<T> prepare(java.util.function.Supplier<T> preparation) {
    try {
      return CompletableFuture.completedFuture(catalog.fromCache(preparation));
    } catch (Catalog.Miss miss) {
      return CompletableFuture.supplyAsync(preparation, executor);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** What to store and how to answer once the store has spoken. */
  private static final class BatchPlan {
    final List<UsageRecord> records;
    final UsageRecordResultStatus[] statuses;
    final int[] rowIndex;
    final List<BatchRow> rows = new ArrayList<>();

    BatchPlan(List<UsageRecord> records) {
      this.records = records;
      this.statuses = new UsageRecordResultStatus[records.size()];
      this.rowIndex = new int[records.size()];
    }

    BatchMeterUsageResponse results(List<MeterOutcome> outcomes) {
      List<UsageRecordResult> results = new ArrayList<>(records.size());
      for (int i = 0; i < records.size(); i++) {
        UsageRecord record = records.get(i);
        if (statuses[i] != null) {
          results.add(new UsageRecordResult(Optional.of(record), Optional.empty(), Optional.of(statuses[i])));
          continue;
        }
        MeterOutcome outcome = outcomes.get(rowIndex[i]);
        if (outcome instanceof MeterOutcome.Conflict) {
          results.add(new UsageRecordResult(Optional.of(record), Optional.empty(),
              Optional.of(UsageRecordResultStatus.DUPLICATE_RECORD)));
        } else {
          results.add(UsageRecordResult.of(record, outcome.meteringRecordId(), UsageRecordResultStatus.SUCCESS));
        }
      }
      return new BatchMeterUsageResponse(results, List.of());
    }
  }

  private BatchPlan prepareBatch(CallContext context, BatchMeterUsageRequest request) {
    Instant now = clock.instant();
    List<UsageRecord> records = request.usageRecords();
    Product product = batchProduct(request);
    if (!product.sellerAccountId().equals(context.caller().accountId())) {
      throw new AccessDeniedException("Account " + context.caller().accountId()
          + " is not authorized to meter usage for product " + product.productCode()
          + "; only its seller (" + product.sellerAccountId() + ") may call BatchMeterUsage for it");
    }
    if (product.type() != ProductType.SAAS) {
      throw new InvalidProductCodeException("Product " + product.productCode() + " is a " + product.type()
          + " product; BatchMeterUsage meters SaaS products (use MeterUsage or RegisterUsage)");
    }
    for (int i = 0; i < records.size(); i++) {
      Optional<String> why = batchWindow.rejection(records.get(i).timestamp(), now);
      if (why.isPresent()) {
        throw new TimestampOutOfBoundsException("usageRecords[" + i + "]: " + why.get()
            + ". No record of this batch was processed.");
      }
    }
    var dimensions = catalog.dimensions(product.productCode());
    for (int i = 0; i < records.size(); i++) {
      UsageRecord record = records.get(i);
      if (!dimensions.contains(record.dimension())) {
        throw new InvalidUsageDimensionException("usageRecords[" + i + "].dimension: '" + record.dimension()
            + "' is not a dimension of product " + product.productCode() + "; its dimensions are "
            + new java.util.TreeSet<>(dimensions));
      }
      if (!record.usageAllocations().isEmpty()) { // else nothing to check, and no name to build
        Allocations.check("usageRecords[" + i + "]", record.quantity(), record.usageAllocations());
      }
    }

    BatchPlan plan = new BatchPlan(records);
    for (int i = 0; i < records.size(); i++) {
      UsageRecord record = records.get(i);
      Optional<Subscription> subscription = subscriptionOf(product, record, i);
      if (subscription.isEmpty() || !subscription.get().active()) {
        plan.statuses[i] = UsageRecordResultStatus.CUSTOMER_NOT_SUBSCRIBED;
        continue;
      }
      Subscription s = subscription.get();
      if (record.licenseArn().isPresent()) {
        if (!record.licenseArn().equals(s.licenseArn())) {
          throw new InvalidLicenseException("usageRecords[" + i + "].licenseArn: " + record.licenseArn().get()
              + " is not the license of customer " + s.customerAccountId() + " for product " + product.productCode());
        }
        if (record.timestamp().isBefore(s.since())) {
          throw new InvalidLicenseException("usageRecords[" + i + "]: usage at " + record.timestamp()
              + " is before the license was activated (" + s.since() + ")");
        }
      }
      plan.rowIndex[i] = plan.rows.size();
      BatchRow.Builder row = BatchRow.builder()
          .meteringRecordId(RandomUuids.next())
          .productCode(product.productCode())
          .customerAccountId(s.customerAccountId())
          .dimension(record.dimension())
          .timestamp(record.timestamp())
          .quantity(record.quantity())
          .allocations(Allocations.canonical(record.usageAllocations()))
          .fingerprint(Allocations.fingerprint(record.quantity(), record.usageAllocations()))
          .callerAccountId(context.caller().accountId())
          .receivedAt(now);
      s.licenseArn().ifPresent(row::licenseArn);
      plan.rows.add(row.build());
    }
    return plan;
  }

  /** The product a batch meters: its ProductCode, else the product behind the records' licenses. */
  private Product batchProduct(BatchMeterUsageRequest request) {
    if (request.productCode().isPresent()) {
      String code = request.productCode().get();
      return catalog.product(code).orElseThrow(() -> new InvalidProductCodeException(
          "productCode: '" + code + "' is not a product known to this service"));
    }
    String productCode = null;
    List<UsageRecord> records = request.usageRecords();
    if (records.isEmpty()) {
      throw new ValidationException("productCode: is required; a request without usage records names its product"
          + " with productCode");
    }
    for (int i = 0; i < records.size(); i++) {
      UsageRecord record = records.get(i);
      if (record.licenseArn().isEmpty()) {
        throw new ValidationException("usageRecords[" + i + "].licenseArn: is required when the request has no"
            + " productCode; give a productCode or a licenseArn on every record");
      }
      String license = record.licenseArn().get();
      int index = i;
      Subscription s = catalog.subscriptionByLicense(license).orElseThrow(() -> new InvalidLicenseException(
          "usageRecords[" + index + "].licenseArn: " + license + " is not a known license"));
      if (productCode == null) {
        productCode = s.productCode();
      } else if (!productCode.equals(s.productCode())) {
        throw new ValidationException("usageRecords[" + i + "].licenseArn: " + license + " belongs to product "
            + s.productCode() + " but earlier records meter " + productCode
            + "; each BatchMeterUsage call is for one product");
      }
    }
    String code = productCode;
    return catalog.product(code).orElseThrow(() -> new InvalidProductCodeException(
        "the product " + code + " behind the records' licenses no longer exists"));
  }

  private Optional<Subscription> subscriptionOf(Product product, UsageRecord record, int index) {
    if (record.customerAwsAccountId().isPresent()) {
      return catalog.subscriptionByCustomerAccount(product.productCode(), record.customerAwsAccountId().get());
    }
    String identifier = record.customerIdentifier().orElseThrow();
    Optional<Subscription> s = catalog.subscriptionByCustomerIdentifier(product.productCode(), identifier);
    if (s.isEmpty()) {
      throw new InvalidCustomerIdentifierException("usageRecords[" + index + "].customerIdentifier: '"
          + identifier + "' is not a customer of product " + product.productCode());
    }
    return s;
  }

  /** A full write queue is back-pressure: the caller should slow down and retry, as on throttling. */
  private static <T> CompletableFuture<T> overloadIsThrottling(CompletableFuture<T> write) {
    return write.exceptionallyCompose(e -> {
      Throwable cause = Futures.unwrap(e);
      if (cause instanceof StoreOverloadedException) {
        return CompletableFuture.failedFuture(new ThrottlingException(
            "Rate exceeded: the server's write queue is full; retry with backoff"));
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  /** A database that is down, restarting or out of disk answers a retriable error: see {@link StoreOutages}. */
  private static <T> CompletableFuture<T> unavailableIsInternalError(Throwable failure) {
    Throwable cause = Futures.unwrap(failure);
    return CompletableFuture.failedFuture(
        cause instanceof StoreUnavailableException e ? StoreOutages.answer(e) : cause);
  }

  // --------------------------------------------------------------------------------- MeterUsage

  @Override
  public CompletableFuture<MeterUsageResponse> meterUsage(CallContext context, MeterUsageRequest request) {
    return meter(context, request).exceptionallyCompose(MeteringOperations::unavailableIsInternalError);
  }

  private CompletableFuture<MeterUsageResponse> meter(CallContext context, MeterUsageRequest request) {
    return prepare(() -> prepareMeter(context, request))
        .thenCompose(row -> overloadIsThrottling(catalog.store().meterUsage(row)))
        .thenApply(outcome -> {
          if (outcome instanceof MeterOutcome.TokenConflict) {
            throw new IdempotencyConflictException("ClientToken '" + request.clientToken().orElse("")
                + "' was used before with different parameters");
          }
          if (outcome instanceof MeterOutcome.Conflict) {
            throw new DuplicateRequestException("Usage for dimension " + request.usageDimension() + " in the hour of "
                + request.timestamp().truncatedTo(ChronoUnit.HOURS) + " was already metered by this caller ("
                + context.caller().resourceId() + ") with a different quantity; metering record "
                + outcome.meteringRecordId() + " stands");
          }
          return MeterUsageResponse.of(outcome.meteringRecordId());
        });
  }

  private MeterRow prepareMeter(CallContext context, MeterUsageRequest request) {
    Instant now = clock.instant();
    Product product = catalog.product(request.productCode()).orElseThrow(() -> new InvalidProductCodeException(
        "productCode: '" + request.productCode() + "' is not a product known to this service"));
    if (product.type() == ProductType.SAAS) {
      throw new InvalidProductCodeException("Product " + product.productCode()
          + " is a SaaS product; MeterUsage meters AMI and container products (use BatchMeterUsage)");
    }
    if (!product.region().equals(context.region())) {
      throw new InvalidEndpointRegionException("Product " + product.productCode() + " runs in " + product.region()
          + " but this call reached the " + context.region() + " endpoint; call the endpoint of the resource's Region");
    }
    entitled(product, context.caller().accountId());
    if (request.dryRun()) {
      throw new DryRunOperationException("Request would have succeeded, but DryRun flag is set; nothing was stored");
    }
    Optional<String> why = meterWindow.rejection(request.timestamp(), now);
    if (why.isPresent()) {
      throw new TimestampOutOfBoundsException("timestamp: " + why.get());
    }
    if (!catalog.dimensions(product.productCode()).contains(request.usageDimension())) {
      throw new InvalidUsageDimensionException("usageDimension: '" + request.usageDimension()
          + "' is not a dimension of product " + product.productCode() + "; its dimensions are "
          + new java.util.TreeSet<>(catalog.dimensions(product.productCode())));
    }
    Allocations.check("request", request.usageQuantity(), request.usageAllocations());
    if (product.agentCore() && request.clientToken().isEmpty()) {
      throw new ValidationException("clientToken: is required for product " + product.productCode()
          + ", a Bedrock AgentCore Runtime product, whose MeterUsage records are deduplicated by ClientToken alone;"
          + " send a unique token per report (the AWS SDKs, the AWS CLI and the Meterbridge client add one)");
    }
    String clientToken = request.clientToken().orElseGet(() -> RandomUuids.next());
    String allocations = Allocations.canonical(request.usageAllocations());
    String requestFingerprint = Allocations.sha256Prefix(String.join("\n", request.productCode(),
        request.timestamp().toString(), request.usageDimension(), Integer.toString(request.usageQuantity()),
        allocations));
    return MeterRow.builder()
        .meteringRecordId(RandomUuids.next())
        .callerIdentity(meteredIdentity(product, context.caller().resourceId(), clientToken))
        .callerAccountId(context.caller().accountId())
        .productCode(product.productCode())
        .dimension(request.usageDimension())
        .timestamp(request.timestamp())
        .quantity(request.usageQuantity())
        .allocations(allocations)
        .fingerprint(Allocations.fingerprint(request.usageQuantity(), request.usageAllocations()))
        // "If you don't provide this value, then Amazon Web Services generates a random one for you."
        .clientToken(clientToken)
        .requestFingerprint(requestFingerprint)
        .receivedAt(now)
        .build();
  }

  /**
   * The identity the once-per-hour key holds. For most products the resource that called: one
   * record per resource, dimension and hour. An AgentCore Runtime product may report many times an
   * hour, each report deduplicated by its ClientToken alone, so its key holds the token too and
   * never meets another report's; the ClientToken check, which runs first, decides replays and
   * conflicts. ('#' is outside the resource id alphabet, so no two pairs give one identity.)
   */
  private static String meteredIdentity(Product product, String resourceId, String clientToken) {
    return product.agentCore() ? resourceId + '#' + clientToken : resourceId;
  }

  private void entitled(Product product, String accountId) {
    Optional<Subscription> s = catalog.subscriptionByCustomerAccount(product.productCode(), accountId);
    if (s.isEmpty() || !s.get().active()) {
      throw new CustomerNotEntitledException("Account " + accountId + " has no active subscription to product "
          + product.productCode());
    }
  }

  // ------------------------------------------------------------------------------ RegisterUsage

  @Override
  public CompletableFuture<RegisterUsageResponse> registerUsage(CallContext context, RegisterUsageRequest request) {
    return register(context, request).exceptionallyCompose(MeteringOperations::unavailableIsInternalError);
  }

  private CompletableFuture<RegisterUsageResponse> register(CallContext context, RegisterUsageRequest request) {
    return CompletableFuture.supplyAsync(() -> {
      Product product = catalog.product(request.productCode()).orElseThrow(() -> new InvalidProductCodeException(
          "productCode: '" + request.productCode() + "' is not a product known to this service"));
      if (product.type() != ProductType.CONTAINER) {
        throw new InvalidProductCodeException("Product " + product.productCode() + " is a " + product.type()
            + " product; RegisterUsage is for paid container products");
      }
      if (!product.region().equals(context.region())) {
        throw new InvalidRegionException("Product " + product.productCode() + " was launched in " + product.region()
            + "; RegisterUsage must be called in that Region, not " + context.region());
      }
      SigningKey key = catalog.signingKeys(product.productCode()).stream()
          .filter(k -> k.version() == request.publicKeyVersion())
          .findFirst()
          .orElseThrow(() -> new InvalidPublicKeyVersionException("publicKeyVersion: " + request.publicKeyVersion()
              + " is not a public key version of product " + product.productCode()));
      // The platform and entitlement are checked on a task's first call only; later calls succeed
      // even after unsubscription.
      if (catalog.store().task(context.caller().resourceId(), product.productCode()).isEmpty()) {
        supportedPlatform(product, context.caller().accessKeyId());
        entitled(product, context.caller().accountId());
      }
      return new Object[] {product, key};
    }, executor).thenCompose(found -> {
      Product product = (Product) found[0];
      SigningKey key = (SigningKey) found[1];
      Instant now = clock.instant();
      return catalog.store()
          .registerTask(context.caller().resourceId(), product.productCode(), context.caller().accountId(), now)
          // RSA signing takes a millisecond or two: not on the store's completion thread.
          .thenApplyAsync(registration -> {
            UsageClaims.Builder claimsBuilder = UsageClaims.builder()
                .productCode(product.productCode())
                .publicKeyVersion(key.version())
                .issuedAt(now);
            request.nonce().ifPresent(claimsBuilder::nonce);
            UsageClaims claims = claimsBuilder.build();
            String jwt = UsageSignature.sign(claims, privateKey(key));
            Optional<Instant> rotated = key.expiresAt().filter(at -> !at.isAfter(now));
            return new RegisterUsageResponse(rotated, Optional.of(jwt));
          }, executor);
    });
  }

  /**
   * The caller's platform, as the catalog records it for the signing access key, must be one of the
   * product's. A request carries nothing that tells where its caller runs, so a key of unknown
   * platform (or unknown to the catalog, with the insecure authenticators) is not refused.
   */
  private void supportedPlatform(Product product, String accessKeyId) {
    Optional<Platform> platform = catalog.accessKey(accessKeyId).flatMap(AccessKey::platform);
    if (platform.isPresent() && !product.platforms().contains(platform.get())) {
      throw new PlatformNotSupportedException("Product " + product.productCode() + " does not support RegisterUsage"
          + " from " + platform.get() + " (the platform of access key " + accessKeyId + "); it supports "
          + EnumSet.copyOf(product.platforms()));
    }
  }

  private PrivateKey privateKey(SigningKey key) {
    return privateKeys.computeIfAbsent(key.productCode() + '\n' + key.version(), k -> {
      try {
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(key.privateKey()));
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException("stored signing key " + key.version() + " of " + key.productCode()
            + " cannot be read", e);
      }
    });
  }

  // ---------------------------------------------------------------------------- ResolveCustomer

  @Override
  public CompletableFuture<ResolveCustomerResponse> resolveCustomer(CallContext context, ResolveCustomerRequest request) {
    return resolve(context, request).exceptionallyCompose(MeteringOperations::unavailableIsInternalError);
  }

  private CompletableFuture<ResolveCustomerResponse> resolve(CallContext context, ResolveCustomerRequest request) {
    return CompletableFuture.supplyAsync(() -> {
      RegistrationToken token = catalog.store().token(request.registrationToken())
          .orElseThrow(() -> new InvalidTokenException("Registration token is invalid"));
      Product product = catalog.product(token.productCode())
          .orElseThrow(() -> new InvalidTokenException("Registration token is invalid"));
      // Only the publishing account may resolve; to anyone else the token does not exist.
      if (!product.sellerAccountId().equals(context.caller().accountId())) {
        throw new InvalidTokenException("Registration token is invalid");
      }
      if (!clock.instant().isBefore(token.expiresAt())) {
        throw new ExpiredTokenException("Registration token expired at " + token.expiresAt()
            + ". (Meterbridge: get a new one: 'meterbridge demo' issues a new demo token;"
            + " other products' tokens come from POST /admin/tokens.)");
      }
      return new ResolveCustomerResponse(token.customerIdentifier(), Optional.of(token.productCode()),
          Optional.of(token.customerAccountId()), token.licenseArn());
    }, executor);
  }

  /** Builds {@link MeteringOperations}. */
  public static final class Builder {
    private Catalog catalog;
    private ServerClock clock = ServerClock.system();
    private TimeWindow batchWindow = TimeWindow.batchDefault();
    private TimeWindow meterWindow = TimeWindow.meterUsage();
    private Executor executor;

    private Builder() {}

    public Builder catalog(Catalog catalog) {
      this.catalog = catalog;
      return this;
    }

    public Builder clock(ServerClock clock) {
      this.clock = clock;
      return this;
    }

    /** The BatchMeterUsage time window (default {@link TimeWindow#batchDefault()}). */
    public Builder batchWindow(TimeWindow batchWindow) {
      this.batchWindow = Objects.requireNonNull(batchWindow);
      return this;
    }

    /** The MeterUsage time window (default {@link TimeWindow#meterUsage()}). */
    public Builder meterWindow(TimeWindow meterWindow) {
      this.meterWindow = Objects.requireNonNull(meterWindow);
      return this;
    }

    /** Where blocking catalog reads run. */
    public Builder executor(Executor executor) {
      this.executor = executor;
      return this;
    }

    public MeteringOperations build() {
      return new MeteringOperations(this);
    }
  }
}
