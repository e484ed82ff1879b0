package io.meterbridge.server.seed;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.meterbridge.server.catalog.CatalogRules;
import io.meterbridge.server.catalog.JsonInput;
import io.meterbridge.server.store.AccessKey;
import io.meterbridge.server.store.Account;
import io.meterbridge.server.store.CatalogChanges;
import io.meterbridge.server.store.Platform;
import io.meterbridge.server.store.Product;
import io.meterbridge.server.store.ProductType;
import io.meterbridge.server.store.RegistrationToken;
import io.meterbridge.server.store.Store;
import io.meterbridge.server.store.Subscription;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A seed file: the catalog a server loads at start ({@code meterbridge serve --seed seed.json}).
 * Read into records by {@link JsonInput}, then checked entry by entry against the {@link
 * CatalogRules}; every problem names its JSON path, and all of them are reported at once.
 *
 * <pre>{@code
 * {"accounts": [{"accountId": "111111111111", "name": "seller",
 *                "accessKeys": [{"accessKeyId": "AKIDSELLER", "secretAccessKey": "..."}]},
 *               {"accountId": "222222222222", "name": "buyer",
 *                "accessKeys": [{"accessKeyId": "AKIDBUYER1", "secretAccessKey": "...", "resourceId": "i-0abc123"},
 *                               {"accessKeyId": "AKIDBUYER2", "secretAccessKey": "...", "resourceId": "i-0abc123"}]}],
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
  private static final String RESOURCE_ID =
      "a resource id of 1 to 255 letters, digits or _.:/@+=,- such as i-0abc123 or an ECS task ARN";
  private static final JsonInput INPUT = new JsonInput(new Wording(), 16);

  private record AccountEntry(Account account, List<AccessKey> accessKeys) {}

  private record ProductEntry(String path, String productCode, String seller, ProductType type,
      List<String> dimensions, List<Integer> publicKeyVersions, Optional<String> region, boolean agentCore,
      Set<Platform> platforms) {}

  private record SubscriptionEntry(String path, Subscription subscription) {}

  private record TokenEntry(String path, String token, String productCode, String customerAccountId,
      Optional<String> customerIdentifier, Optional<String> licenseArn, Optional<Instant> expiresAt) {}

  private final String source;
  private final List<AccountEntry> accounts;
  private final List<ProductEntry> products;
  private final List<SubscriptionEntry> subscriptions;
  private final List<TokenEntry> tokens;

  private SeedFile(String source, Checker checked) {
    this.source = source;
    this.accounts = List.copyOf(checked.accounts);
    this.products = List.copyOf(checked.products);
    this.subscriptions = List.copyOf(checked.subscriptions);
    this.tokens = List.copyOf(checked.tokens);
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
    JsonInput.Problems problems = new JsonInput.Problems();
    SeedJson json;
    try (JsonParser parser = INPUT.parser(in)) {
      parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new SeedException(source, List.of("the file is empty; expected a JSON object such as"
            + " {\"accounts\": [], \"products\": []}"), 1);
      }
      if (first != JsonToken.START_OBJECT) {
        throw new SeedException(source, List.of("expected a JSON object at the top, found "
            + new JsonInput.Found(first, null).kind()), 1);
      }
      json = INPUT.read(parser, SeedJson.class, problems);
      if (parser.nextToken() != null) {
        throw new SeedException(source, List.of("unexpected content after the top-level object"), 1);
      }
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
      throw new SeedException(source, where + "not valid JSON: " + withoutSource(e.getOriginalMessage()), e);
    } catch (IOException e) {
      throw new SeedException(source, "cannot be read: " + e.getMessage(), e);
    }
    Checker checked = new Checker(problems);
    checked.check(json);
    if (!problems.isEmpty()) {
      throw failure(source, problems.list().stream().map(JsonInput.Problem::toString).toList());
    }
    return new SeedFile(source, checked);
  }

  /**
   * Jackson's message without its own location references: they name the source ({@code [Source:
   * REDACTED ...]}) where our message names the file already; only the line and column stay.
   */
  static String withoutSource(String message) {
    return JACKSON_LOCATION.matcher(message).replaceAll("line $1, column $2");
  }

  private static final java.util.regex.Pattern JACKSON_LOCATION =
      java.util.regex.Pattern.compile("\\[Source: [^;]*; line: (\\d+), column: (\\d+)\\]");

  private static SeedException failure(String source, List<String> problems) {
    return new SeedException(source, problems.subList(0, Math.min(MAX_PROBLEMS, problems.size())), problems.size());
  }

  /** The number of subscriptions in the file. */
  public int subscriptionCount() {
    return subscriptions.size();
  }

  /** The file's access keys, in the order of its accounts and their keys. */
  public List<AccessKey> accessKeys() {
    return accounts.stream().flatMap(a -> a.accessKeys().stream()).toList();
  }

  /** The accounts that sell the file's products, in the order of the products, each once. */
  public List<String> sellers() {
    return products.stream().map(ProductEntry::seller).distinct().toList();
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
          entry.region().orElse(defaultRegion), entry.agentCore(), entry.platforms()));
      changes.dimensions(entry.productCode(), entry.dimensions());
      for (int version : entry.publicKeyVersions()) {
        if (store.signingKey(entry.productCode(), version).isEmpty()) {
          changes.signingKey(CatalogRules.newSigningKey(entry.productCode(), version, now));
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

  @Override
  public String toString() {
    return "SeedFile[" + source + ": " + accounts.size() + " accounts, " + products.size() + " products, "
        + subscriptions.size() + " subscriptions, " + tokens.size() + " registration tokens]";
  }

  /** The seed file's terse wording of binding problems. */
  private static final class Wording implements JsonInput.Wording {
    @Override
    public String mismatch(JsonInput.Shape expected, JsonInput.Found found) {
      return switch (expected) {
        case TEXT -> "expected a string, found " + found.kind();
        case FLAG -> "expected true or false, found " + found.kind();
        case WHOLE_NUMBER -> "expected a whole number, found " + found.value();
        case TIME -> "expected a UTC time such as \"2026-01-01T00:00:00Z\", found " + found.value();
        case LIST -> "expected an array, found " + found.kind();
        case OBJECT -> "expected an object, found " + found.kind();
      };
    }

    @Override
    public String unknownField(Class<?> record, List<String> known) {
      if (record == SeedJson.class) {
        return "unknown field; expected " + String.join(", ", known.subList(0, known.size() - 1)) + " or "
            + known.get(known.size() - 1);
      }
      return "unknown field; expected one of " + String.join(", ", known);
    }
  }

  /** Checks the bound values entry by entry against the catalog rules and the file's own uniqueness. */
  private static final class Checker {
    final JsonInput.Problems problems;
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

    Checker(JsonInput.Problems problems) {
      this.problems = problems;
    }

    void check(SeedJson json) {
      each(json.accounts(), "accounts", this::account);
      each(json.products(), "products", this::product);
      each(json.subscriptions(), "subscriptions", this::subscription);
      each(json.registrationTokens(), "registrationTokens", this::token);
    }

    /** Checks each item of a list; a missing list is empty, a missing item was reported when bound. */
    static <T> void each(List<T> items, String path, BiConsumer<String, T> check) {
      if (items == null) {
        return;
      }
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i) != null) {
          check.accept(path + "[" + i + "]", items.get(i));
        }
      }
    }

    void account(String path, SeedJson.Account a) {
      String accountId = pattern(path + ".accountId", a.accountId(), true, CatalogRules::isAccountId, "12 digits");
      unique(accountIds, accountId, path + ".accountId", "account");
      List<AccessKey> keys = new ArrayList<>();
      each(a.accessKeys(), path + ".accessKeys", (at, k) -> {
        String id = pattern(at + ".accessKeyId", k.accessKeyId(), true, CatalogRules::isAccessKeyId,
            "1 to 128 letters, digits or _");
        String secret = value(at + ".secretAccessKey", k.secretAccessKey(), true, CatalogRules::isSecretAccessKey,
            "must be 1 to 128 characters without spaces");
        String resource = pattern(at + ".resourceId", k.resourceId(), false, CatalogRules::isResourceId,
            RESOURCE_ID);
        String platform = pattern(at + ".platform", k.platform(), false, CatalogRules::isPlatform,
            CatalogRules.PLATFORM);
        unique(accessKeyIds, id, at + ".accessKeyId", "access key");
        if (id != null && secret != null && accountId != null && (resource != null || k.resourceId() == null)
            && (platform != null || k.platform() == null)) {
          keys.add(new AccessKey(id, accountId, secret, Optional.ofNullable(resource),
              Optional.ofNullable(platform).flatMap(Platform::parse)));
        }
      });
      if (accountId != null) {
        accounts.add(new AccountEntry(new Account(accountId, a.name() == null ? accountId : a.name()), keys));
      }
    }

    void product(String path, SeedJson.Product p) {
      String code = pattern(path + ".productCode", p.productCode(), true, CatalogRules::isProductCode,
          "1 to 255 letters, digits or -=:_.@");
      String seller = pattern(path + ".seller", p.seller(), true, CatalogRules::isAccountId,
          "an account id of 12 digits");
      ProductType type = null;
      if (required(path + ".type", p.type())) {
        try {
          type = ProductType.valueOf(p.type().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          problems.add(path + ".type", "'" + p.type() + "' is not one of " + Arrays.stream(ProductType.values())
              .map(Enum::name).collect(Collectors.joining(", ")));
        }
      }
      List<String> dimensions = new ArrayList<>();
      each(p.dimensions(), path + ".dimensions", (at, name) -> {
        if (!CatalogRules.isName(name)) {
          problems.add(at, "a dimension name has 1 to 255 characters and is not blank, this one " + name.length());
        } else if (dimensions.contains(name)) {
          problems.add(at, "'" + name + "' is listed twice");
        } else {
          dimensions.add(name);
        }
      });
      List<Integer> versions = new ArrayList<>();
      each(p.publicKeyVersions(), path + ".publicKeyVersions", (at, version) -> {
        if (!CatalogRules.isKeyVersion(version)) {
          problems.add(at, "expected a version number from 1 to " + CatalogRules.MAX_KEY_VERSION + ", found " + version);
        } else if (versions.contains(version.intValue())) {
          problems.add(at, "version " + version + " is listed twice");
        } else {
          versions.add(version.intValue());
        }
      });
      String region = pattern(path + ".region", p.region(), false, CatalogRules::isRegion,
          "a region name such as us-east-1");
      Set<Platform> platforms = EnumSet.noneOf(Platform.class);
      each(p.platforms(), path + ".platforms", (at, name) -> {
        Optional<Platform> platform = Platform.parse(name);
        if (platform.isEmpty()) {
          problems.add(at, "'" + name + "' is not " + CatalogRules.PLATFORM);
        } else if (!platforms.add(platform.get())) {
          problems.add(at, "'" + name + "' is listed twice");
        }
      });
      if (p.platforms() != null && p.platforms().isEmpty()) {
        problems.add(path + ".platforms", "must list at least one platform RegisterUsage may be called from");
      }
      boolean agentCore = Boolean.TRUE.equals(p.agentCore());
      if (agentCore && type == ProductType.SAAS) {
        problems.add(path + ".agentCore", "a SAAS product is metered by BatchMeterUsage; agentCore applies to"
            + " MeterUsage, for AMI and CONTAINER products");
      }
      unique(productCodes, code, path + ".productCode", "product");
      if (code != null && seller != null && type != null && !(agentCore && type == ProductType.SAAS)) {
        products.add(new ProductEntry(path, code, seller, type, dimensions, versions, Optional.ofNullable(region),
            agentCore, platforms.isEmpty() ? Platform.REGISTER_USAGE_DEFAULT : platforms));
      }
    }

    void subscription(String path, SeedJson.Subscription s) {
      String code = pattern(path + ".productCode", s.productCode(), true, CatalogRules::isProductCode,
          "a product code");
      String account = pattern(path + ".customerAWSAccountId", s.customerAWSAccountId(), true,
          CatalogRules::isAccountId, "12 digits");
      String identifier = value(path + ".customerIdentifier", s.customerIdentifier(), false, CatalogRules::isName,
          "must have 1 to 255 characters and not be blank");
      String license = pattern(path + ".licenseArn", s.licenseArn(), false, CatalogRules::isLicenseArn,
          "a license ARN such as arn:aws:license-manager::111111111111:license:l-1");
      if (code != null && account != null) {
        unique(subscriptionKeys, code + "\n" + account, path, "subscription of customer " + account + " to " + code);
        if (identifier != null) {
          unique(customerIdentifiers, code + "\n" + identifier, path + ".customerIdentifier",
              "customerIdentifier '" + identifier + "' for product " + code);
        }
      }
      unique(licenseArns, license, path + ".licenseArn", "licenseArn");
      if (code != null && account != null) {
        Subscription.Builder b = Subscription.builder()
            .productCode(code)
            .customerAccountId(account)
            .active(s.active() == null || s.active())
            .since(s.since() == null ? DEFAULT_SINCE : s.since());
        if (identifier != null) {
          b.customerIdentifier(identifier);
        }
        if (license != null) {
          b.licenseArn(license);
        }
        subscriptions.add(new SubscriptionEntry(path, b.build()));
      }
    }

    void token(String path, SeedJson.Token t) {
      String token = value(path + ".token", t.token(), true, CatalogRules::isRegistrationToken,
          "must have 1 to 2048 characters and no spaces");
      String code = pattern(path + ".productCode", t.productCode(), true, CatalogRules::isProductCode,
          "a product code");
      String account = pattern(path + ".customerAWSAccountId", t.customerAWSAccountId(), true,
          CatalogRules::isAccountId, "12 digits");
      String identifier = value(path + ".customerIdentifier", t.customerIdentifier(), false, CatalogRules::isName,
          "must have 1 to 255 characters and not be blank");
      String license = pattern(path + ".licenseArn", t.licenseArn(), false, CatalogRules::isLicenseArn,
          "a license ARN");
      unique(tokenValues, token, path + ".token", "token");
      if (token != null && code != null && account != null) {
        tokens.add(new TokenEntry(path, token, code, account, Optional.ofNullable(identifier),
            Optional.ofNullable(license), Optional.ofNullable(t.expiresAt())));
      }
    }

    boolean required(String path, Object value) {
      return problems.required(path, value);
    }

    String value(String path, String value, boolean required, Predicate<String> valid, String problem) {
      return problems.check(path, value, required, valid, problem);
    }

    /** As {@link #value}, with the problem {@code '<value>' is not <what>}. */
    String pattern(String path, String value, boolean required, Predicate<String> valid, String what) {
      return value(path, value, required, valid, "'" + value + "' is not " + what);
    }

    void unique(Map<String, String> seen, String key, String path, String what) {
      if (key == null) {
        return;
      }
      String first = seen.putIfAbsent(key, path);
      if (first != null) {
        problems.add(path, "duplicate " + what + ", first at " + first);
      }
    }
  }
}
