package io.meterbridge.server.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import io.meterbridge.auth.RsaKeys;
import io.meterbridge.server.ServerClock;
import io.meterbridge.server.http.PlainRequest;
import io.meterbridge.server.http.PlainResponse;
import io.meterbridge.server.metering.Catalog;
import io.meterbridge.server.store.AccessKey;
import io.meterbridge.server.store.Account;
import io.meterbridge.server.store.CatalogChanges;
import io.meterbridge.server.store.Product;
import io.meterbridge.server.store.ProductType;
import io.meterbridge.server.store.RegistrationToken;
import io.meterbridge.server.store.SigningKey;
import io.meterbridge.server.store.Store;
import io.meterbridge.server.store.Subscription;
import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Products, dimensions, signing keys, accounts, subscriptions and registration tokens. */
final class CatalogEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

  /** The model's product code alphabet, without '/', which would not survive in a URL path. */
  static final Pattern PRODUCT_CODE = Pattern.compile("[-a-zA-Z0-9=:_.@]{1,255}");
  static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2,}(-[a-z]+)+-[0-9]+");
  private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Za-z0-9_]{1,128}");
  private static final Pattern LICENSE_ARN = Pattern.compile(
      "arn:aws[a-zA-Z-]*:[A-Za-z0-9][A-Za-z0-9_/.-]{0,62}:[A-Za-z0-9_/.-]{0,63}:"
          + "[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,1023}");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9+/=_.:-]{1,2048}");
  private static final int MAX_KEY_VERSION = 1000;
  private static final long DEFAULT_TOKEN_TTL_SECONDS = 4 * 3600;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] KEY_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

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
    JsonBody body = JsonBody.parse(request.body())
        .only("productCode", "seller", "type", "region", "dimensions", "publicKeyVersions");
    String code = productCode(body.text("productCode"), "productCode");
    String seller = accountId(body.text("seller"), "seller");
    ProductType type = productType(body.text("type"));
    String region = body.optionalText("region").orElse("us-east-1");
    if (!REGION.matcher(region).matches()) {
      throw AdminException.invalid("region", "'" + region + "' is not a region name such as us-east-1");
    }
    List<String> dimensions = dimensions(body, "dimensions");
    List<Long> asked = body.longs("publicKeyVersions", 1, MAX_KEY_VERSION);
    Set<Integer> versions = new TreeSet<>();
    asked.forEach(v -> versions.add(v.intValue()));
    if (!body.has("publicKeyVersions") && type == ProductType.CONTAINER) {
      versions.add(1); // RegisterUsage needs a key: a container product gets version 1 unless told otherwise
    }
    if (store.account(seller).isEmpty()) {
      throw AdminException.invalid("seller", "no account " + seller + "; create it first with POST /admin/accounts");
    }
    Product product = new Product(code, seller, type, region);
    boolean created;
    List<Integer> generated = new ArrayList<>();
    synchronized (writes) {
      Optional<Product> existing = store.product(code);
      if (existing.isPresent() && !existing.get().equals(product)) {
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
          KeyPair pair = rsa();
          changes.signingKey(SigningKey.builder().productCode(code).version(version)
              .privateKey(pair.getPrivate().getEncoded()).publicKey(pair.getPublic().getEncoded())
              .createdAt(now).build());
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
    JsonBody body = JsonBody.parse(request.body()).only("dimensions");
    Product p = existingProduct(productCode);
    List<String> dimensions = dimensions(body, "dimensions");
    if (dimensions.isEmpty()) {
      throw AdminException.invalid("dimensions", "is required: a list of dimension names");
    }
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
    KeyPair pair = rsa();
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
    JsonBody body = JsonBody.parse(request.body()).only("accountId", "name", "accessKeys");
    String accountId = accountId(body.text("accountId"), "accountId");
    String name = body.optionalText("name").orElse(accountId);
    List<AccessKey> given = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (JsonBody key : body.objects("accessKeys")) {
      key.only("accessKeyId", "secretAccessKey");
      String id = key.text("accessKeyId");
      if (!ACCESS_KEY_ID.matcher(id).matches()) {
        throw AdminException.invalid(key.name("accessKeyId"), "'" + id + "' is not 1 to 128 letters, digits or _");
      }
      String secret = key.text("secretAccessKey");
      if (secret.length() > 128 || secret.chars().anyMatch(Character::isWhitespace)) {
        throw AdminException.invalid(key.name("secretAccessKey"), "must be at most 128 characters without spaces");
      }
      if (!ids.add(id)) {
        throw AdminException.invalid(key.name("accessKeyId"), id + " appears twice");
      }
      given.add(new AccessKey(id, accountId, secret));
    }
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
        generated.add(generatedKey(accountId));
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

  private static AccessKey generatedKey(String accountId) {
    StringBuilder id = new StringBuilder("AKIA");
    for (int i = 0; i < 16; i++) {
      id.append(KEY_ID_ALPHABET[RANDOM.nextInt(KEY_ID_ALPHABET.length)]);
    }
    byte[] secret = new byte[30];
    RANDOM.nextBytes(secret);
    return new AccessKey(id.toString(), accountId, Base64.getEncoder().encodeToString(secret)); // 40 characters
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  // -------------------------------------------------------------------------- subscriptions

  PlainResponse upsertSubscription(PlainRequest request) {
    JsonBody body = JsonBody.parse(request.body())
        .only("productCode", "customerAWSAccountId", "customerIdentifier", "licenseArn", "active", "since");
    String productCode = body.text("productCode");
    String customer = accountId(body.text("customerAWSAccountId"), "customerAWSAccountId");
    Optional<String> identifier = body.optionalText("customerIdentifier");
    if (identifier.isPresent() && identifier.get().length() > 255) {
      throw AdminException.invalid("customerIdentifier", "is longer than 255 characters");
    }
    Optional<String> license = body.optionalText("licenseArn");
    if (license.isPresent() && !LICENSE_ARN.matcher(license.get()).matches()) {
      throw AdminException.invalid("licenseArn", "'" + license.get()
          + "' is not a license ARN such as arn:aws:license-manager::111122223333:license:l-1234");
    }
    boolean active = body.bool("active", true);
    Optional<Instant> since = body.optionalInstant("since");
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
    return JsonOut.response(status, json -> {
      json.writeStartObject();
      json.writeStringField("productCode", s.productCode());
      json.writeStringField("customerAWSAccountId", s.customerAccountId());
      JsonOut.text(json, "customerIdentifier", s.customerIdentifier());
      JsonOut.text(json, "licenseArn", s.licenseArn());
      json.writeBooleanField("active", s.active());
      JsonOut.instant(json, "since", s.since());
      json.writeEndObject();
    });
  }

  // --------------------------------------------------------------------- registration tokens

  PlainResponse createToken(PlainRequest request) {
    JsonBody body = JsonBody.parse(request.body()).only("productCode", "customerAWSAccountId",
        "customerIdentifier", "licenseArn", "token", "ttlSeconds");
    String productCode = body.text("productCode");
    String customer = accountId(body.text("customerAWSAccountId"), "customerAWSAccountId");
    Optional<String> identifier = body.optionalText("customerIdentifier");
    Optional<String> license = body.optionalText("licenseArn");
    Optional<String> given = body.optionalText("token");
    if (given.isPresent() && !TOKEN.matcher(given.get()).matches()) {
      throw AdminException.invalid("token", "must be 1 to 2048 letters, digits or +/=_.:-");
    }
    long ttl = body.optionalLong("ttlSeconds", 1, 366L * 24 * 3600).orElse(DEFAULT_TOKEN_TTL_SECONDS);
    Product product = existingProduct(productCode);
    // What the buyer's subscription says, unless the request says otherwise.
    Optional<Subscription> subscription = store.subscriptionByCustomerAccount(product.productCode(), customer);
    String token = given.orElseGet(CatalogEndpoints::generatedToken);
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
    return JsonOut.response(201, json -> {
      json.writeStartObject();
      json.writeStringField("token", stored.token());
      json.writeStringField("productCode", stored.productCode());
      json.writeStringField("customerAWSAccountId", stored.customerAccountId());
      JsonOut.text(json, "customerIdentifier", stored.customerIdentifier());
      JsonOut.text(json, "licenseArn", stored.licenseArn());
      JsonOut.instant(json, "expiresAt", stored.expiresAt());
      json.writeEndObject();
    });
  }

  private static String generatedToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "mbt-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  // -------------------------------------------------------------------------------- checks

  private Product existingProduct(String productCode) {
    return store.product(productCode).orElseThrow(() -> AdminException.notFound("No product " + productCode));
  }

  static String productCode(String code, String field) {
    if (!PRODUCT_CODE.matcher(code).matches()) {
      throw AdminException.invalid(field, "'" + code + "' is not 1 to 255 letters, digits or -=:_.@");
    }
    return code;
  }

  static String accountId(String id, String field) {
    if (!ACCOUNT_ID.matcher(id).matches()) {
      throw AdminException.invalid(field, "'" + id + "' is not a 12-digit AWS account id");
    }
    return id;
  }

  private static ProductType productType(String type) {
    try {
      return ProductType.valueOf(type.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw AdminException.invalid("type", "'" + type + "' is not one of SAAS, AMI, CONTAINER");
    }
  }

  private static List<String> dimensions(JsonBody body, String field) {
    List<String> dimensions = body.texts(field);
    for (int i = 0; i < dimensions.size(); i++) {
      if (dimensions.get(i).length() > 255) {
        throw AdminException.invalid(field + "[" + i + "]", "is longer than 255 characters");
      }
    }
    return new ArrayList<>(new LinkedHashSet<>(dimensions));
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is part of every JDK", e);
    }
  }
}
