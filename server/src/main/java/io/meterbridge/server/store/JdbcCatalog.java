package io.meterbridge.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The catalog half of {@link Store}: upserts in one transaction each, and reads, on the pool of
 * reads and catalog writes. The same SQL on both databases.
 */
final class JdbcCatalog {
  private final Jdbc jdbc;
  private final Dialect dialect;

  JdbcCatalog(Jdbc jdbc, Dialect dialect) {
    this.jdbc = jdbc;
    this.dialect = dialect;
  }

  // ---- writes ----

  /** In dependency order: what a row refers to is written before it. */
  void apply(CatalogChanges changes) {
    if (changes.isEmpty()) {
      return;
    }
    jdbc.inTransaction("apply " + changes, c -> {
      upsert(c, Tables.ACCOUNT, changes.accounts(), "account_id");
      upsert(c, Tables.ACCESS_KEY, changes.accessKeys(), "access_key_id");
      upsert(c, Tables.PRODUCT, changes.products(), "product_code");
      List<Tables.Dimension> dimensions = new ArrayList<>();
      changes.dimensions().forEach((p, ds) -> ds.forEach(d -> dimensions.add(new Tables.Dimension(p, d))));
      Jdbc.batch(c, Tables.DIMENSION.insert() + " ON CONFLICT DO NOTHING", dimensions,
          (ps, d) -> Tables.DIMENSION.bind(ps, 1, d));
      upsert(c, Tables.SIGNING_KEY, changes.signingKeys(), "product_code", "version");
      upsert(c, Tables.SUBSCRIPTION, changes.subscriptions(), "product_code", "customer_account_id");
      upsert(c, Tables.REGISTRATION_TOKEN, changes.tokens(), "token");
      dialect.announceCatalogChange(c);
      return null;
    });
  }

  private static <R> void upsert(java.sql.Connection c, Table<R> table, List<R> rows, String... key)
      throws java.sql.SQLException {
    Jdbc.batch(c, table.upsert(key), rows, (ps, row) -> table.bind(ps, 1, row));
  }

  boolean markSubscription(String productCode, String customerAccountId, boolean active) {
    return jdbc.inTransaction((active ? "activate" : "deactivate") + " subscription " + productCode + "/"
        + customerAccountId, c -> {
          try (PreparedStatement ps = c.prepareStatement(
              "UPDATE subscription SET active = ? WHERE product_code = ? AND customer_account_id = ?")) {
            ps.setBoolean(1, active);
            ps.setString(2, productCode);
            ps.setString(3, customerAccountId);
            dialect.announceCatalogChange(c);
            return ps.executeUpdate() > 0;
          }
        });
  }

  SigningKey rotateSigningKey(String productCode, byte[] privateKeyPkcs8, byte[] publicKeyX509, Instant at) {
    Require.text(productCode, "productCode");
    return jdbc.inTransaction("rotate signing key of " + productCode, c -> {
      int version;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT COALESCE(MAX(version), 0) FROM signing_key WHERE product_code = ?")) {
        ps.setString(1, productCode);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          version = rs.getInt(1) + 1;
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE signing_key SET expires_at = ? WHERE product_code = ? AND expires_at IS NULL")) {
        ps.setLong(1, at.toEpochMilli());
        ps.setString(2, productCode);
        ps.executeUpdate();
      }
      SigningKey key = SigningKey.builder().productCode(productCode).version(version)
          .privateKey(privateKeyPkcs8).publicKey(publicKeyX509).createdAt(at).build();
      try (PreparedStatement ps = c.prepareStatement(Tables.SIGNING_KEY.insert())) {
        Tables.SIGNING_KEY.bind(ps, 1, key);
        ps.executeUpdate();
      }
      dialect.announceCatalogChange(c);
      return key;
    });
  }

  // ---- reads ----

  Optional<Account> account(String accountId) {
    return first(jdbc.select(Tables.ACCOUNT, "WHERE account_id = ?", accountId));
  }

  Optional<AccessKey> accessKey(String accessKeyId) {
    return first(jdbc.select(Tables.ACCESS_KEY, "WHERE access_key_id = ?", accessKeyId));
  }

  Optional<Product> product(String productCode) {
    return first(jdbc.select(Tables.PRODUCT, "WHERE product_code = ?", productCode));
  }

  List<Product> products() {
    return jdbc.select(Tables.PRODUCT, "ORDER BY product_code");
  }

  List<Account> accounts() {
    return jdbc.select(Tables.ACCOUNT, "ORDER BY account_id");
  }

  List<Subscription> subscriptions(String productCode) {
    return jdbc.select(Tables.SUBSCRIPTION, "WHERE product_code = ? ORDER BY customer_account_id", productCode);
  }

  List<RegistrationToken> tokens(String productCode) {
    return jdbc.select(Tables.REGISTRATION_TOKEN, "WHERE product_code = ? ORDER BY expires_at, token", productCode);
  }

  Set<String> dimensions(String productCode) {
    Set<String> names = new LinkedHashSet<>();
    jdbc.select(Tables.DIMENSION, "WHERE product_code = ? ORDER BY dimension", productCode)
        .forEach(d -> names.add(d.name()));
    return names;
  }

  Optional<Subscription> subscriptionByCustomerIdentifier(String productCode, String customerIdentifier) {
    return first(jdbc.select(Tables.SUBSCRIPTION, "WHERE product_code = ? AND customer_identifier = ?",
        productCode, customerIdentifier));
  }

  Optional<Subscription> subscriptionByCustomerAccount(String productCode, String customerAccountId) {
    return first(jdbc.select(Tables.SUBSCRIPTION, "WHERE product_code = ? AND customer_account_id = ?",
        productCode, customerAccountId));
  }

  Optional<Subscription> subscriptionByLicense(String licenseArn) {
    return first(jdbc.select(Tables.SUBSCRIPTION, "WHERE license_arn = ?", licenseArn));
  }

  List<Subscription> subscriptions() {
    return jdbc.select(Tables.SUBSCRIPTION, "ORDER BY product_code, customer_account_id");
  }

  Optional<RegistrationToken> token(String token) {
    return first(jdbc.select(Tables.REGISTRATION_TOKEN, "WHERE token = ?", token));
  }

  List<SigningKey> signingKeys(String productCode) {
    return jdbc.select(Tables.SIGNING_KEY, "WHERE product_code = ? ORDER BY version", productCode);
  }

  Optional<SigningKey> signingKey(String productCode, int version) {
    return first(jdbc.select(Tables.SIGNING_KEY, "WHERE product_code = ? AND version = ?", productCode, version));
  }

  private static <T> Optional<T> first(List<T> rows) {
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }
}
