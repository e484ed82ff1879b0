package io.meterbridge.junit5;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A catalog written in code: accounts with their access keys, products, subscriptions and
 * registration tokens. It is a seed file in another form ({@link #toSeedJson()}), loaded the way
 * {@code meterbridge serve --seed} loads one, so it is checked by the same rules and a mistake gets
 * the same message, naming the entry ({@code products[0].type: ...}).
 *
 * <pre>{@code
 * TestCatalog catalog = TestCatalog.builder()
 *     .account("111111111111", "AKIDSELLER", "sellerSecret")
 *     .account("222222222222", "AKIDBUYER", "buyerSecret")
 *     .product("prod-saas", "SAAS", "111111111111", "users", "storage_gb")
 *     .subscription("prod-saas", "222222222222", "cust-1")
 *     .registrationToken("tok-1", "prod-saas", "222222222222", "cust-1")
 *     .build();
 * }</pre>
 *
 * <p>Subscriptions are active since 1970; registration tokens expire after the server's {@code
 * registration-token-ttl} (4 hours); a {@code CONTAINER} product gets public key version 1.
 */
public final class TestCatalog {
  private final String json;
  private final List<String> sellerKeys;

  private TestCatalog(String json, List<String> sellerKeys) {
    this.json = json;
    this.sellerKeys = sellerKeys;
  }

  /** An empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The catalog as a seed file ({@code examples/seed.json} shows the format). */
  public String toSeedJson() {
    return json;
  }

  /** The first access key of the account that sells the first product, if there is one. */
  Optional<String> sellerAccessKeyId() {
    return sellerKeys.stream().findFirst();
  }

  @Override
  public String toString() {
    return "TestCatalog" + json;
  }

  /** Builds a {@link TestCatalog}; the values are checked when the server loads it. Not thread-safe. */
  public static final class Builder {
    private record Product(String code, String type, String seller, List<String> dimensions) {}

    private record Subscription(String productCode, String customerAccountId, Optional<String> customerIdentifier,
        Optional<String> licenseArn, boolean active) {}

    private record Token(String token, String productCode, String customerAccountId,
        Optional<String> customerIdentifier, Optional<Instant> expiresAt) {}

    private final Map<String, List<String[]>> accounts = new LinkedHashMap<>();
    private final List<Product> products = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final List<Token> tokens = new ArrayList<>();

    private Builder() {}

    /** An account (12 digits) without access keys, such as a customer that never calls. */
    public Builder account(String accountId) {
      accounts.computeIfAbsent(text(accountId, "accountId"), id -> new ArrayList<>());
      return this;
    }

    /** An account with an access key; call again with the same account for more keys. */
    public Builder account(String accountId, String accessKeyId, String secretAccessKey) {
      accounts.computeIfAbsent(text(accountId, "accountId"), id -> new ArrayList<>())
          .add(new String[] {text(accessKeyId, "accessKeyId"), text(secretAccessKey, "secretAccessKey")});
      return this;
    }

    /**
     * A product of {@code type} ({@code SAAS}, {@code AMI} or {@code CONTAINER}) sold by {@code
     * sellerAccountId}, in the server's first region.
     */
    public Builder product(String productCode, String type, String sellerAccountId, String... dimensions) {
      products.add(new Product(text(productCode, "productCode"), text(type, "type"),
          text(sellerAccountId, "sellerAccountId"), List.of(dimensions)));
      return this;
    }

    /** An active subscription of a customer account, without a customer identifier. */
    public Builder subscription(String productCode, String customerAccountId) {
      subscriptions.add(new Subscription(text(productCode, "productCode"),
          text(customerAccountId, "customerAccountId"), Optional.empty(), Optional.empty(), true));
      return this;
    }

    /** An active subscription whose customer has a customer identifier (BatchMeterUsage's {@code CustomerIdentifier}). */
    public Builder subscription(String productCode, String customerAccountId, String customerIdentifier) {
      subscriptions.add(new Subscription(text(productCode, "productCode"),
          text(customerAccountId, "customerAccountId"), Optional.of(text(customerIdentifier, "customerIdentifier")),
          Optional.empty(), true));
      return this;
    }

    /** A subscription with every field: a license ARN (may be null) and whether it is active. */
    public Builder subscription(String productCode, String customerAccountId, String customerIdentifier,
        String licenseArn, boolean active) {
      subscriptions.add(new Subscription(text(productCode, "productCode"),
          text(customerAccountId, "customerAccountId"), Optional.ofNullable(customerIdentifier),
          Optional.ofNullable(licenseArn), active));
      return this;
    }

    /** A registration token for ResolveCustomer of a SaaS product, valid for the server's token lifetime. */
    public Builder registrationToken(String token, String productCode, String customerAccountId,
        String customerIdentifier) {
      tokens.add(new Token(text(token, "token"), text(productCode, "productCode"),
          text(customerAccountId, "customerAccountId"), Optional.of(text(customerIdentifier, "customerIdentifier")),
          Optional.empty()));
      return this;
    }

    /** A registration token that expires at {@code expiresAt}. */
    public Builder registrationToken(String token, String productCode, String customerAccountId,
        String customerIdentifier, Instant expiresAt) {
      tokens.add(new Token(text(token, "token"), text(productCode, "productCode"),
          text(customerAccountId, "customerAccountId"), Optional.of(text(customerIdentifier, "customerIdentifier")),
          Optional.of(Objects.requireNonNull(expiresAt, "expiresAt"))));
      return this;
    }

    /** The catalog. */
    public TestCatalog build() {
      List<String> sellerKeys = new ArrayList<>();
      products.stream().map(Product::seller).distinct()
          .forEach(seller -> accounts.getOrDefault(seller, List.of()).forEach(key -> sellerKeys.add(key[0])));
      return new TestCatalog(json(), List.copyOf(sellerKeys));
    }

    private String json() {
      StringWriter out = new StringWriter();
      try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
        json.writeStartObject();
        json.writeArrayFieldStart("accounts");
        for (Map.Entry<String, List<String[]>> account : accounts.entrySet()) {
          json.writeStartObject();
          json.writeStringField("accountId", account.getKey());
          json.writeArrayFieldStart("accessKeys");
          for (String[] key : account.getValue()) {
            json.writeStartObject();
            json.writeStringField("accessKeyId", key[0]);
            json.writeStringField("secretAccessKey", key[1]);
            json.writeEndObject();
          }
          json.writeEndArray();
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("products");
        for (Product p : products) {
          json.writeStartObject();
          json.writeStringField("productCode", p.code());
          json.writeStringField("seller", p.seller());
          json.writeStringField("type", p.type());
          json.writeArrayFieldStart("dimensions");
          for (String dimension : p.dimensions()) {
            json.writeString(dimension);
          }
          json.writeEndArray();
          if (p.type().equals("CONTAINER")) {
            json.writeArrayFieldStart("publicKeyVersions");
            json.writeNumber(1);
            json.writeEndArray();
          }
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("subscriptions");
        for (Subscription s : subscriptions) {
          json.writeStartObject();
          json.writeStringField("productCode", s.productCode());
          json.writeStringField("customerAWSAccountId", s.customerAccountId());
          if (s.customerIdentifier().isPresent()) {
            json.writeStringField("customerIdentifier", s.customerIdentifier().get());
          }
          if (s.licenseArn().isPresent()) {
            json.writeStringField("licenseArn", s.licenseArn().get());
          }
          json.writeBooleanField("active", s.active());
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("registrationTokens");
        for (Token t : tokens) {
          json.writeStartObject();
          json.writeStringField("token", t.token());
          json.writeStringField("productCode", t.productCode());
          json.writeStringField("customerAWSAccountId", t.customerAccountId());
          if (t.customerIdentifier().isPresent()) {
            json.writeStringField("customerIdentifier", t.customerIdentifier().get());
          }
          if (t.expiresAt().isPresent()) {
            json.writeStringField("expiresAt", t.expiresAt().get().toString());
          }
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toString();
    }

    private static String text(String value, String name) {
      return Objects.requireNonNull(value, () -> name + " must not be null");
    }
  }
}
