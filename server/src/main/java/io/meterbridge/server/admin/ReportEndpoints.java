package io.meterbridge.server.admin;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.meterbridge.server.catalog.CatalogRules;
import io.meterbridge.server.catalog.JsonInput;
import io.meterbridge.server.http.PlainRequest;
import io.meterbridge.server.http.PlainResponse;
import io.meterbridge.server.store.Store;
import io.meterbridge.server.store.UsageReportQuery;
import io.meterbridge.server.store.UsageReportQuery.Key;
import io.meterbridge.server.store.UsageReportQuery.Period;
import io.meterbridge.server.store.UsageSum;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;

/**
 * {@code GET /admin/reports/usage}: the stored records summed per period and key, streamed as JSON
 * or as CSV whose columns carry the names of AWS's Daily Usage data feed where they mean the same.
 * The parameters are checked before anything is sent (400 naming every wrong one); the rows come
 * from the store's cursor and go out in chunks as they are written.
 */
final class ReportEndpoints {
  static final String CSV = "text/csv; charset=utf-8";
  private static final JsonFactory JSON = new JsonFactory();
  private static final Set<String> QUERY = Set.of("from", "to", "productCode", "customer", "dimension", "groupBy",
      "format");
  private static final String GROUP_BY = "product, customer, dimension, license, region and at most one of hour, day, month";

  private final Store store;
  private final Executor executor;

  ReportEndpoints(Store store, Executor executor) {
    this.store = store;
    this.executor = executor;
  }

  PlainResponse usage(PlainRequest request) {
    JsonInput.Problems problems = new JsonInput.Problems();
    for (String name : request.queryNames()) {
      if (!QUERY.contains(name)) {
        problems.add(name, "is not a known query parameter; expected some of " + new TreeSet<>(QUERY));
      }
    }
    UsageReportQuery.Builder q = UsageReportQuery.builder();
    Instant from = time(request, "from", problems);
    Instant to = time(request, "to", problems);
    if (from != null) {
      q.from(from);
    }
    if (to != null) {
      q.to(to);
    }
    if (from != null && to != null && !from.isBefore(to)) {
      problems.add("from", from + " must be before to (" + to + ")");
    }
    String productCode = QueryParameters.text(request, "productCode", problems);
    if (productCode != null && !CatalogRules.isProductCode(productCode)) {
      problems.add("productCode", "'" + productCode + "' is not " + CatalogEndpoints.PRODUCT_CODE);
    } else if (productCode != null) {
      q.productCode(productCode);
    }
    String customer = QueryParameters.text(request, "customer", problems);
    if (customer != null && !CatalogRules.isAccountId(customer)) {
      problems.add("customer", "'" + customer + "' is not " + CatalogEndpoints.ACCOUNT_ID
          + " (the customer's AWS account id)");
    } else if (customer != null) {
      q.customer(customer);
    }
    String dimension = QueryParameters.text(request, "dimension", problems);
    if (dimension != null && dimension.length() > 255) {
      problems.add("dimension", "is longer than 255 characters");
    } else if (dimension != null) {
      q.dimension(dimension);
    }
    List<String> groupBy = groupBy(request, problems, q);
    String format = QueryParameters.text(request, "format", problems);
    boolean csv = false;
    if (format != null) {
      switch (format.toLowerCase(Locale.ROOT)) {
        case "json" -> csv = false;
        case "csv" -> csv = true;
        default -> problems.add("format", "'" + format + "' is not json or csv");
      }
    }
    if (!problems.isEmpty()) {
      throw AdminException.invalid(problems.list().stream().map(JsonInput.Problem::toString).toList());
    }
    UsageReportQuery query = q.build();
    if (csv) {
      return PlainResponse.streamed(200, CSV, executor, out -> csv(query, out))
          .withHeader("Content-Disposition", "attachment; filename=\"usage-report.csv\"")
          .withHeader("Cache-Control", "no-store");
    }
    return PlainResponse.streamed(200, PlainResponse.JSON, executor, out -> json(query, groupBy, out))
        .withHeader("Cache-Control", "no-store");
  }

  /** The grouping; default {@code product,customer,dimension,day}. */
  private static List<String> groupBy(PlainRequest request, JsonInput.Problems problems, UsageReportQuery.Builder q) {
    String text = QueryParameters.text(request, "groupBy", problems);
    if (text == null) {
      text = "product,customer,dimension,day";
    }
    List<String> names = new ArrayList<>();
    Period period = null;
    for (String part : text.split(",", -1)) {
      String name = part.strip().toLowerCase(Locale.ROOT);
      if (names.contains(name)) {
        problems.add("groupBy", "names " + name + " twice");
        continue;
      }
      switch (name) {
        case "product" -> q.groupBy(Key.PRODUCT);
        case "customer" -> q.groupBy(Key.CUSTOMER);
        case "dimension" -> q.groupBy(Key.DIMENSION);
        case "license" -> q.groupBy(Key.LICENSE);
        case "region" -> q.groupBy(Key.REGION);
        case "hour", "day", "month" -> {
          if (period != null) {
            problems.add("groupBy", "has two periods (" + period.name().toLowerCase(Locale.ROOT) + " and " + name
                + "); give at most one of hour, day, month");
            continue;
          }
          period = Period.valueOf(name.toUpperCase(Locale.ROOT));
          q.period(period);
        }
        default -> {
          problems.add("groupBy", "'" + part + "' is not one of " + GROUP_BY);
          continue;
        }
      }
      names.add(name);
    }
    return names;
  }

  // ------------------------------------------------------------------------------ writing

  private void json(UsageReportQuery query, List<String> groupBy, OutputStream out) throws IOException {
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("from", query.from().toString());
      json.writeStringField("to", query.to().toString());
      json.writeArrayFieldStart("groupBy");
      for (String name : groupBy) {
        json.writeString(name);
      }
      json.writeEndArray();
      json.writeArrayFieldStart("rows");
      store.usageReport(query, row -> {
        json.writeStartObject();
        if (query.period().isPresent()) {
          json.writeStringField(switch (query.period().get()) {
            case HOUR -> "usageHour";
            case DAY -> "usageDate";
            case MONTH -> "usageMonth";
          }, period(query.period().get(), row.period()));
        }
        if (query.groups(Key.PRODUCT)) {
          json.writeStringField("productCode", row.productCode());
        }
        if (query.groups(Key.CUSTOMER)) {
          json.writeStringField("customerAWSAccountId", row.customer());
        }
        if (query.groups(Key.DIMENSION)) {
          json.writeStringField("dimension", row.dimension());
        }
        if (query.groups(Key.LICENSE) && !row.licenseArn().isEmpty()) {
          json.writeStringField("licenseArn", row.licenseArn());
        }
        if (query.groups(Key.REGION)) {
          json.writeStringField("region", row.region());
        }
        json.writeNumberField("quantity", row.quantity());
        json.writeNumberField("records", row.records());
        json.writeEndObject();
      });
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  /**
   * CSV (RFC 4180, CRLF line ends), one header line. Columns named as in the Daily Usage data feed
   * where they mean the same: {@code usage_date}, {@code dimension_key}, {@code usage_quantity},
   * {@code region}; ours otherwise.
   */
  private void csv(UsageReportQuery query, OutputStream out) throws IOException {
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 8192);
    List<String> header = new ArrayList<>();
    query.period().ifPresent(p -> header.add(switch (p) {
      case HOUR -> "usage_hour";
      case DAY -> "usage_date";
      case MONTH -> "usage_month";
    }));
    if (query.groups(Key.PRODUCT)) {
      header.add("product_code");
    }
    if (query.groups(Key.CUSTOMER)) {
      header.add("customer_account_id");
    }
    if (query.groups(Key.DIMENSION)) {
      header.add("dimension_key");
    }
    if (query.groups(Key.LICENSE)) {
      header.add("license_arn");
    }
    if (query.groups(Key.REGION)) {
      header.add("region");
    }
    header.add("usage_quantity");
    header.add("record_count");
    w.write(String.join(",", header));
    w.write("\r\n");
    store.usageReport(query, row -> {
      if (query.period().isPresent()) {
        w.write(period(query.period().get(), row.period()));
        w.write(',');
      }
      if (query.groups(Key.PRODUCT)) {
        cell(w, row.productCode());
      }
      if (query.groups(Key.CUSTOMER)) {
        cell(w, row.customer());
      }
      if (query.groups(Key.DIMENSION)) {
        cell(w, row.dimension());
      }
      if (query.groups(Key.LICENSE)) {
        cell(w, row.licenseArn());
      }
      if (query.groups(Key.REGION)) {
        cell(w, row.region());
      }
      w.write(Long.toString(row.quantity()));
      w.write(',');
      w.write(Long.toString(row.records()));
      w.write("\r\n");
    });
    w.flush();
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

  /** The period as AWS writes dates: an instant for an hour, {@code 2026-03-31}, {@code 2026-03}. */
  static String period(Period period, Instant start) {
    return switch (period) {
      case HOUR -> start.toString();
      case DAY -> LocalDate.ofInstant(start, ZoneOffset.UTC).toString();
      case MONTH -> LocalDate.ofInstant(start, ZoneOffset.UTC).toString().substring(0, 7);
    };
  }

  // ----------------------------------------------------------------------------- parameters


  /** An instant, or a date (its midnight, UTC). */
  private static Instant time(PlainRequest request, String name, JsonInput.Problems problems) {
    String text = QueryParameters.text(request, name, problems);
    if (text == null) {
      return null;
    }
    try {
      return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
    } catch (DateTimeParseException e) {
      problems.add(name, "'" + text + "' is not a date (2026-03-01) or an ISO-8601 instant (2026-03-31T23:00:00Z)");
      return null;
    }
  }
}
