package io.meterbridge.gateway.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code GET /admin/reports/usage} over the ledger: the gateway's records summed in the database and
 * written straight from the cursor to the response, in the shape of the server's endpoint of the same
 * name (same parameters, same JSON members and CSV columns), so that reports and {@code meterbridge
 * reconcile} work against either. The one addition: {@code state} (default {@code sent}: the records
 * AWS answered {@code Success}; a state name or {@code all}). All the SQL that knows the ledger's
 * columns for reports is in this class.
 */
final class UsageReport {
  enum Key {
    PRODUCT, CUSTOMER, DIMENSION, LICENSE, REGION
  }

  enum Period {
    HOUR, DAY, MONTH
  }

  private static final JsonFactory JSON = new JsonFactory();
  private static final Set<String> PARAMS = Set.of("from", "to", "productCode", "customer", "dimension", "groupBy",
      "format", "state");
  private static final String GROUP_BY = "product, customer, dimension, license, region and at most one of hour, day, month";
  private static final int FETCH_SIZE = 2_000;

  private final Instant from;
  private final Instant to;
  private final String productCode;
  private final String customer;
  private final String dimension;
  private final String state;
  private final Set<Key> keys;
  private final List<String> groupBy;
  private final Period period;
  private final boolean csv;

  private UsageReport(Instant from, Instant to, String productCode, String customer, String dimension, String state,
      Set<Key> keys, List<String> groupBy, Period period, boolean csv) {
    this.from = from;
    this.to = to;
    this.productCode = productCode;
    this.customer = customer;
    this.dimension = dimension;
    this.state = state;
    this.keys = keys;
    this.groupBy = groupBy;
    this.period = period;
    this.csv = csv;
  }

  boolean csv() {
    return csv;
  }

  /**
   * The report a request asks for.
   *
   * @throws BadRequestException naming every wrong parameter
   */
  static UsageReport parse(HttpFront.Request r) {
    List<String> problems = new ArrayList<>();
    for (String name : r.query().keySet()) {
      if (!PARAMS.contains(name)) {
        problems.add(name + ": is not a known query parameter; expected some of " + new java.util.TreeSet<>(PARAMS));
      }
    }
    Instant from = time(r, "from", problems, Instant.EPOCH);
    Instant to = time(r, "to", problems, Instant.ofEpochSecond(253402300799L));
    if (from != null && to != null && !from.isBefore(to)) {
      problems.add("from: " + from + " must be before to (" + to + ")");
    }
    String productCode = text(r, "productCode", problems);
    String customer = text(r, "customer", problems);
    String dimension = text(r, "dimension", problems);
    String state = text(r, "state", problems);
    if (state == null) {
      state = "sent";
    } else if (!state.equals("all") && io.meterbridge.gateway.RecordState.fromWireName(state).isEmpty()) {
      problems.add("state: '" + state + "' is not a record state (open, closed, sending, sent, not-subscribed,"
          + " conflict, expired) or all");
    }
    String format = text(r, "format", problems);
    boolean csv = false;
    if (format != null) {
      switch (format.toLowerCase(Locale.ROOT)) {
        case "json" -> csv = false;
        case "csv" -> csv = true;
        default -> problems.add("format: '" + format + "' is not json or csv");
      }
    }
    String grouping = text(r, "groupBy", problems);
    Set<Key> keys = EnumSet.noneOf(Key.class);
    List<String> names = new ArrayList<>();
    Period period = null;
    for (String part : (grouping == null ? "product,customer,dimension,day" : grouping).split(",", -1)) {
      String name = part.strip().toLowerCase(Locale.ROOT);
      if (names.contains(name)) {
        problems.add("groupBy: names " + name + " twice");
        continue;
      }
      switch (name) {
        case "product", "customer", "dimension", "license", "region" -> keys.add(Key.valueOf(name.toUpperCase(Locale.ROOT)));
        case "hour", "day", "month" -> {
          if (period != null) {
            problems.add("groupBy: has two periods (" + period.name().toLowerCase(Locale.ROOT) + " and " + name
                + "); give at most one of hour, day, month");
            continue;
          }
          period = Period.valueOf(name.toUpperCase(Locale.ROOT));
        }
        default -> {
          problems.add("groupBy: '" + part + "' is not one of " + GROUP_BY);
          continue;
        }
      }
      names.add(name);
    }
    if (!problems.isEmpty()) {
      throw new BadRequestException(String.join("; ", problems));
    }
    return new UsageReport(from, to, productCode, customer, dimension, state, keys, names, period, csv);
  }

  private static String text(HttpFront.Request r, String name, List<String> problems) {
    String value = r.param(name).orElse(null);
    if (value != null && value.isBlank()) {
      problems.add(name + ": must not be empty");
      return null;
    }
    return value;
  }

  private static Instant time(HttpFront.Request r, String name, List<String> problems, Instant otherwise) {
    String value = text(r, name, problems);
    if (value == null) {
      return otherwise;
    }
    try {
      return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      problems.add(name + ": '" + value + "' is not a date (2026-03-01) or an ISO-8601 instant (2026-03-31T23:00:00Z)");
      return null;
    }
  }

  // -------------------------------------------------------------------------------------- query

  private record Row(long period, String product, String customer, String dimension, String license, long quantity,
      long records) {}

  @FunctionalInterface
  private interface RowSink {
    void accept(Row row) throws IOException;
  }

  /** Runs the query; rows go to {@code sink} one at a time from the cursor. */
  private void rows(Database db, RowSink sink) throws IOException {
    List<Object> args = new ArrayList<>();
    // A record is in when its hour starts in [from, to). Hours are epoch milliseconds here.
    StringBuilder where = new StringBuilder(" WHERE hour >= ? AND hour < ?");
    args.add(from.toEpochMilli());
    args.add(to.toEpochMilli());
    if (!state.equals("all")) {
      where.append(" AND state = ?");
      args.add(state);
    }
    if (productCode != null) {
      where.append(" AND product_code = ?");
      args.add(productCode);
    }
    if (customer != null) {
      where.append(" AND customer = ?");
      args.add(customer);
    }
    if (dimension != null) {
      where.append(" AND dimension = ?");
      args.add(dimension);
    }
    List<String> columns = new ArrayList<>();
    if (period != null) {
      columns.add(switch (period) {
        case HOUR -> "hour";
        case DAY -> "(hour - hour % 86400000)";
        case MONTH -> db.sqlite()
            ? "CAST(strftime('%s', hour / 1000, 'unixepoch', 'start of month') AS INTEGER) * 1000"
            : "CAST(EXTRACT(EPOCH FROM date_trunc('month', to_timestamp(hour / 1000) AT TIME ZONE 'UTC')) AS BIGINT) * 1000";
      });
    }
    for (Key key : List.of(Key.PRODUCT, Key.CUSTOMER, Key.DIMENSION, Key.LICENSE)) {
      if (keys.contains(key)) {
        columns.add(switch (key) {
          case PRODUCT -> "product_code";
          case CUSTOMER -> "customer";
          case DIMENSION -> "dimension";
          default -> "license_arn";
        });
      }
    }
    StringBuilder positions = new StringBuilder();
    for (int i = 1; i <= columns.size(); i++) {
      positions.append(i == 1 ? "" : ", ").append(i);
    }
    String sql = "SELECT " + (columns.isEmpty() ? "" : String.join(", ", columns) + ", ")
        + "COALESCE(SUM(quantity), 0), COUNT(*) FROM usage_record" + where
        + (columns.isEmpty() ? " HAVING COUNT(*) > 0" : " GROUP BY " + positions + " ORDER BY " + positions);
    try (Connection c = db.readConnection()) {
      boolean postgres = !db.sqlite();
      if (postgres) {
        c.setAutoCommit(false); // pgjdbc streams with a fetch size only inside a transaction
      }
      try (PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
        ps.setFetchSize(FETCH_SIZE);
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            int i = 1;
            long p = period != null ? rs.getLong(i++) : from.toEpochMilli();
            String product = keys.contains(Key.PRODUCT) ? rs.getString(i++) : "";
            String cust = keys.contains(Key.CUSTOMER) ? rs.getString(i++) : "";
            String dim = keys.contains(Key.DIMENSION) ? rs.getString(i++) : "";
            String license = keys.contains(Key.LICENSE) ? rs.getString(i++) : "";
            sink.accept(new Row(p, product, cust, dim, license, rs.getLong(i), rs.getLong(i + 1)));
          }
        }
      } finally {
        if (postgres) {
          c.rollback();
          c.setAutoCommit(true);
        }
      }
    } catch (SQLException e) {
      throw new IOException("usage report failed: " + e.getMessage(), e);
    }
  }

  // ------------------------------------------------------------------------------------ writing

  /** Writes the report; {@code region} is the region of every record (the gateway's upstream), or empty. */
  void write(Database db, String region, OutputStream out) throws IOException {
    if (csv) {
      writeCsv(db, region, out);
    } else {
      writeJson(db, region, out);
    }
  }

  private void writeJson(Database db, String region, OutputStream out) throws IOException {
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("from", from.toString());
      json.writeStringField("to", to.toString());
      json.writeArrayFieldStart("groupBy");
      for (String name : groupBy) {
        json.writeString(name);
      }
      json.writeEndArray();
      json.writeStringField("state", state);
      json.writeArrayFieldStart("rows");
      rows(db, row -> {
        json.writeStartObject();
        if (period != null) {
          json.writeStringField(switch (period) {
            case HOUR -> "usageHour";
            case DAY -> "usageDate";
            case MONTH -> "usageMonth";
          }, period(row.period()));
        }
        if (keys.contains(Key.PRODUCT)) {
          json.writeStringField("productCode", row.product());
        }
        if (keys.contains(Key.CUSTOMER)) {
          json.writeStringField("customerAWSAccountId", row.customer());
        }
        if (keys.contains(Key.DIMENSION)) {
          json.writeStringField("dimension", row.dimension());
        }
        if (keys.contains(Key.LICENSE) && !row.license().isEmpty()) {
          json.writeStringField("licenseArn", row.license());
        }
        if (keys.contains(Key.REGION)) {
          json.writeStringField("region", region);
        }
        json.writeNumberField("quantity", row.quantity());
        json.writeNumberField("records", row.records());
        json.writeEndObject();
      });
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  private void writeCsv(Database db, String region, OutputStream out) throws IOException {
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 8192);
    List<String> header = new ArrayList<>();
    if (period != null) {
      header.add(switch (period) {
        case HOUR -> "usage_hour";
        case DAY -> "usage_date";
        case MONTH -> "usage_month";
      });
    }
    for (Key key : Key.values()) {
      if (keys.contains(key)) {
        header.add(switch (key) {
          case PRODUCT -> "product_code";
          case CUSTOMER -> "customer_account_id";
          case DIMENSION -> "dimension_key";
          case LICENSE -> "license_arn";
          case REGION -> "region";
        });
      }
    }
    header.add("usage_quantity");
    header.add("record_count");
    w.write(String.join(",", header));
    w.write("\r\n");
    rows(db, row -> {
      if (period != null) {
        w.write(period(row.period()));
        w.write(',');
      }
      if (keys.contains(Key.PRODUCT)) {
        cell(w, row.product());
      }
      if (keys.contains(Key.CUSTOMER)) {
        cell(w, row.customer());
      }
      if (keys.contains(Key.DIMENSION)) {
        cell(w, row.dimension());
      }
      if (keys.contains(Key.LICENSE)) {
        cell(w, row.license());
      }
      if (keys.contains(Key.REGION)) {
        cell(w, region);
      }
      w.write(Long.toString(row.quantity()));
      w.write(',');
      w.write(Long.toString(row.records()));
      w.write("\r\n");
    });
    w.flush();
  }

  private String period(long epochMilli) {
    Instant start = Instant.ofEpochMilli(epochMilli);
    return switch (period) {
      case HOUR -> start.toString();
      case DAY -> LocalDate.ofInstant(start, ZoneOffset.UTC).toString();
      case MONTH -> LocalDate.ofInstant(start, ZoneOffset.UTC).toString().substring(0, 7);
    };
  }

  private static void cell(Writer w, String value) throws IOException {
    if (value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      w.write('"');
      w.write(value.replace("\"", "\"\""));
      w.write('"');
    } else {
      w.write(value);
    }
    w.write(',');
  }
}
