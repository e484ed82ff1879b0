package io.meterbridge.server.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import io.meterbridge.auth.RsaKeys;
import io.meterbridge.server.ServerClock;
import io.meterbridge.server.catalog.CatalogRules;
import io.meterbridge.server.http.PlainRequest;
import io.meterbridge.server.http.PlainResponse;
import io.meterbridge.server.metering.Catalog;
import io.meterbridge.server.store.AccessKey;
import io.meterbridge.server.store.Account;
import io.meterbridge.server.store.CatalogChanges;
import io.meterbridge.server.store.Platform;
import io.meterbridge.server.store.Product;
import io.meterbridge.server.store.ProductType;
import io.meterbridge.server.store.RegistrationToken;
import io.meterbridge.server.store.SigningKey;
import io.meterbridge.server.store.Store;
import io.meterbridge.server.store.Subscription;
import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Products, dimensions, signing keys, accounts, subscriptions and registration tokens. */
final class CatalogEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

  static final String ACCOUNT_ID = "a 12-digit AWS account id";
  static final String PRODUCT_CODE = "1 to 255 letters, digits or -=:_.@";
  private static final long DEFAULT_TOKEN_TTL_SECONDS = 4 * 3600;

  private final Catalog catalog;
  private final Store store;
  private final ServerClock clock;
  // Read-check-write sequences (a product's key versions, unique subscription fields) must not
  // interleave within this process; across processes the database's keys are the last word.
  private final Object writes = new Object();

  CatalogEndpoints(Catalog catalog, ServerClock clock) {
    this.catalog = catalog;
    this.store = catalog.store();
    this.clock = clock;
  }

  // ------------------------------------------------------------------------------- products

  PlainResponse products() {
    List<Product> products = store.products();
    return JsonOut.response(200, json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("products");
      for (Product p : products) {
        writeProduct(json, p, store.dimensions(p.productCode()), store.signingKeys(p.productCode()));
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  PlainResponse product(String productCode) {
    Product p = existingProduct(productCode);
    return JsonOut.response(200, json ->
        writeProduct(json, p, store.dimensions(p.productCode()), store.signingKeys(p.productCode())));
  }

  PlainResponse createProduct(PlainRequest request) {
    Body<AdminBodies.Product> body = Body.read(request, AdminBodies.Product.class);
    AdminBodies.Product in = body.value();
    String code = body.pattern("productCode", in.productCode(), true, CatalogRules::isProductCode, PRODUCT_CODE);
    String seller = body.pattern("seller", in.seller(), true, CatalogRules::isAccountId, ACCOUNT_ID);
    ProductType type = productType(body, in.type());
    String region = body.pattern("region", in.region(), false, CatalogRules::isRegion,
        "a region name such as us-east-1");
    List<String> dimensions = dimensions(body, in.dimensions());
    if (Boolean.TRUE.equals(in.agentCore()) && type == ProductType.SAAS) {
      body.problem("agentCore", "a SAAS product is metered by BatchMeterUsage; agentCore (many MeterUsage reports"
          + " an hour, deduplicated by ClientToken) applies to AMI and CONTAINER products");
    }
    Set<Platform> platforms = EnumSet.noneOf(Platform.class);
    each(in.platforms(), "platforms", (at, name) -> {
      Optional<Platform> platform = Platform.parse(name);
      if (platform.isEmpty()) {
        body.problem(at, "'" + name + "' is not " + CatalogRules.PLATFORM);
      } else {
        platforms.add(platform.get());
      }
    });
    if (in.platforms() != null && in.platforms().isEmpty()) {
      body.problem("platforms", "must list at least one platform RegisterUsage may be called from, such as"
          + " [\"ECS\", \"EKS\", \"FARGATE\"]");
    }
    Set<Integer> versions = new TreeSet<>();
    each(in.publicKeyVersions(), "publicKeyVersions", (at, version) -> {
      if (CatalogRules.isKeyVersion(version)) {
        versions.add(version.intValue());
      } else {
        body.problem(at, "must be a whole number between 1 and " + CatalogRules.MAX_KEY_VERSION);
      }
    });
    body.valid();
    if (in.publicKeyVersions() == null && type == ProductType.CONTAINER) {
      versions.add(1); // RegisterUsage needs a key: a container product gets version 1 unless told otherwise
    }
    region = region == null ? "us-east-1" : region;
    if (store.account(seller).isEmpty()) {
      throw AdminException.invalid("seller", "no account " + seller + "; create it first with POST /admin/accounts");
    }
    boolean created;
    List<Integer> generated = new ArrayList<>();
    synchronized (writes) {
      Optional<Product> existing = store.product(code);
      // agentCore and platforms, when not given, keep what the product had.
      boolean agentCore = in.agentCore() != null ? in.agentCore() : existing.map(Product::agentCore).orElse(false);
      Set<Platform> supported = !platforms.isEmpty() ? platforms
          : existing.map(Product::platforms).orElse(Platform.REGISTER_USAGE_DEFAULT);
      Product product = new Product(code, seller, type, region, agentCore, supported);
      if (existing.isPresent() && !existing.get().sameListing(product)) {
        Product e = existing.get();
        throw AdminException.conflict("Product " + code + " exists with seller " + e.sellerAccountId() + ", type "
            + e.type() + ", region " + e.region() + "; a product's seller, type and region cannot change");
      }
      created = existing.isEmpty();
      Set<Integer> have = new HashSet<>();
      store.signingKeys(code).forEach(k -> have.add(k.version()));
      Instant now = clock.instant();
      CatalogChanges.Builder changes = CatalogChanges.builder().product(product);
      if (!dimensions.isEmpty()) {
        changes.dimensions(code, dimensions);
      }
      for (int version : versions) {
        if (!have.contains(version)) {
          changes.signingKey(CatalogRules.newSigningKey(code, version, now));
          generated.add(version);
        }
      }
      store.apply(changes.build());
      catalog.invalidate();
    }
    LOG.info("Admin: {} product {} ({}, seller {}, {}), dimensions {}, new key versions {}",
        created ? "created" : "updated", code, type, seller, region, dimensions, generated);
    Product stored = existingProduct(code);
    return JsonOut.response(created ? 201 : 200, json ->
        writeProduct(json, stored, store.dimensions(code), store.signingKeys(code)));
  }

  PlainResponse addDimensions(String productCode, PlainRequest request) {
    Body<AdminBodies.Dimensions> body = Body.read(request, AdminBodies.Dimensions.class);
    List<String> given = body.value().dimensions();
    List<String> dimensions = dimensions(body, given);
    if ((given == null || given.isEmpty()) && !body.problems().reported("dimensions")) {
      body.problem("dimensions", "is required: a list of dimension names");
    }
    body.valid();
    Product p = existingProduct(productCode);
    store.addDimensions(p.productCode(), dimensions);
    catalog.invalidate();
    LOG.info("Admin: added dimensions {} to product {}", dimensions, p.productCode());
    return JsonOut.response(200, json ->
        writeProduct(json, p, store.dimensions(p.productCode()), store.signingKeys(p.productCode())));
  }

  private static void writeProduct(JsonGenerator json, Product p, Set<String> dimensions, List<SigningKey> keys)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("productCode", p.productCode());
    json.writeStringField("seller", p.sellerAccountId());
    json.writeStringField("type", p.type().name());
    json.writeStringField("region", p.region());
    json.writeBooleanField("agentCore", p.agentCore());
    json.writeArrayFieldStart("platforms");
    for (Platform platform : EnumSet.copyOf(p.platforms())) {
      json.writeString(platform.name());
    }
    json.writeEndArray();
    json.writeArrayFieldStart("dimensions");
    for (String d : new TreeSet<>(dimensions)) {
      json.writeString(d);
    }
    json.writeEndArray();
    json.writeArrayFieldStart("publicKeyVersions");
    for (SigningKey k : keys) {
      json.writeNumber(k.version());
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  // --------------------------------------------------------------------------- signing keys

  PlainResponse keys(String productCode) {
    Product p = existingProduct(productCode);
    List<SigningKey> keys = store.signingKeys(p.productCode());
    Instant now = clock.instant();
    return JsonOut.response(200, json -> {
      json.writeStartObject();
      json.writeStringField("productCode", p.productCode());
      json.writeArrayFieldStart("keys");
      for (SigningKey k : keys) {
        writeKey(json, k, now);
        json.writeStringField("publicKeyPem", RsaKeys.toPem(RsaKeys.publicKeyFromDer(k.publicKey())));
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  PlainResponse rotate(String productCode) {
    Product p = existingProduct(productCode);
    KeyPair pair = CatalogRules.newRsaKeyPair();
    SigningKey key;
    synchronized (writes) {
      key = store.rotateSigningKey(p.productCode(), pair.getPrivate().getEncoded(), pair.getPublic().getEncoded(),
          clock.instant());
      catalog.invalidate();
    }
    LOG.info("Admin: rotated the signing key of {} to version {}", p.productCode(), key.version());
    SigningKey rotated = key;
    return JsonOut.response(201, json -> {
      writeKey(json, rotated, clock.instant());
      json.writeStringField("productCode", rotated.productCode());
      json.writeStringField("publicKeyPem", RsaKeys.toPem(pair.getPublic()));
      json.writeEndObject();
    });
  }

  /** Starts a key object and writes version, times and whether it is current; the caller ends it. */
  static void writeKey(JsonGenerator json, SigningKey k, Instant now) throws IOException {
    json.writeStartObject();
    json.writeNumberField("version", k.version());
    JsonOut.instant(json, "createdAt", k.createdAt());
    JsonOut.instant(json, "expiresAt", k.expiresAt());
    json.writeBooleanField("current", k.expiresAt().map(now::isBefore).orElse(true));
  }

  // ------------------------------------------------------------------------------- accounts

  PlainResponse createAccount(PlainRequest request) {
    Body<AdminBodies.Account> body = Body.read(request, AdminBodies.Account.class);
    AdminBodies.Account in = body.value();
    String accountId = body.pattern("accountId", in.accountId(), true, CatalogRules::isAccountId, ACCOUNT_ID);
    String name = in.name() == null ? accountId : in.name();
    List<AccessKey> given = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    each(in.accessKeys(), "accessKeys", (at, key) -> {
      String id = body.pattern(at + ".accessKeyId", key.accessKeyId(), true, CatalogRules::isAccessKeyId,
          "1 to 128 letters, digits or _");
      String secret = body.problems().check(at + ".secretAccessKey", key.secretAccessKey(), true,
          CatalogRules::isSecretAccessKey, "must be 1 to 128 characters without spaces");
      String resource = body.pattern(at + ".resourceId", key.resourceId(), false, CatalogRules::isResourceId,
          "a resource id (the EC2 instance, ECS task or EKS pod the key's role session belongs to) of 1 to 255"
              + " letters, digits or _.:/@+=,-");
      String platform = body.pattern(at + ".platform", key.platform(), false, CatalogRules::isPlatform,
          CatalogRules.PLATFORM + " (where the key's software runs, for RegisterUsage)");
      if (id != null && !ids.add(id)) {
        body.problem(at + ".accessKeyId", id + " appears twice");
      } else if (id != null && secret != null && accountId != null) {
        given.add(new AccessKey(id, accountId, secret, Optional.ofNullable(resource),
            Optional.ofNullable(platform).flatMap(Platform::parse)));
      }
    });
    body.valid();
    boolean created;
    List<AccessKey> generated = new ArrayList<>();
    synchronized (writes) {
      created = store.account(accountId).isEmpty();
      for (int i = 0; i < given.size(); i++) {
        Optional<AccessKey> existing = store.accessKey(given.get(i).accessKeyId());
        if (existing.isPresent() && !existing.get().accountId().equals(accountId)) {
          throw AdminException.conflict("accessKeys[" + i + "].accessKeyId: " + existing.get().accessKeyId()
              + " belongs to account " + existing.get().accountId());
        }
      }
      if (given.isEmpty() && created) {
        generated.add(CatalogRules.newAccessKey(accountId));
      }
      CatalogChanges.Builder changes = CatalogChanges.builder().account(new Account(accountId, name));
      given.forEach(changes::accessKey);
      generated.forEach(changes::accessKey);
      store.apply(changes.build());
      catalog.invalidate();
    }
    LOG.info("Admin: {} account {} ({}), access keys {}", created ? "created" : "updated", accountId, name,
        concat(given, generated).stream().map(AccessKey::accessKeyId).toList());
    return JsonOut.response(created ? 201 : 200, json -> {
      json.writeStartObject();
      json.writeStringField("accountId", accountId);
      json.writeStringField("name", name);
      json.writeArrayFieldStart("accessKeys");
      for (AccessKey k : given) {
        json.writeStartObject();
        json.writeStringField("accessKeyId", k.accessKeyId());
        JsonOut.text(json, "resourceId", k.resourceId());
        JsonOut.text(json, "platform", k.platform().map(Enum::name));
        json.writeEndObject();
      }
      for (AccessKey k : generated) {
        json.writeStartObject();
        json.writeStringField("accessKeyId", k.accessKeyId());
        // The only time the generated secret is shown.
        json.writeStringField("secretAccessKey", k.secretAccessKey());
        json.writeBooleanField("generated", true);
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  PlainResponse account(String accountId) {
    Account account = store.account(accountId)
        .orElseThrow(() -> AdminException.notFound("No account " + accountId));
    return JsonOut.response(200, json -> {
      json.writeStartObject();
      json.writeStringField("accountId", account.accountId());
      json.writeStringField("name", account.name());
      json.writeEndObject();
    });
  }

  PlainResponse accounts() {
    List<Account> accounts = store.accounts();
    return JsonOut.response(200, json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("accounts");
      for (Account account : accounts) {
        json.writeStartObject();
        json.writeStringField("accountId", account.accountId());
        json.writeStringField("name", account.name());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  // -------------------------------------------------------------------------- subscriptions

  PlainResponse upsertSubscription(PlainRequest request) {
    Body<AdminBodies.Subscription> body = Body.read(request, AdminBodies.Subscription.class);
    AdminBodies.Subscription in = body.value();
    body.problems().required("productCode", in.productCode());
    String productCode = in.productCode();
    String customer = body.pattern("customerAWSAccountId", in.customerAWSAccountId(), true,
        CatalogRules::isAccountId, ACCOUNT_ID);
    Optional<String> identifier = Optional.ofNullable(body.problems().check("customerIdentifier",
        in.customerIdentifier(), false, CatalogRules::isName, "is longer than 255 characters"));
    Optional<String> license = Optional.ofNullable(body.pattern("licenseArn", in.licenseArn(), false,
        CatalogRules::isLicenseArn, "a license ARN such as arn:aws:license-manager::111122223333:license:l-1234"));
    boolean active = in.active() == null || in.active();
    Optional<Instant> since = Optional.ofNullable(in.since());
    body.valid();
    Product product = existingProduct(productCode);
    boolean created;
    Subscription subscription;
    synchronized (writes) {
      Optional<Subscription> existing = store.subscriptionByCustomerAccount(product.productCode(), customer);
      created = existing.isEmpty();
      if (identifier.isPresent()) {
        Optional<Subscription> holder =
            store.subscriptionByCustomerIdentifier(product.productCode(), identifier.get());
        if (holder.isPresent() && !holder.get().customerAccountId().equals(customer)) {
          throw AdminException.conflict("customerIdentifier: " + identifier.get() + " is already the customer "
              + "identifier of account " + holder.get().customerAccountId() + " for product " + product.productCode());
        }
      }
      if (license.isPresent()) {
        Optional<Subscription> holder = store.subscriptionByLicense(license.get());
        if (holder.isPresent() && !(holder.get().customerAccountId().equals(customer)
            && holder.get().productCode().equals(product.productCode()))) {
          throw AdminException.conflict("licenseArn: " + license.get() + " is already the license of account "
              + holder.get().customerAccountId() + " for product " + holder.get().productCode());
        }
      }
      Subscription.Builder b = existing.map(Subscription::toBuilder).orElseGet(Subscription::builder)
          .productCode(product.productCode())
          .customerAccountId(customer)
          .active(active);
      identifier.ifPresent(b::customerIdentifier);
      license.ifPresent(b::licenseArn);
      if (since.isPresent()) {
        b.since(since.get());
      } else if (existing.isEmpty()) {
        b.since(clock.instant());
      }
      subscription = b.build();
      store.upsertSubscription(subscription);
      catalog.invalidate();
    }
    LOG.info("Admin: {} {}", created ? "created" : "updated", subscription);
    return subscriptionResponse(created ? 201 : 200, subscription);
  }

  PlainResponse subscription(String productCode, String customer) {
    Subscription s = store.subscriptionByCustomerAccount(productCode, customer)
        .orElseThrow(() -> noSubscription(productCode, customer));
    return subscriptionResponse(200, s);
  }

  PlainResponse setActive(String productCode, String customer, boolean active) {
    existingProduct(productCode);
    boolean found = active ? store.activateSubscription(productCode, customer)
        : store.deactivateSubscription(productCode, customer);
    catalog.invalidate();
    if (!found) {
      throw noSubscription(productCode, customer);
    }
    LOG.info("Admin: {} the subscription of {} to {}", active ? "activated" : "deactivated", customer, productCode);
    return subscription(productCode, customer);
  }

  private static AdminException noSubscription(String productCode, String customer) {
    return AdminException.notFound("No subscription of account " + customer + " to product " + productCode);
  }

  private static PlainResponse subscriptionResponse(int status, Subscription s) {
    return JsonOut.response(status, json -> writeSubscription(json, s));
  }

  private static void writeSubscription(JsonGenerator json, Subscription s) throws IOException {
    json.writeStartObject();
    json.writeStringField("productCode", s.productCode());
    json.writeStringField("customerAWSAccountId", s.customerAccountId());
    JsonOut.text(json, "customerIdentifier", s.customerIdentifier());
    JsonOut.text(json, "licenseArn", s.licenseArn());
    json.writeBooleanField("active", s.active());
    JsonOut.instant(json, "since", s.since());
    json.writeEndObject();
  }

  PlainResponse subscriptions(String productCode) {
    Product product = existingProduct(productCode);
    List<Subscription> subscriptions = store.subscriptions(product.productCode());
    return JsonOut.response(200, json -> {
      json.writeStartObject();
      json.writeStringField("productCode", product.productCode());
      json.writeArrayFieldStart("subscriptions");
      for (Subscription s : subscriptions) {
        writeSubscription(json, s);
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  // --------------------------------------------------------------------- registration tokens

  PlainResponse createToken(PlainRequest request) {
    Body<AdminBodies.Token> body = Body.read(request, AdminBodies.Token.class);
    AdminBodies.Token in = body.value();
    body.problems().required("productCode", in.productCode());
    String productCode = in.productCode();
    String customer = body.pattern("customerAWSAccountId", in.customerAWSAccountId(), true,
        CatalogRules::isAccountId, ACCOUNT_ID);
    Optional<String> identifier = Optional.ofNullable(body.problems().check("customerIdentifier",
        in.customerIdentifier(), false, CatalogRules::isName, "is longer than 255 characters"));
    Optional<String> license = Optional.ofNullable(body.pattern("licenseArn", in.licenseArn(), false,
        CatalogRules::isLicenseArn, "a license ARN such as arn:aws:license-manager::111122223333:license:l-1234"));
    Optional<String> given = Optional.ofNullable(body.problems().check("token", in.token(), false,
        CatalogRules::isRegistrationToken, "must be 1 to 2048 characters without spaces"));
    long ttl = in.ttlSeconds() == null ? DEFAULT_TOKEN_TTL_SECONDS : in.ttlSeconds();
    if (in.ttlSeconds() != null && !CatalogRules.isTokenTtl(ttl)) {
      body.problem("ttlSeconds", ttl + " is not between 1 and " + CatalogRules.MAX_TOKEN_TTL_SECONDS);
    }
    body.valid();
    Product product = existingProduct(productCode);
    // What the buyer's subscription says, unless the request says otherwise.
    Optional<Subscription> subscription = store.subscriptionByCustomerAccount(product.productCode(), customer);
    String token = given.orElseGet(CatalogRules::newRegistrationToken);
    Instant expiresAt = clock.instant().plus(Duration.ofSeconds(ttl));
    RegistrationToken.Builder b = RegistrationToken.builder()
        .token(token).productCode(product.productCode()).customerAccountId(customer).expiresAt(expiresAt);
    identifier.or(() -> subscription.flatMap(Subscription::customerIdentifier)).ifPresent(b::customerIdentifier);
    license.or(() -> subscription.flatMap(Subscription::licenseArn)).ifPresent(b::licenseArn);
    RegistrationToken stored = b.build();
    synchronized (writes) {
      if (store.token(token).isPresent()) {
        throw AdminException.conflict("token: this registration token already exists; tokens cannot be reissued");
      }
      store.upsertToken(stored);
      catalog.invalidate();
    }
    LOG.info("Admin: issued {}", stored);
    return JsonOut.response(201, json -> writeToken(json, stored));
  }

  private static void writeToken(JsonGenerator json, RegistrationToken t) throws IOException {
    json.writeStartObject();
    json.writeStringField("token", t.token());
    json.writeStringField("productCode", t.productCode());
    json.writeStringField("customerAWSAccountId", t.customerAccountId());
    JsonOut.text(json, "customerIdentifier", t.customerIdentifier());
    JsonOut.text(json, "licenseArn", t.licenseArn());
    JsonOut.instant(json, "expiresAt", t.expiresAt());
    json.writeEndObject();
  }

  PlainResponse tokens(String productCode) {
    Product product = existingProduct(productCode);
    List<RegistrationToken> tokens = store.tokens(product.productCode());
    Instant now = clock.instant();
    return JsonOut.response(200, json -> {
      json.writeStartObject();
      json.writeStringField("productCode", product.productCode());
      json.writeArrayFieldStart("tokens");
      for (RegistrationToken t : tokens) {
        writeToken(json, t);
      }
      json.writeEndArray();
      JsonOut.instant(json, "serverTime", now);
      json.writeEndObject();
    });
  }

  // -------------------------------------------------------------------------------- checks

  private Product existingProduct(String productCode) {
    return store.product(productCode).orElseThrow(() -> AdminException.notFound("No product " + productCode));
  }

  private static ProductType productType(Body<?> body, String type) {
    if (!body.problems().required("type", type)) {
      return null;
    }
    try {
      return ProductType.valueOf(type.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      body.problem("type", "'" + type + "' is not one of SAAS, AMI, CONTAINER");
      return null;
    }
  }

  /** The dimension names given, each once; a name too long is a problem. */
  private static List<String> dimensions(Body<?> body, List<String> names) {
    Set<String> dimensions = new LinkedHashSet<>();
    each(names, "dimensions", (at, name) -> {
      if (CatalogRules.isName(name)) {
        dimensions.add(name);
      } else {
        body.problem(at, "is longer than 255 characters");
      }
    });
    return new ArrayList<>(dimensions);
  }

  /** Each item of a list with its path; a missing list is empty, a missing item was reported when bound. */
  static <T> void each(List<T> items, String path, java.util.function.BiConsumer<String, T> check) {
    if (items == null) {
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) != null) {
        check.accept(path + "[" + i + "]", items.get(i));
      }
    }
  }
}
