package io.meterbridge.server.seed;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A seed file: the catalog a server loads at start ({@code meterbridge serve --seed seed.json}).
 * Read with a streaming parser and checked entry by entry; every problem names its JSON path.
 *
 * <pre>{@code
 * {"accounts": [{"accountId": "111111111111", "name": "seller",
 *                "accessKeys": [{"accessKeyId": "AKIDSELLER", "secretAccessKey": "..."}]}],
 *  "products": [{"productCode": "prod-saas", "seller": "111111111111", "type": "SAAS",
 *                "dimensions": ["users"], "publicKeyVersions": [1], "region": "us-east-1"}],
 *  "subscriptions": [{"productCode": "prod-saas", "customerIdentifier": "cust-1",
 *                     "customerAWSAccountId": "222222222222", "active": true, "since": "2026-01-01T00:00:00Z"}],
 *  "registrationTokens": [{"token": "tok-1", "productCode": "prod-saas", "customerIdentifier": "cust-1",
 *                          "customerAWSAccountId": "222222222222", "expiresAt": "2030-01-01T00:00:00Z"}]}
 * }</pre>
 *
 * <p>Loading ({@link #load}) is an upsert of everything in one transaction, so a seed file can be
 * loaded at every start. References (a product's seller, a subscription's product) may point into
 * the seed file or into the database; anything else is refused before anything is written.
 */
public final class SeedFile {
  /** The {@code since} of subscriptions that give none: active since ever. */
  public static final Instant DEFAULT_SINCE = Instant.EPOCH;

  private static final int MAX_PROBLEMS = 100;
  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
  private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Za-z0-9]{1,128}");
  private static final Pattern PRODUCT_CODE = Pattern.compile("[-a-zA-Z0-9/=:_.@]{1,255}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2,}(-[a-z]+)+-[0-9]+");
  private static final Pattern LICENSE_ARN = Pattern.compile(
      "arn:aws[a-zA-Z-]*:[A-Za-z0-9][A-Za-z0-9_/.-]{0,62}:[A-Za-z0-9_/.-]{0,63}:"
          + "[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,1023}");
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build())
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final Object ABSENT = new Object();

  private record AccountEntry(Account account, List<AccessKey> accessKeys) {}

  private record ProductEntry(String path, String productCode, String seller, ProductType type,
      List<String> dimensions, List<Integer> publicKeyVersions, Optional<String> region) {}

  private record SubscriptionEntry(String path, Subscription subscription) {}

  private record TokenEntry(String path, String token, String productCode, String customerAccountId,
      Optional<String> customerIdentifier, Optional<String> licenseArn, Optional<Instant> expiresAt) {}

  private final String source;
  private final List<AccountEntry> accounts;
  private final List<ProductEntry> products;
  private final List<SubscriptionEntry> subscriptions;
  private final List<TokenEntry> tokens;

  private SeedFile(Reader reader) {
    this.source = reader.source;
    this.accounts = List.copyOf(reader.accounts);
    this.products = List.copyOf(reader.products);
    this.subscriptions = List.copyOf(reader.subscriptions);
    this.tokens = List.copyOf(reader.tokens);
  }

  /**
   * Reads and checks a seed file.
   *
   * @throws SeedException if the file cannot be read, is not JSON, or has invalid entries
   */
  public static SeedFile read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(file.toString(), in);
    } catch (NoSuchFileException e) {
      throw new SeedException(file.toString(), "no such file", e);
    } catch (IOException e) {
      throw new SeedException(file.toString(), "cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * Reads and checks a seed file from a stream, which stays open; {@code source} names it in messages.
   *
   * @throws SeedException if the stream is not JSON or has invalid entries
   */
  public static SeedFile parse(String source, InputStream in) {
    Reader reader = new Reader(source);
    try (JsonParser parser = JSON.createParser(in)) {
      reader.read(parser);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
      throw new SeedException(source, where + "not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new SeedException(source, "cannot be read: " + e.getMessage(), e);
    }
    reader.throwIfProblems();
    return new SeedFile(reader);
  }

  /** The number of subscriptions in the file. */
  public int subscriptionCount() {
    return subscriptions.size();
  }

  /** Where the seed came from, for messages. */
  public String source() {
    return source;
  }

  /**
   * Checks the file's references against itself and {@code store}, generates the signing keys the
   * store lacks, and writes everything in one transaction.
   *
   * @param store where to load
   * @param now the load time: creation time of generated keys, start of default token lifetimes
   * @param tokenTtl how long registration tokens without {@code expiresAt} are valid
   * @param defaultRegion the region of products that name none
   * @throws SeedException if a reference is unknown; nothing is written then
   */
  public SeedSummary load(Store store, Instant now, Duration tokenTtl, String defaultRegion) {
    long started = System.nanoTime();
    CatalogChanges.Builder changes = CatalogChanges.builder();
    List<String> problems = new ArrayList<>();
    int generated = 0;

    Set<String> seedAccounts = new HashSet<>();
    int keyCount = 0;
    for (AccountEntry entry : accounts) {
      seedAccounts.add(entry.account().accountId());
      changes.account(entry.account());
      entry.accessKeys().forEach(changes::accessKey);
      keyCount += entry.accessKeys().size();
    }
    // An upsert would silently move a key to another account: refuse that instead.
    for (int i = 0; i < accounts.size(); i++) {
      for (AccessKey key : accounts.get(i).accessKeys()) {
        String at = "accounts[" + i + "].accessKeys";
        store.accessKey(key.accessKeyId())
            .filter(existing -> !existing.accountId().equals(key.accountId()))
            .ifPresent(existing -> problems.add(at + ": '" + key.accessKeyId() + "' already belongs to account "
                + existing.accountId() + " in the database"));
      }
    }

    Map<String, ProductType> productTypes = new HashMap<>();
    for (ProductEntry entry : products) {
      productTypes.put(entry.productCode(), entry.type());
    }
    for (ProductEntry entry : products) {
      if (!seedAccounts.contains(entry.seller()) && store.account(entry.seller()).isEmpty()) {
        problems.add(entry.path() + ".seller: account '" + entry.seller()
            + "' is neither in this file's accounts nor in the database");
        continue;
      }
      changes.product(new Product(entry.productCode(), entry.seller(), entry.type(),
          entry.region().orElse(defaultRegion)));
      changes.dimensions(entry.productCode(), entry.dimensions());
      for (int version : entry.publicKeyVersions()) {
        if (store.signingKey(entry.productCode(), version).isEmpty()) {
          changes.signingKey(newSigningKey(entry.productCode(), version, now));
          generated++;
        }
      }
    }

    Map<String, Optional<ProductType>> stored = new HashMap<>();
    java.util.function.Function<String, Optional<ProductType>> typeOf = code -> {
      ProductType type = productTypes.get(code);
      if (type != null) {
        return Optional.of(type);
      }
      return stored.computeIfAbsent(code, c -> store.product(c).map(Product::type));
    };
    for (SubscriptionEntry entry : subscriptions) {
      String code = entry.subscription().productCode();
      if (typeOf.apply(code).isEmpty()) {
        problems.add(entry.path() + ".productCode: '" + code
            + "' is neither in this file's products nor in the database");
        if (problems.size() >= MAX_PROBLEMS) {
          break;
        }
        continue;
      }
      changes.subscription(entry.subscription());
    }
    for (TokenEntry entry : tokens) {
      Optional<ProductType> type = typeOf.apply(entry.productCode());
      if (type.isEmpty()) {
        problems.add(entry.path() + ".productCode: '" + entry.productCode()
            + "' is neither in this file's products nor in the database");
        continue;
      }
      if (type.get() != ProductType.SAAS) {
        problems.add(entry.path() + ".productCode: '" + entry.productCode() + "' is a " + type.get()
            + " product; registration tokens (ResolveCustomer) are for SAAS products");
        continue;
      }
      RegistrationToken.Builder token = RegistrationToken.builder()
          .token(entry.token())
          .productCode(entry.productCode())
          .customerAccountId(entry.customerAccountId())
          .expiresAt(entry.expiresAt().orElse(now.plus(tokenTtl)));
      entry.customerIdentifier().ifPresent(token::customerIdentifier);
      entry.licenseArn().ifPresent(token::licenseArn);
      changes.token(token.build());
    }
    if (!problems.isEmpty()) {
      throw new SeedException(source, problems, problems.size());
    }
    store.apply(changes.build());
    return new SeedSummary(accounts.size(), keyCount, products.size(), generated, subscriptions.size(),
        tokens.size(), Duration.ofNanos(System.nanoTime() - started));
  }

  /** A fresh RSA 2048 key pair as version {@code version} of a product's signing key. */
  static SigningKey newSigningKey(String productCode, int version, Instant now) {
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JVM cannot generate RSA 2048 keys", e);
    }
    return SigningKey.builder()
        .productCode(productCode)
        .version(version)
        .privateKey(pair.getPrivate().getEncoded())
        .publicKey(pair.getPublic().getEncoded())
        .createdAt(now)
        .build();
  }

  @Override
  public String toString() {
    return "SeedFile[" + source + ": " + accounts.size() + " accounts, " + products.size() + " products, "
        + subscriptions.size() + " subscriptions, " + tokens.size() + " registration tokens]";
  }

  /** Reads the JSON into plain values, then checks them entry by entry, collecting problems. */
  private static final class Reader {
    final String source;
    final List<String> problems = new ArrayList<>();
    int problemCount;
    final List<AccountEntry> accounts = new ArrayList<>();
    final List<ProductEntry> products = new ArrayList<>();
    final List<SubscriptionEntry> subscriptions = new ArrayList<>();
    final List<TokenEntry> tokens = new ArrayList<>();
    // Uniqueness within the file, mirroring the database's keys.
    final Map<String, String> accountIds = new HashMap<>();
    final Map<String, String> accessKeyIds = new HashMap<>();
    final Map<String, String> productCodes = new HashMap<>();
    final Map<String, String> subscriptionKeys = new HashMap<>();
    final Map<String, String> customerIdentifiers = new HashMap<>();
    final Map<String, String> licenseArns = new HashMap<>();
    final Map<String, String> tokenValues = new HashMap<>();

    Reader(String source) {
      this.source = source;
    }

    void problem(String path, String message) {
      problemCount++;
      if (problems.size() < MAX_PROBLEMS) {
        problems.add(path + ": " + message);
      }
    }

    void throwIfProblems() {
      if (problemCount > 0) {
        throw new SeedException(source, problems, problemCount);
      }
    }

    void read(JsonParser parser) throws IOException {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new SeedException(source, List.of("the file is empty; expected a JSON object such as"
            + " {\"accounts\": [], \"products\": []}"), 1);
      }
      if (first != JsonToken.START_OBJECT) {
        throw new SeedException(source, List.of("expected a JSON object at the top, found " + describe(first)), 1);
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String section = parser.currentName();
        parser.nextToken();
        switch (section) {
          case "accounts" -> array(parser, section, this::account);
          case "products" -> array(parser, section, this::product);
          case "subscriptions" -> array(parser, section, this::subscription);
          case "registrationTokens" -> array(parser, section, this::token);
          default -> {
            problem(section, "unknown field; expected accounts, products, subscriptions or registrationTokens");
            parser.skipChildren();
          }
        }
      }
      if (parser.nextToken() != null) {
        throw new SeedException(source, List.of("unexpected content after the top-level object"), 1);
      }
    }

    interface EntryReader {
      void read(String path, Map<String, Object> fields);
    }

    /** Streams an array of objects, handing each to {@code entries} as a small map. */
    void array(JsonParser parser, String path, EntryReader entries) throws IOException {
      if (parser.currentToken() == JsonToken.VALUE_NULL) {
        return;
      }
      if (parser.currentToken() != JsonToken.START_ARRAY) {
        problem(path, "expected an array, found " + describe(parser.currentToken()));
        parser.skipChildren();
        return;
      }
      int index = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        String at = path + "[" + index++ + "]";
        Object value = value(parser);
        if (value instanceof Map<?, ?> map) {
          @SuppressWarnings("unchecked")
          Map<String, Object> fields = (Map<String, Object>) map;
          entries.read(at, fields);
        } else {
          problem(at, "expected an object, found " + kind(value));
        }
      }
    }

    /** The current value as String, Boolean, Long, Double, List, Map, or ABSENT for null. */
    static Object value(JsonParser parser) throws IOException {
      JsonToken token = parser.currentToken();
      switch (token) {
        case START_OBJECT: {
          Map<String, Object> map = new LinkedHashMap<>();
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            map.put(name, value(parser));
          }
          return map;
        }
        case START_ARRAY: {
          List<Object> list = new ArrayList<>();
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            list.add(value(parser));
          }
          return list;
        }
        case VALUE_STRING:
          return parser.getText();
        case VALUE_NUMBER_INT:
          return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? (Object) parser.getDoubleValue()
              : (Object) parser.getLongValue();
        case VALUE_NUMBER_FLOAT:
          return parser.getDoubleValue();
        case VALUE_TRUE:
          return Boolean.TRUE;
        case VALUE_FALSE:
          return Boolean.FALSE;
        default:
          return ABSENT;
      }
    }

    // ------------------------------------------------------------------------------- entries

    void account(String path, Map<String, Object> f) {
      known(path, f, "accountId", "name", "accessKeys");
      String accountId = text(path, f, "accountId", true, ACCOUNT_ID, "12 digits");
      String name = text(path, f, "name", false, null, null);
      unique(accountIds, accountId, path + ".accountId", "account");
      List<AccessKey> keys = new ArrayList<>();
      List<Map<String, Object>> keyEntries = objects(path, f, "accessKeys");
      for (int i = 0; i < keyEntries.size(); i++) {
        String at = path + ".accessKeys[" + i + "]";
        Map<String, Object> k = keyEntries.get(i);
        if (k == null) {
          continue;
        }
        known(at, k, "accessKeyId", "secretAccessKey");
        String id = text(at, k, "accessKeyId", true, ACCESS_KEY_ID, "1 to 128 letters and digits");
        String secret = text(at, k, "secretAccessKey", true, null, null);
        if (secret != null && (secret.isBlank() || secret.chars().anyMatch(Character::isWhitespace))) {
          problem(at + ".secretAccessKey", "must not be blank or contain spaces");
          secret = null;
        }
        unique(accessKeyIds, id, at + ".accessKeyId", "access key");
        if (id != null && secret != null && accountId != null) {
          keys.add(new AccessKey(id, accountId, secret));
        }
      }
      if (accountId != null) {
        accounts.add(new AccountEntry(new Account(accountId, name == null ? accountId : name), keys));
      }
    }

    void product(String path, Map<String, Object> f) {
      known(path, f, "productCode", "seller", "type", "dimensions", "publicKeyVersions", "region");
      String code = text(path, f, "productCode", true, PRODUCT_CODE,
          "1 to 255 characters of letters, digits and -/=:_.@");
      String seller = text(path, f, "seller", true, ACCOUNT_ID, "an account id of 12 digits");
      String typeName = text(path, f, "type", true, null, null);
      ProductType type = null;
      if (typeName != null) {
        try {
          type = ProductType.valueOf(typeName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          problem(path + ".type", "'" + typeName + "' is not one of " + Arrays.stream(ProductType.values())
              .map(Enum::name).reduce((a, b) -> a + ", " + b).orElse(""));
        }
      }
      List<String> dimensions = new ArrayList<>();
      List<Object> dimensionValues = list(path, f, "dimensions");
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < dimensionValues.size(); i++) {
        String at = path + ".dimensions[" + i + "]";
        Object d = dimensionValues.get(i);
        if (!(d instanceof String name)) {
          problem(at, "expected a string, found " + kind(d));
        } else if (name.isEmpty() || name.length() > 255) {
          problem(at, "a dimension name has 1 to 255 characters, this one " + name.length());
        } else if (!seen.add(name)) {
          problem(at, "'" + name + "' is listed twice");
        } else {
          dimensions.add(name);
        }
      }
      List<Integer> versions = new ArrayList<>();
      List<Object> versionValues = list(path, f, "publicKeyVersions");
      for (int i = 0; i < versionValues.size(); i++) {
        String at = path + ".publicKeyVersions[" + i + "]";
        Object v = versionValues.get(i);
        if (!(v instanceof Long n) || n < 1 || n > 1_000_000) {
          problem(at, "expected a version number from 1, found " + describe(v));
        } else if (versions.contains(n.intValue())) {
          problem(at, "version " + n + " is listed twice");
        } else {
          versions.add(n.intValue());
        }
      }
      String region = text(path, f, "region", false, REGION, "a region name such as us-east-1");
      unique(productCodes, code, path + ".productCode", "product");
      if (code != null && seller != null && type != null) {
        products.add(new ProductEntry(path, code, seller, type, dimensions, versions, Optional.ofNullable(region)));
      }
    }

    void subscription(String path, Map<String, Object> f) {
      known(path, f, "productCode", "customerAWSAccountId", "customerIdentifier", "licenseArn", "active", "since");
      String code = text(path, f, "productCode", true, PRODUCT_CODE, "a product code");
      String account = text(path, f, "customerAWSAccountId", true, ACCOUNT_ID, "12 digits");
      String identifier = text(path, f, "customerIdentifier", false, null, null);
      if (identifier != null && (identifier.isEmpty() || identifier.length() > 255)) {
        problem(path + ".customerIdentifier", "must have 1 to 255 characters");
        identifier = null;
      }
      String license = text(path, f, "licenseArn", false, LICENSE_ARN,
          "a license ARN such as arn:aws:license-manager::111111111111:license:l-1");
      Boolean active = bool(path, f, "active");
      Instant since = instant(path, f, "since");
      if (code != null && account != null) {
        unique(subscriptionKeys, code + "\n" + account, path, "subscription of customer " + account + " to " + code);
        if (identifier != null) {
          unique(customerIdentifiers, code + "\n" + identifier, path + ".customerIdentifier",
              "customerIdentifier '" + identifier + "' for product " + code);
        }
      }
      unique(licenseArns, license, path + ".licenseArn", "licenseArn");
      if (code != null && account != null && since != ABSENT_INSTANT) {
        Subscription.Builder s = Subscription.builder()
            .productCode(code)
            .customerAccountId(account)
            .active(active == null || active)
            .since(since == null ? DEFAULT_SINCE : since);
        if (identifier != null) {
          s.customerIdentifier(identifier);
        }
        if (license != null) {
          s.licenseArn(license);
        }
        subscriptions.add(new SubscriptionEntry(path, s.build()));
      }
    }

    void token(String path, Map<String, Object> f) {
      known(path, f, "token", "productCode", "customerAWSAccountId", "customerIdentifier", "licenseArn", "expiresAt");
      String token = text(path, f, "token", true, null, null);
      if (token != null && (token.isBlank() || token.length() > 2048)) {
        problem(path + ".token", "must have 1 to 2048 characters");
        token = null;
      }
      String code = text(path, f, "productCode", true, PRODUCT_CODE, "a product code");
      String account = text(path, f, "customerAWSAccountId", true, ACCOUNT_ID, "12 digits");
      String identifier = text(path, f, "customerIdentifier", false, null, null);
      String license = text(path, f, "licenseArn", false, LICENSE_ARN, "a license ARN");
      Instant expiresAt = instant(path, f, "expiresAt");
      unique(tokenValues, token, path + ".token", "token");
      if (token != null && code != null && account != null && expiresAt != ABSENT_INSTANT) {
        tokens.add(new TokenEntry(path, token, code, account, Optional.ofNullable(identifier),
            Optional.ofNullable(license), Optional.ofNullable(expiresAt)));
      }
    }

    // ------------------------------------------------------------------------------- values

    /** Marks an instant that was present but wrong, as opposed to absent (null). */
    static final Instant ABSENT_INSTANT = Instant.MIN;

    void known(String path, Map<String, Object> f, String... names) {
      Set<String> allowed = Set.of(names);
      for (String name : f.keySet()) {
        if (!allowed.contains(name)) {
          problem(path + "." + name, "unknown field; expected one of " + String.join(", ", names));
        }
      }
    }

    String text(String path, Map<String, Object> f, String name, boolean required, Pattern pattern, String what) {
      Object v = f.getOrDefault(name, ABSENT);
      if (v == ABSENT) {
        if (required) {
          problem(path + "." + name, "is required");
        }
        return null;
      }
      if (!(v instanceof String s)) {
        problem(path + "." + name, "expected a string, found " + kind(v));
        return null;
      }
      if (pattern != null && !pattern.matcher(s).matches()) {
        problem(path + "." + name, "'" + s + "' is not " + what);
        return null;
      }
      return s;
    }

    Boolean bool(String path, Map<String, Object> f, String name) {
      Object v = f.getOrDefault(name, ABSENT);
      if (v == ABSENT) {
        return null;
      }
      if (!(v instanceof Boolean b)) {
        problem(path + "." + name, "expected true or false, found " + kind(v));
        return null;
      }
      return b;
    }

    /** null when absent; {@link #ABSENT_INSTANT} when present but invalid. */
    Instant instant(String path, Map<String, Object> f, String name) {
      Object v = f.getOrDefault(name, ABSENT);
      if (v == ABSENT) {
        return null;
      }
      if (v instanceof String s) {
        try {
          return Instant.parse(s);
        } catch (DateTimeParseException e) {
          // fall through
        }
      }
      problem(path + "." + name, "expected a UTC time such as \"2026-01-01T00:00:00Z\", found " + describe(v));
      return ABSENT_INSTANT;
    }

    List<Object> list(String path, Map<String, Object> f, String name) {
      Object v = f.getOrDefault(name, ABSENT);
      if (v == ABSENT) {
        return List.of();
      }
      if (!(v instanceof List<?> list)) {
        problem(path + "." + name, "expected an array, found " + kind(v));
        return List.of();
      }
      @SuppressWarnings("unchecked")
      List<Object> values = (List<Object>) list;
      return values;
    }

    /** The objects of an array field; a null element stands for a non-object, already reported. */
    List<Map<String, Object>> objects(String path, Map<String, Object> f, String name) {
      List<Object> values = list(path, f, name);
      List<Map<String, Object>> objects = new ArrayList<>(values.size());
      for (int i = 0; i < values.size(); i++) {
        Object v = values.get(i);
        if (v instanceof Map<?, ?> map) {
          @SuppressWarnings("unchecked")
          Map<String, Object> fields = (Map<String, Object>) map;
          objects.add(fields);
        } else {
          problem(path + "." + name + "[" + i + "]", "expected an object, found " + kind(v));
          objects.add(null);
        }
      }
      return objects;
    }

    void unique(Map<String, String> seen, String key, String path, String what) {
      if (key == null) {
        return;
      }
      String first = seen.putIfAbsent(key, path);
      if (first != null) {
        problem(path, "duplicate " + what + ", first at " + first);
      }
    }

    static String kind(Object v) {
      if (v == ABSENT) {
        return "null";
      }
      if (v instanceof String) {
        return "a string";
      }
      if (v instanceof Boolean) {
        return "a boolean";
      }
      if (v instanceof Number) {
        return "a number";
      }
      if (v instanceof List) {
        return "an array";
      }
      return "an object";
    }

    static String describe(Object v) {
      if (v instanceof String s) {
        return "'" + s + "'";
      }
      if (v instanceof Long || v instanceof Double || v instanceof Boolean) {
        return v.toString();
      }
      return kind(v);
    }

    static String describe(JsonToken token) {
      return switch (token) {
        case START_ARRAY -> "an array";
        case START_OBJECT -> "an object";
        case VALUE_STRING -> "a string";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
        case VALUE_TRUE, VALUE_FALSE -> "a boolean";
        case VALUE_NULL -> "null";
        default -> token.toString();
      };
    }
  }
}
