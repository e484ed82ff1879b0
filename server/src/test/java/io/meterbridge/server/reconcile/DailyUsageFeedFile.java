package io.meterbridge.server.reconcile;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes Daily Usage data feed files as the Seller Data Delivery Service delivers them: a header of
 * AWS's column names, one row per usage line, every value quoted, CRLF line ends.
 */
final class DailyUsageFeedFile {
  static final List<String> COLUMNS = List.of("usage_feed_id", "usage_date", "product_id", "agreement_id",
      "end_user_account_id", "payer_account_id", "region", "dimension_key", "usage_unit", "usage_quantity",
      "pricing_currency", "estimated_revenue_in_pricing_currency", "usage_rate_per_unit_in_pricing_currency",
      "offer_id", "valid_from", "valid_to", "insert_date", "update_date", "delete_date");

  private final List<String> lines = new ArrayList<>();
  private int id;

  DailyUsageFeedFile() {
    lines.add(String.join(",", COLUMNS.stream().map(c -> "\"" + c + "\"").toList()));
  }

  /** A usage row priced at {@code rate} USD per unit; agreement may be empty. */
  DailyUsageFeedFile row(String date, String productId, String agreementId, String region, String dimension,
      String quantity, String rate) {
    return row(date, productId, agreementId, region, dimension, quantity, rate, "");
  }

  DailyUsageFeedFile row(String date, String productId, String agreementId, String region, String dimension,
      String quantity, String rate, String deleteDate) {
    String revenue = new java.math.BigDecimal(quantity).multiply(new java.math.BigDecimal(rate))
        .setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    List<String> values = List.of("uf-" + (++id), date, productId, agreementId, "salted-enduser-" + id,
        "salted-payer-" + id, region, dimension, "Units", quantity, "USD", revenue, rate, "offer-abc123",
        date + " 00:00:00", "", date + " 04:12:00", date + " 04:12:00", deleteDate);
    lines.add(String.join(",", values.stream().map(v -> "\"" + v.replace("\"", "\"\"") + "\"").toList()));
    return this;
  }

  @Override
  public String toString() {
    return String.join("\r\n", lines) + "\r\n";
  }
}
