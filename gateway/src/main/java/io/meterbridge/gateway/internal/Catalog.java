package io.meterbridge.gateway.internal;

import io.meterbridge.gateway.CatalogProduct;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The products and dimensions events are checked against, answered from memory: ingest runs on
 * network threads and must not wait for the database. Reloaded after every change made here, and by
 * the sweeper every few seconds, so a change made through another process shows within that time.
 */
final class Catalog {
  private record Entry(CatalogProduct product, Map<String, String> dimensions) {}

  private final Database db;
  private volatile Map<String, Entry> products = Map.of();

  Catalog(Database db) {
    this.db = db;
    reload();
  }

  void reload() {
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, List<String>> dimensions = new LinkedHashMap<>();
    db.query("SELECT product_code, product_type FROM catalog_product ORDER BY product_code", rs -> {
      types.put(rs.getString(1), rs.getString(2));
      return null;
    });
    db.query("SELECT product_code, dimension FROM catalog_dimension ORDER BY product_code, position", rs -> {
      dimensions.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
      return null;
    });
    Map<String, Entry> next = new LinkedHashMap<>();
    types.forEach((code, type) -> {
      CatalogProduct p = new CatalogProduct(code, type, dimensions.getOrDefault(code, List.of()));
      Map<String, String> dims = new java.util.HashMap<>();
      p.dimensions().forEach(d -> dims.put(d, d));
      next.put(code, new Entry(p, dims));
    });
    products = next;
  }

  /** Adds products or changes their type; dimensions are added to those a product has (none is removed). */
  void upsert(List<CatalogProduct> changes) {
    db.inTransaction("update the catalog", c -> {
      for (CatalogProduct p : changes) {
        upsert(c, p);
      }
      return null;
    });
    reload();
  }

  private static void upsert(Connection c, CatalogProduct p) throws SQLException {
    Database.update(c, "INSERT INTO catalog_product (product_code, product_type) VALUES (?, ?) "
        + "ON CONFLICT (product_code) DO UPDATE SET product_type = excluded.product_type", p.productCode(), p.type());
    int next = Database.query(c, "SELECT COALESCE(MAX(position) + 1, 0) FROM catalog_dimension WHERE product_code = ?",
        rs -> rs.getInt(1), p.productCode()).get(0);
    for (String d : p.dimensions()) {
      next += Database.update(c, "INSERT INTO catalog_dimension (product_code, dimension, position) VALUES (?, ?, ?) "
          + "ON CONFLICT (product_code, dimension) DO NOTHING", p.productCode(), d, next);
    }
  }

  Optional<CatalogProduct> product(String productCode) {
    Entry e = products.get(productCode);
    return e == null ? Optional.empty() : Optional.of(e.product);
  }

  boolean hasDimension(String productCode, String dimension) {
    return dimension(productCode, dimension) != null;
  }

  /**
   * The catalog's own instance of a dimension name, or null if the product has no such dimension:
   * keys made of it share one string instead of holding one per event.
   */
  String dimension(String productCode, String dimension) {
    Entry e = products.get(productCode);
    return e == null ? null : e.dimensions.get(dimension);
  }

  List<CatalogProduct> all() {
    return products.values().stream().map(Entry::product)
        .sorted(Comparator.comparing(CatalogProduct::productCode)).toList();
  }
}
