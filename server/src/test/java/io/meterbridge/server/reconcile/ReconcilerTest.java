package io.meterbridge.server.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.server.store.UsageReportQuery;
import io.meterbridge.server.store.UsageSum;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The comparison on its own: feeds written in AWS's format against given sums of ours (the store's
 * part, the report query, is tested on real databases in the report and reconcile wire tests).
 */
class ReconcilerTest {
  static final String ALICE = "222222222222";
  static final String BOB = "333333333333";
  static final String LICENSE = "arn:aws:license-manager::111111111111:license:l-alice";
  static final Instant APR1_10 = Instant.parse("2026-04-01T10:00:00Z");

  final List<UsageSum> ours = new ArrayList<>();
  final List<UsageReportQuery> asked = new ArrayList<>();

  void ours(String day, String product, String customer, String dimension, long quantity, String license) {
    ours.add(new UsageSum(Instant.parse(day + "T00:00:00Z"), product, customer, dimension, license, "us-east-1",
        quantity, 1));
  }

  Reconciliation reconcile(Reconciler.Builder reconciler, DailyUsageFeedFile feed) throws IOException {
    return reconciler.build().reconcile(new StringReader(feed.toString()), (query, sink) -> {
      asked.add(query);
      for (UsageSum sum : ours) {
        sink.accept(sum);
      }
    });
  }

  static String json(Reconciliation result) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    result.writeJson(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void reconcile_equalWithinRounding_matches() throws IOException {
    ours("2026-03-31", "prod-a", ALICE, "users", 10, "");
    ours("2026-03-31", "prod-a", BOB, "users", 5, "");
    DailyUsageFeedFile feed = new DailyUsageFeedFile()
        .row("2026-03-31", "prod-a", "", "us-east-1", "users", "9.00", "0.10")
        .row("2026-03-31", "prod-a", "", "us-east-1", "users", "6.01", "0.10");

    Reconciliation result = reconcile(Reconciler.builder().now(APR1_10), feed);

    assertThat(result.differences()).isEmpty();
    assertThat(result.compared()).isEqualTo(1);
    assertThat(result.matched()).isEqualTo(1);
    assertThat(result.summary()).isEqualTo("Compared 1 day/product/region/dimension sums of 2026-03-31 (2 feed rows):"
        + " 1 match, 0 differ: 0 over-billed (adjustment drafts), 0 under-billed to top up, 0 under-billed that"
        + " cannot be topped up.");
    assertThat(asked).singleElement().satisfies(q -> {
      assertThat(q.from()).isEqualTo(Instant.parse("2026-03-31T00:00:00Z"));
      assertThat(q.to()).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
      assertThat(q.period()).contains(UsageReportQuery.Period.DAY);
    });
  }

  @Test
  void reconcile_awsShowsMore_isOverBilledWithAnAdjustmentDraft() throws IOException {
    ours("2026-03-31", "demo-saas", ALICE, "users", 10, LICENSE);
    DailyUsageFeedFile feed = new DailyUsageFeedFile()
        .row("2026-03-31", "prod-3y2ewx", "agmt-alice", "us-east-1", "users", "12.50", "0.40")
        .row("2026-03-31", "prod-3y2ewx", "agmt-carol", "us-east-1", "users", "3", "0.40");

    Reconciliation result = reconcile(Reconciler.builder().now(APR1_10).product("prod-3y2ewx", "demo-saas")
        .agreement("agmt-alice", LICENSE), feed);

    assertThat(result.differences()).hasSize(2);
    Reconciliation.Difference differs = result.differences().get(0);
    assertThat(differs.kind()).isEqualTo(Reconciliation.Kind.QUANTITY_DIFFERS);
    assertThat(differs.difference()).isEqualByComparingTo("2.50");
    assertThat(differs.key()).isEqualTo(new Reconciliation.Key(java.time.LocalDate.parse("2026-03-31"), "demo-saas",
        LICENSE, "us-east-1", "users"));
    Reconciliation.Difference missing = result.differences().get(1);
    assertThat(missing.kind()).isEqualTo(Reconciliation.Kind.MISSING_HERE);
    assertThat(missing.key().license()).isEqualTo("unmapped agreement agmt-carol");
    assertThat(result.topUps()).isEmpty();
    String json = json(result);
    assertThat(json).contains("\"adjustmentDrafts\":[{\"clientToken\":\"mb-",
        "\"agreementId\":\"agmt-alice\",\"originalInvoiceId\":\"\",\"adjustmentAmount\":\"1.00\",\"currencyCode\":\"USD\","
            + "\"adjustmentReasonCode\":\"INCORRECT_METERING\",\"description\":\"Over-billed 2.50 users on 2026-03-31"
            + " (us-east-1): AWS billed 12.50, our meter sent 10\"",
        "\"agreementId\":\"agmt-carol\",\"originalInvoiceId\":\"\",\"adjustmentAmount\":\"1.20\"",
        "\"review\":[\"originalInvoiceId: the invoice that billed 2026-03 usage of this agreement",
        "\"kind\":\"missing-here\",\"billing\":\"over\",\"usageDate\":\"2026-03-31\",\"productCode\":\"demo-saas\","
            + "\"productId\":\"prod-3y2ewx\",\"agreementId\":\"agmt-carol\"");
  }

  @Test
  void reconcile_weSentMoreInsideTheWindow_becomesATopUpEventForTheGateway() throws IOException {
    ours("2026-03-31", "prod-a", ALICE, "users", 10, "");
    ours("2026-03-31", "prod-a", ALICE, "gb", 4, "");
    DailyUsageFeedFile feed = new DailyUsageFeedFile()
        .row("2026-03-31", "prod-a", "", "us-east-1", "users", "7.00", "0.10");

    // Apr 1 04:00: the window of Mar 31's last hour closes at 06:00 (month end), 2 h away.
    Reconciliation result = reconcile(Reconciler.builder().now(Instant.parse("2026-04-01T04:00:00Z")), feed);

    assertThat(result.differences()).extracting(Reconciliation.Difference::kind)
        .containsExactly(Reconciliation.Kind.MISSING_AT_AWS, Reconciliation.Kind.QUANTITY_DIFFERS);
    assertThat(result.topUps()).extracting(Reconciliation.TopUp::quantity).containsExactly(4L, 3L);
    ByteArrayOutputStream events = new ByteArrayOutputStream();
    result.writeTopUps(events);
    assertThat(events.toString(StandardCharsets.UTF_8)).matches("\\{\"events\":\\[\\{\"id\":\"reconcile-2026-03-31-"
        + "[0-9a-f]{16}\",\"productCode\":\"prod-a\",\"customerAWSAccountId\":\"222222222222\",\"dimension\":\"gb\","
        + "\"quantity\":4,\"timestamp\":\"2026-03-31T23:59:59Z\"},\\{.*\"dimension\":\"users\",\"quantity\":3,.*\\]}");
    // The same difference always gets the same id: the gateway takes a second run as a duplicate.
    Reconciliation again = reconcile(Reconciler.builder().now(Instant.parse("2026-04-01T04:00:00Z")), feed);
    assertThat(again.topUps().get(0).id()).isEqualTo(result.topUps().get(0).id());
  }

  @Test
  void reconcile_underBilledPastTheWindowOrOfSeveralCustomers_isReportedNotToppedUp() throws IOException {
    ours("2026-03-30", "prod-a", ALICE, "users", 10, "");
    ours("2026-03-31", "prod-a", ALICE, "users", 10, "");
    ours("2026-03-31", "prod-a", BOB, "users", 10, "");
    DailyUsageFeedFile feed = new DailyUsageFeedFile()
        .row("2026-03-30", "prod-a", "", "us-east-1", "users", "5", "0.10")
        .row("2026-03-31", "prod-a", "", "us-east-1", "users", "15", "0.10");

    Reconciliation result = reconcile(Reconciler.builder().now(Instant.parse("2026-04-01T04:00:00Z")), feed);

    assertThat(result.topUps()).isEmpty();
    assertThat(result.lost()).extracting(Reconciliation.Lost::reason).containsExactly(
        "AWS's window for 2026-03-30 closes at 2026-03-31T23:00:00Z (less than 30 minutes from 2026-04-01T04:00:00Z);"
            + " the usage can no longer be billed",
        "the usage is of 2 customers [222222222222, 333333333333] and the feed does not say whose is missing: top it"
            + " up by hand");
  }

  @Test
  void deadline_isADayLater_butSixOClockOnTheFirstForTheMonthBefore() {
    assertThat(Reconciliation.deadline(Instant.parse("2026-03-15T10:00:00Z"))).isEqualTo("2026-03-16T10:00:00Z");
    assertThat(Reconciliation.deadline(Instant.parse("2026-03-31T23:00:00Z"))).isEqualTo("2026-04-01T06:00:00Z");
    assertThat(Reconciliation.deadline(Instant.parse("2026-03-31T05:00:00Z"))).isEqualTo("2026-04-01T05:00:00Z");
  }

  @Test
  void reconcile_deletedRowsAndQuotedValuesAndLfLineEnds_areReadAsAwsMeansThem() throws IOException {
    ours("2026-03-31", "prod-a", ALICE, "users, daily", 10, "");
    String feed = new DailyUsageFeedFile()
        .row("2026-03-31", "prod-a", "", "us-east-1", "users, daily", "10", "0.10")
        .row("2026-03-31", "prod-a", "", "us-east-1", "users, daily", "99", "0.10", "2026-04-01 03:00:00")
        .toString().replace("\r\n", "\n");

    Reconciliation result = Reconciler.builder().now(APR1_10).build()
        .reconcile(new StringReader("\ufeff" + feed), (q, sink) -> sink.accept(ours.get(0)));

    assertThat(result.feedRows()).isEqualTo(1);
    assertThat(result.differences()).isEmpty();
  }

  @Test
  void reconcile_malformedFeed_namesEveryProblemByLine() {
    String feed = new DailyUsageFeedFile()
        .row("2026-03-31", "prod-a", "", "us-east-1", "users", "10", "0.10")
        .toString()
        + "\"uf-2\",\"31/03/2026\",\"prod-a\",\"\",\"e\",\"p\",\"us-east-1\",\"users\",\"Units\",\"ten\",\"USD\",\"1\","
        + "\"0.1\",\"o\",\"\",\"\",\"\",\"\",\"\"\r\n"
        + "\"uf-3\",\"2026-03-31\",\"\",\"\",\"e\",\"p\",\"us-east-1\",\"users\",\"Units\",\"-1\"\r\n";

    assertThatThrownBy(() -> Reconciler.builder().now(APR1_10).build().reconcile(new StringReader(feed),
        (q, sink) -> { }))
        .isInstanceOf(FeedException.class)
        .satisfies(e -> assertThat(((FeedException) e).problems()).containsExactly(
            "line 3: usage_date: '31/03/2026' is not a date such as 2026-03-31",
            "line 3: usage_quantity: 'ten' is not a number such as 12.50",
            "line 4: product_id is empty",
            "line 4: usage_quantity: '-1' is negative"));
    assertThatThrownBy(() -> Reconciler.builder().now(APR1_10).build().reconcile(
        new StringReader("date,product,quantity\r\n"), (q, sink) -> { }))
        .isInstanceOf(FeedException.class)
        .hasMessage("line 1: the header has no column usage_date, product_id, region, dimension_key, usage_quantity:"
            + " is this a Daily Usage data feed file? It needs [usage_date, product_id, region, dimension_key,"
            + " usage_quantity]");
  }

  @Test
  void reconcile_emptyFeed_comparesNothing() throws IOException {
    Reconciliation result = reconcile(Reconciler.builder().now(APR1_10), new DailyUsageFeedFile());

    assertThat(result.summary()).isEqualTo("The feed has no usage rows: nothing compared.");
    assertThat(asked).isEmpty();
    assertThat(new BigDecimal("0.01")).isEqualByComparingTo(Reconciler.TOLERANCE);
  }
}
