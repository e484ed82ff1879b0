package io.meterbridge.server.store;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Usage reports: the stored records summed in the database ({@code GROUP BY}) and handed over one
 * row at a time from a streaming cursor, so that a report over millions of records needs no more
 * memory than one row. All the SQL that knows the metering tables' columns for reports is here, so
 * a change of schema changes this class only.
 *
 * <p>The cursor: on PostgreSQL the driver fetches a {@code fetchSize} at a time only inside a
 * transaction, so the connection leaves auto-commit for the report (a read-only transaction,
 * rolled back at the end). SQLite steps through the result as it is read anyway; the statement
 * is its own read transaction, which WAL lets run beside the writer.
 */
final class UsageReports {
  private static final int FETCH_SIZE = 2_000;

  private final HikariDataSource pool;
  private final boolean postgres;

  UsageReports(HikariDataSource pool, boolean postgres) {
    this.pool = pool;
    this.postgres = postgres;
  }

  void report(UsageReportQuery q, Store.UsageSink sink) throws IOException {
    List<Object> args = new ArrayList<>();
    String sql = sql(q, args);
    try (Connection c = pool.getConnection()) {
      if (postgres) {
        c.setAutoCommit(false);
        c.setReadOnly(true);
      }
      try (PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
        ps.setFetchSize(FETCH_SIZE);
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            sink.accept(read(q, rs));
          }
        }
      } finally {
        if (postgres) {
          c.rollback();
          c.setReadOnly(false);
          c.setAutoCommit(true);
        }
      }
    } catch (SQLException e) {
      throw new StoreException("usage report failed: " + e.getMessage(), e);
    }
  }

  private static UsageSum read(UsageReportQuery q, ResultSet rs) throws SQLException {
    int i = 1;
    Instant period = q.period().isPresent() ? Instant.ofEpochSecond(rs.getLong(i++)) : q.from();
    String product = q.groups(UsageReportQuery.Key.PRODUCT) ? rs.getString(i++) : "";
    String customer = q.groups(UsageReportQuery.Key.CUSTOMER) ? rs.getString(i++) : "";
    String dimension = q.groups(UsageReportQuery.Key.DIMENSION) ? rs.getString(i++) : "";
    String license = q.groups(UsageReportQuery.Key.LICENSE) ? rs.getString(i++) : "";
    String region = q.groups(UsageReportQuery.Key.REGION) ? rs.getString(i++) : "";
    return new UsageSum(period, product, customer, dimension, license, region, rs.getLong(i), rs.getLong(i + 1));
  }

  /**
   * The report's statement: both metering tables by their hour key (which leads their unique
   * key, so the range is an index scan), joined to the product for its region, grouped and
   * ordered by the selected columns in the order {@link #read} reads them. A batch record holds
   * ids; only the names the report shows are looked up.
   */
  String sql(UsageReportQuery q, List<Object> args) {
    boolean product = q.groups(UsageReportQuery.Key.PRODUCT) || q.groups(UsageReportQuery.Key.REGION);
    boolean customer = q.groups(UsageReportQuery.Key.CUSTOMER);
    boolean dimension = q.groups(UsageReportQuery.Key.DIMENSION);
    boolean license = q.groups(UsageReportQuery.Key.LICENSE);
    StringBuilder usage = new StringBuilder();
    usage.append("SELECT r.hour, ").append(product ? "p.name" : "CAST('' AS TEXT)").append(" AS product_code, ")
        .append(customer ? "c.name" : "CAST('' AS TEXT)").append(" AS customer, ")
        .append(dimension ? "d.name" : "CAST('' AS TEXT)").append(" AS dimension, r.quantity, ")
        .append(license ? "l.name" : "CAST(NULL AS TEXT)").append(" AS license_arn FROM batch_record r")
        .append(product ? " JOIN key_name p ON p.id = r.product_id" : "")
        .append(customer ? " JOIN key_name c ON c.id = r.customer_id" : "")
        .append(dimension ? " JOIN key_name d ON d.id = r.dimension_id" : "")
        .append(license ? " LEFT JOIN key_name l ON l.id = r.license_id" : "")
        .append(batchFilter(q, args))
        .append(" UNION ALL SELECT hour, product_code, caller_account_id, dimension, quantity, CAST(NULL AS TEXT)")
        .append(" FROM meter_usage").append(meterFilter(q, args));
    List<String> columns = new ArrayList<>();
    q.period().ifPresent(p -> columns.add(periodStart(p)));
    if (q.groups(UsageReportQuery.Key.PRODUCT)) {
      columns.add("u.product_code");
    }
    if (customer) {
      columns.add("u.customer");
    }
    if (dimension) {
      columns.add("u.dimension");
    }
    if (license) {
      columns.add("COALESCE(u.license_arn, '')");
    }
    if (q.groups(UsageReportQuery.Key.REGION)) {
      columns.add("COALESCE(p.region, '')");
    }
    StringBuilder positions = new StringBuilder();
    for (int i = 1; i <= columns.size(); i++) {
      positions.append(i == 1 ? "" : ", ").append(i);
    }
    String select = columns.isEmpty() ? "" : String.join(", ", columns) + ", ";
    String join = q.groups(UsageReportQuery.Key.REGION) ? " LEFT JOIN product p ON p.product_code = u.product_code" : "";
    String grouped = columns.isEmpty() ? "" : " GROUP BY " + positions + " ORDER BY " + positions;
    // COUNT(*) and SUM over no rows still give one row when nothing is grouped: an empty report
    // has no rows at all, so HAVING drops it.
    return "SELECT " + select + "COALESCE(SUM(u.quantity), 0), COUNT(*) FROM (" + usage + ") u" + join + grouped
        + (columns.isEmpty() ? " HAVING COUNT(*) > 0" : "");
  }

  /** A batch record holds ids: names become ids before the scan, so that the key's index serves the filter. */
  private static String batchFilter(UsageReportQuery q, List<Object> args) {
    return filter(q, args, "r.hour", "r.product_id = (SELECT id FROM key_name WHERE name = ?)",
        "r.customer_id = (SELECT id FROM key_name WHERE name = ?)",
        "r.dimension_id = (SELECT id FROM key_name WHERE name = ?)");
  }

  private static String meterFilter(UsageReportQuery q, List<Object> args) {
    return filter(q, args, "hour", "product_code = ?", "caller_account_id = ?", "dimension = ?");
  }

  /**
   * The WHERE clause of one table: its hour column in the query's range (a record is in when its
   * hour starts in [from, to): to 10:30 includes the 10:00 hour), and each filter the query has, as
   * that table matches it (one parameter each).
   */
  private static String filter(UsageReportQuery q, List<Object> args, String hour, String product, String customer,
      String dimension) {
    StringBuilder where = new StringBuilder(" WHERE " + hour + " >= ? AND " + hour + " < ?");
    args.add(ceilSeconds(q.from()));
    args.add(ceilSeconds(q.to()));
    String[][] filters = {{product, q.productCode().orElse(null)}, {customer, q.customer().orElse(null)},
        {dimension, q.dimension().orElse(null)}};
    for (String[] f : filters) {
      if (f[1] != null) {
        where.append(" AND ").append(f[0]);
        args.add(f[1]);
      }
    }
    return where.toString();
  }

  private static long ceilSeconds(Instant at) {
    return at.getEpochSecond() + (at.getNano() > 0 ? 1 : 0);
  }

  /** The first second (epoch) of the period holding {@code u.hour}, in UTC. */
  private String periodStart(UsageReportQuery.Period period) {
    return switch (period) {
      case HOUR -> "u.hour";
      case DAY -> "(u.hour - u.hour % 86400)";
      case MONTH -> postgres
          ? "CAST(EXTRACT(EPOCH FROM date_trunc('month', to_timestamp(u.hour) AT TIME ZONE 'UTC')) AS BIGINT)"
          : "CAST(strftime('%s', u.hour, 'unixepoch', 'start of month') AS INTEGER)";
    };
  }
}
