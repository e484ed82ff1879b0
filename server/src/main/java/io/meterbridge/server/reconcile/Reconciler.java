package io.meterbridge.server.reconcile;

import io.meterbridge.server.store.Store;
import io.meterbridge.server.store.UsageReportQuery;
import io.meterbridge.server.store.UsageSum;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Compares a Daily Usage data feed with the usage we metered: our {@code Success} quantities
 * (stored records) summed per UTC day, product, license, region and dimension, against the feed's
 * {@code usage_quantity} summed the same way, within {@link #TOLERANCE}. The customer is not part
 * of the key: the feed names customers by per-seller salted ids, which cannot be matched with
 * account ids.
 *
 * <pre>{@code
 * Reconciliation result = Reconciler.builder()
 *     .product("prod-3y2ewx3ww2vbc", "demo-saas")            // the feed's product_id → our product code
 *     .agreement("agmt-1a2b3c", "arn:aws:license-manager::111122223333:license:l-1")
 *     .now(clock.instant())
 *     .build()
 *     .reconcile(feedReader, store::usageReport);
 * }</pre>
 *
 * <p>Licenses are compared only when agreements are mapped (the feed names an agreement, we a
 * license; the Agreements feed links the two); without mappings the comparison is per product.
 * Every difference beyond the tolerance is reported. Over-billing (AWS shows more) can only be
 * corrected by AWS: each becomes a draft billing-adjustment request for a person to review.
 * Under-billing (AWS shows less) becomes a top-up usage event for the gateway while the hour it
 * would be sent for is inside AWS's window, and is reported as lost otherwise.
 */
public final class Reconciler {
  /** Differences this small are rounding: the feed has two decimals. */
  public static final BigDecimal TOLERANCE = new BigDecimal("0.01");
  /** A top-up is proposed only if the gateway has at least this long before the window closes. */
  public static final Duration TOP_UP_MARGIN = Duration.ofMinutes(30);

  /** Reads our usage for a report query; {@link Store#usageReport} is one. */
  @FunctionalInterface
  public interface OurUsage {
    void read(UsageReportQuery query, Store.UsageSink sink) throws IOException;
  }

  private static final String REPORT_GROUPING = "day,product,customer,dimension,license,region";
  private static final List<String> REPORT_COLUMNS = List.of("usage_date", "product_code", "customer_account_id",
      "dimension_key", "license_arn", "region", "usage_quantity", "record_count");

  private final Map<String, String> products;
  private final Map<String, String> agreements;
  private final Instant now;

  private Reconciler(Builder b) {
    this.products = Map.copyOf(b.products);
    this.agreements = Map.copyOf(b.agreements);
    this.now = Objects.requireNonNull(b.now, "now must be set: the time that decides which top-ups are still possible");
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The query whose rows {@link #reconcile} needs for the days {@code [from, to)}: records grouped by
   * day, product, customer, dimension, license and region.
   */
  public static UsageReportQuery query(LocalDate from, LocalDate to) {
    return UsageReportQuery.builder()
        .from(from.atStartOfDay(ZoneOffset.UTC).toInstant())
        .to(to.atStartOfDay(ZoneOffset.UTC).toInstant())
        .period(UsageReportQuery.Period.DAY)
        .groupBy(UsageReportQuery.Key.PRODUCT).groupBy(UsageReportQuery.Key.CUSTOMER)
        .groupBy(UsageReportQuery.Key.DIMENSION).groupBy(UsageReportQuery.Key.LICENSE)
        .groupBy(UsageReportQuery.Key.REGION)
        .build();
  }

  /**
   * The query string of {@code GET /admin/reports/usage} that answers {@code query} (one of
   * {@link #query}'s) as CSV: how a reconciliation away from the store gets our usage.
   */
  public static String reportParameters(UsageReportQuery query) {
    return "from=" + query.from() + "&to=" + query.to() + "&groupBy=" + REPORT_GROUPING + "&format=csv";
  }

  /**
   * Reads the CSV answer of {@link #reportParameters} into sums for {@code sink}.
   *
   * @throws IOException if it cannot be read, or is not such a report
   */
  public static void readReport(Reader csv, Store.UsageSink sink) throws IOException {
    DailyUsageFeed.CsvReader reader = new DailyUsageFeed.CsvReader(csv);
    List<String> header;
    try {
      header = reader.next();
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    if (header == null || !header.equals(REPORT_COLUMNS)) {
      throw new IOException("not a usage report of the columns " + REPORT_COLUMNS + ": " + header);
    }
    List<String> cells;
    while (true) {
      try {
        cells = reader.next();
      } catch (java.io.UncheckedIOException e) {
        throw e.getCause();
      }
      if (cells == null) {
        return;
      }
      if (cells.size() != REPORT_COLUMNS.size()) {
        throw new IOException("line " + reader.line() + " of the usage report has " + cells.size() + " cells, not "
            + REPORT_COLUMNS.size());
      }
      try {
        sink.accept(new UsageSum(LocalDate.parse(cells.get(0)).atStartOfDay(ZoneOffset.UTC).toInstant(), cells.get(1),
            cells.get(2), cells.get(3), cells.get(4), cells.get(5), Long.parseLong(cells.get(6)),
            Long.parseLong(cells.get(7))));
      } catch (RuntimeException e) {
        throw new IOException("line " + reader.line() + " of the usage report cannot be read: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Reads the feed, then our usage for the feed's days, and compares them.
   *
   * @throws FeedException if the feed cannot be read (every problem, by line)
   * @throws IOException if our usage cannot be read
   */
  public Reconciliation reconcile(Reader feed, OurUsage ours) throws IOException {
    List<DailyUsageFeed.Row> rows = DailyUsageFeed.read(feed);
    Map<Reconciliation.Key, Theirs> theirs = new TreeMap<>(Reconciliation.Key.ORDER);
    LocalDate first = null;
    LocalDate last = null;
    for (DailyUsageFeed.Row row : rows) {
      String product = products.getOrDefault(row.productId(), row.productId());
      String license = agreements.isEmpty() || row.agreementId().isEmpty() ? ""
          : agreements.getOrDefault(row.agreementId(), Reconciliation.UNMAPPED + row.agreementId());
      Reconciliation.Key key = new Reconciliation.Key(row.usageDate(), product, license, row.region(), row.dimension());
      theirs.computeIfAbsent(key, k -> new Theirs()).add(row);
      first = first == null || row.usageDate().isBefore(first) ? row.usageDate() : first;
      last = last == null || row.usageDate().isAfter(last) ? row.usageDate() : last;
    }
    Map<Reconciliation.Key, Ours> ourSums = new TreeMap<>(Reconciliation.Key.ORDER);
    if (first != null) {
      ours.read(query(first, last.plusDays(1)), (UsageSum sum) -> {
        String license = agreements.isEmpty() ? "" : sum.licenseArn();
        Reconciliation.Key key = new Reconciliation.Key(LocalDate.ofInstant(sum.period(), ZoneOffset.UTC),
            sum.productCode(), license, sum.region(), sum.dimension());
        ourSums.computeIfAbsent(key, k -> new Ours()).add(sum);
      });
    }
    List<Reconciliation.Difference> differences = new ArrayList<>();
    int matched = 0;
    TreeMap<Reconciliation.Key, Boolean> keys = new TreeMap<>(Reconciliation.Key.ORDER);
    theirs.keySet().forEach(k -> keys.put(k, true));
    ourSums.keySet().forEach(k -> keys.put(k, true));
    for (Reconciliation.Key key : keys.keySet()) {
      Theirs aws = theirs.get(key);
      Ours we = ourSums.get(key);
      BigDecimal awsQuantity = aws == null ? BigDecimal.ZERO : aws.quantity;
      long ourQuantity = we == null ? 0 : we.quantity;
      BigDecimal difference = awsQuantity.subtract(BigDecimal.valueOf(ourQuantity));
      if (difference.abs().compareTo(TOLERANCE) <= 0) {
        matched++;
        continue;
      }
      differences.add(new Reconciliation.Difference(key, aws == null ? Reconciliation.Kind.MISSING_AT_AWS
          : we == null ? Reconciliation.Kind.MISSING_HERE : Reconciliation.Kind.QUANTITY_DIFFERS,
          ourQuantity, awsQuantity, difference,
          aws == null ? "" : aws.agreementId, aws == null ? "" : aws.productId,
          aws == null ? List.of() : List.copyOf(aws.lines),
          aws == null ? "" : aws.currency, aws == null ? null : aws.rate,
          we == null ? "" : we.licenseArn, we == null ? List.of() : List.copyOf(we.customers), we != null && we.more));
    }
    return new Reconciliation(rows.size(), first, last, keys.size(), matched, !agreements.isEmpty(), differences, now,
        TOP_UP_MARGIN);
  }

  /** The feed's rows of one key. */
  private static final class Theirs {
    BigDecimal quantity = BigDecimal.ZERO;
    final List<Integer> lines = new ArrayList<>();
    String agreementId = "";
    String productId = "";
    String currency = "";
    BigDecimal rate;

    void add(DailyUsageFeed.Row row) {
      quantity = quantity.add(row.quantity());
      lines.add(row.line());
      agreementId = row.agreementId();
      productId = row.productId();
      if (!row.currency().isEmpty()) {
        currency = row.currency();
      }
      if (row.ratePerUnit().isPresent()) {
        rate = row.ratePerUnit().get();
      }
    }
  }

  /** Our records of one key: the sum and who they were for (a top-up needs one customer). */
  private static final class Ours {
    long quantity;
    String licenseArn = "";
    final List<String> customers = new ArrayList<>(2);
    boolean more;

    void add(UsageSum sum) {
      quantity += sum.quantity();
      licenseArn = sum.licenseArn();
      if (!customers.contains(sum.customer())) {
        if (customers.size() < 2) {
          customers.add(sum.customer());
        } else {
          more = true;
        }
      }
    }
  }

  /** Builds {@link Reconciler}s. */
  public static final class Builder {
    private final Map<String, String> products = new TreeMap<>();
    private final Map<String, String> agreements = new TreeMap<>();
    private Instant now;

    private Builder() {}

    /** The feed's {@code product_id} of one of our product codes; unmapped ids are taken as product codes. */
    public Builder product(String productId, String productCode) {
      products.put(Objects.requireNonNull(productId, "productId"), Objects.requireNonNull(productCode, "productCode"));
      return this;
    }

    /** The license of one of the feed's {@code agreement_id}s; with none, licenses are not compared. */
    public Builder agreement(String agreementId, String licenseArn) {
      agreements.put(Objects.requireNonNull(agreementId, "agreementId"), Objects.requireNonNull(licenseArn, "licenseArn"));
      return this;
    }

    /** Now: which hours are still inside AWS's window for a top-up. Required. */
    public Builder now(Instant now) {
      this.now = Objects.requireNonNull(now, "now");
      return this;
    }

    public Reconciler build() {
      return new Reconciler(this);
    }
  }
}
