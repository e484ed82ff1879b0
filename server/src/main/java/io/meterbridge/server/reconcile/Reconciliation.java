package io.meterbridge.server.reconcile;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link Reconciler} found: how many keys were compared and matched, every difference, and
 * what to do about each: a draft billing-adjustment request (over-billing), a top-up usage event
 * for the gateway (under-billing inside the window), or the reason neither is possible.
 * {@link #writeJson} writes all of it; {@link #writeTopUps} the events alone, as a gateway's
 * {@code POST /v1/usage} body.
 */
public final class Reconciliation {
  /** The license part of a key whose agreement has no mapping. */
  static final String UNMAPPED = "unmapped agreement ";
  private static final JsonFactory JSON = new JsonFactory();

  /** What a difference is. */
  public enum Kind {
    /** We metered usage the feed does not show: under-billing. */
    MISSING_AT_AWS("missing-at-aws"),
    /** The feed shows usage we never metered: over-billing. */
    MISSING_HERE("missing-here"),
    /** Both have usage, in other quantities. */
    QUANTITY_DIFFERS("quantity-differs");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  /** What is compared: one UTC day of one product, license (empty: by product code), region and dimension. */
  public record Key(LocalDate usageDate, String productCode, String license, String region, String dimension) {
    static final Comparator<Key> ORDER = Comparator.comparing(Key::usageDate).thenComparing(Key::productCode)
        .thenComparing(Key::license).thenComparing(Key::region).thenComparing(Key::dimension);
  }

  /**
   * One difference beyond the tolerance.
   *
   * @param difference AWS's quantity minus ours: positive is over-billing
   * @param customers up to two of our customers with usage under the key
   * @param moreCustomers whether there were more than those
   */
  public record Difference(Key key, Kind kind, long ours, BigDecimal aws, BigDecimal difference, String agreementId,
      String productId, List<Integer> feedLines, String currency, BigDecimal ratePerUnit, String licenseArn,
      List<String> customers, boolean moreCustomers) {
    public boolean overBilled() {
      return difference.signum() > 0;
    }

    public Optional<BigDecimal> rate() {
      return Optional.ofNullable(ratePerUnit);
    }
  }

  /** A usage event for the gateway that bills what AWS is missing. */
  public record TopUp(Difference difference, String id, String customer, long quantity, Instant timestamp) {}

  /** An under-billing that cannot be topped up, and why. */
  public record Lost(Difference difference, String reason) {}

  private final int feedRows;
  private final LocalDate firstDay;
  private final LocalDate lastDay;
  private final int compared;
  private final int matched;
  private final boolean licensesCompared;
  private final List<Difference> differences;
  private final List<TopUp> topUps = new ArrayList<>();
  private final List<Lost> lost = new ArrayList<>();
  private final Instant now;

  Reconciliation(int feedRows, LocalDate firstDay, LocalDate lastDay, int compared, int matched,
      boolean licensesCompared, List<Difference> differences, Instant now, Duration margin) {
    this.feedRows = feedRows;
    this.firstDay = firstDay;
    this.lastDay = lastDay;
    this.compared = compared;
    this.matched = matched;
    this.licensesCompared = licensesCompared;
    this.differences = List.copyOf(differences);
    this.now = now;
    for (Difference d : differences) {
      if (!d.overBilled()) {
        underBilled(d, margin);
      }
    }
  }

  private void underBilled(Difference d, Duration margin) {
    long quantity = d.difference().negate().setScale(0, RoundingMode.FLOOR).longValueExact();
    if (quantity < 1) {
      lost.add(new Lost(d, "less than one unit is missing; AWS quantities are whole numbers"));
      return;
    }
    if (d.customers().size() != 1 || d.moreCustomers()) {
      lost.add(new Lost(d, "the usage is of " + (d.moreCustomers() ? "more than 2" : d.customers().size())
          + " customers " + d.customers() + " and the feed does not say whose is missing: top it up by hand"));
      return;
    }
    Instant dayEnd = d.key().usageDate().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    // The day's last hour has the latest deadline. A day not over yet (a feed of today) cannot use
    // it, a future time: its first second instead. Either way the same on every run, so that a
    // second run's event is the same event (same id, same content), a duplicate to the gateway.
    Instant dayStart = d.key().usageDate().atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant timestamp = now.isBefore(dayEnd) ? dayStart : dayEnd.minusSeconds(1);
    Instant deadline = deadline(timestamp.truncatedTo(ChronoUnit.HOURS));
    if (!now.plus(margin).isBefore(deadline)) {
      lost.add(new Lost(d, "AWS's window for " + d.key().usageDate() + " closes at " + deadline
          + " (less than " + margin.toMinutes() + " minutes from " + now + "); the usage can no longer be billed"));
      return;
    }
    topUps.add(new TopUp(d, "reconcile-" + d.key().usageDate() + "-" + hash(d.key().toString()).substring(0, 16),
        d.customers().get(0), quantity, timestamp));
  }

  /** BatchMeterUsage's deadline for an hour: 24 hours on, and 06:00 UTC on the 1st for the month before. */
  static Instant deadline(Instant hour) {
    LocalDate day = LocalDate.ofInstant(hour, ZoneOffset.UTC);
    Instant monthEnd = day.withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant()
        .plus(Duration.ofHours(6));
    Instant dayLater = hour.plus(Duration.ofHours(24));
    return dayLater.isBefore(monthEnd) ? dayLater : monthEnd;
  }

  public int feedRows() {
    return feedRows;
  }

  public int compared() {
    return compared;
  }

  public int matched() {
    return matched;
  }

  public List<Difference> differences() {
    return differences;
  }

  public List<Difference> overBilled() {
    return differences.stream().filter(Difference::overBilled).toList();
  }

  public List<TopUp> topUps() {
    return List.copyOf(topUps);
  }

  public List<Lost> lost() {
    return List.copyOf(lost);
  }

  /** One line for a person: what was compared and what was found. */
  public String summary() {
    if (feedRows == 0) {
      return "The feed has no usage rows: nothing compared.";
    }
    return "Compared " + compared + " day/product/" + (licensesCompared ? "license/" : "") + "region/dimension sums of "
        + firstDay + (lastDay.equals(firstDay) ? "" : " to " + lastDay) + " (" + feedRows + " feed rows): "
        + matched + " match, " + differences.size() + " differ: " + overBilled().size()
        + " over-billed (adjustment drafts), " + topUps.size() + " under-billed to top up, " + lost.size()
        + " under-billed that cannot be topped up.";
  }

  // ---------------------------------------------------------------------------------- JSON

  /** The whole result: counts, differences, adjustment drafts, top-up events and lost usage. */
  public void writeJson(OutputStream out) throws IOException {
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("summary", summary());
      json.writeNumberField("feedRows", feedRows);
      if (firstDay != null) {
        json.writeStringField("firstDay", firstDay.toString());
        json.writeStringField("lastDay", lastDay.toString());
      }
      json.writeNumberField("compared", compared);
      json.writeNumberField("matched", matched);
      json.writeStringField("tolerance", Reconciler.TOLERANCE.toPlainString());
      json.writeBooleanField("licensesCompared", licensesCompared);
      json.writeStringField("now", now.toString());
      json.writeArrayFieldStart("differences");
      for (Difference d : differences) {
        json.writeStartObject();
        difference(json, d);
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("adjustmentDrafts");
      for (Difference d : overBilled()) {
        adjustment(json, d);
      }
      json.writeEndArray();
      json.writeFieldName("topUps");
      topUpBody(json);
      json.writeArrayFieldStart("notToppedUp");
      for (Lost l : lost) {
        json.writeStartObject();
        difference(json, l.difference());
        json.writeStringField("reason", l.reason());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  /** The top-ups as a gateway ingest body: {@code {"events": [...]}}. */
  public void writeTopUps(OutputStream out) throws IOException {
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      topUpBody(json);
    }
  }

  private void topUpBody(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeArrayFieldStart("events");
    for (TopUp t : topUps) {
      Difference d = t.difference();
      json.writeStartObject();
      json.writeStringField("id", t.id());
      json.writeStringField("productCode", d.key().productCode());
      json.writeStringField("customerAWSAccountId", t.customer());
      if (!d.licenseArn().isEmpty()) {
        json.writeStringField("licenseArn", d.licenseArn());
      }
      json.writeStringField("dimension", d.key().dimension());
      json.writeNumberField("quantity", t.quantity());
      json.writeStringField("timestamp", t.timestamp().toString());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void difference(JsonGenerator json, Difference d) throws IOException {
    json.writeStringField("kind", d.kind().wire());
    json.writeStringField("billing", d.overBilled() ? "over" : "under");
    json.writeStringField("usageDate", d.key().usageDate().toString());
    json.writeStringField("productCode", d.key().productCode());
    if (!d.productId().isEmpty() && !d.productId().equals(d.key().productCode())) {
      json.writeStringField("productId", d.productId());
    }
    if (!d.agreementId().isEmpty()) {
      json.writeStringField("agreementId", d.agreementId());
    }
    if (!d.licenseArn().isEmpty()) {
      json.writeStringField("licenseArn", d.licenseArn());
    }
    json.writeStringField("region", d.key().region());
    json.writeStringField("dimension", d.key().dimension());
    json.writeNumberField("ourQuantity", d.ours());
    json.writeStringField("awsQuantity", d.aws().toPlainString());
    json.writeStringField("difference", d.difference().toPlainString());
    json.writeArrayFieldStart("customers");
    for (String c : d.customers()) {
      json.writeString(c);
    }
    json.writeEndArray();
    json.writeArrayFieldStart("feedLines");
    for (int line : d.feedLines()) {
      json.writeNumber(line);
    }
    json.writeEndArray();
  }

  /**
   * A draft entry of AWS's BatchCreateBillingAdjustmentRequest (Agreement Service): the fields the
   * request takes, filled as far as the feed allows, and under {@code review} what a person must
   * check or fill in before sending it.
   */
  private void adjustment(JsonGenerator json, Difference d) throws IOException {
    BigDecimal over = d.difference();
    List<String> review = new ArrayList<>();
    json.writeStartObject();
    json.writeStringField("clientToken", "mb-" + hash(d.key() + "|" + d.aws().toPlainString() + "|" + d.ours())
        .substring(0, 32));
    json.writeStringField("agreementId", d.agreementId());
    if (d.agreementId().isEmpty()) {
      review.add("agreementId: the feed names no agreement for this usage; find it in the Agreements feed");
    }
    json.writeStringField("originalInvoiceId", "");
    review.add("originalInvoiceId: the invoice that billed " + d.key().usageDate().withDayOfMonth(1).toString()
        .substring(0, 7) + " usage of this agreement (ListAgreementInvoiceLineItems); metered usage is invoiced at"
        + " the start of the next month, so wait for it");
    if (d.rate().isPresent()) {
      json.writeStringField("adjustmentAmount", over.multiply(d.rate().get()).setScale(2, RoundingMode.HALF_UP)
          .toPlainString());
    } else {
      json.writeStringField("adjustmentAmount", "");
      review.add("adjustmentAmount: the feed gives no usage_rate_per_unit_in_pricing_currency; price "
          + over.toPlainString() + " units at the offer's rate");
    }
    json.writeStringField("currencyCode", d.currency().isEmpty() ? "USD" : d.currency());
    if (d.currency().isEmpty()) {
      review.add("currencyCode: the feed gives no pricing_currency; USD assumed");
    }
    json.writeStringField("adjustmentReasonCode", "INCORRECT_METERING");
    String description = "Over-billed " + over.toPlainString() + " " + d.key().dimension() + " on "
        + d.key().usageDate() + " (" + d.key().region() + "): AWS billed " + d.aws().toPlainString()
        + ", our meter sent " + d.ours();
    json.writeStringField("description", description.length() > 250 ? description.substring(0, 250) : description);
    json.writeArrayFieldStart("review");
    for (String r : review) {
      json.writeString(r);
    }
    json.writeEndArray();
    json.writeObjectFieldStart("evidence");
    difference(json, d);
    json.writeEndObject();
    json.writeEndObject();
  }

  private static String hash(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
