package io.meterbridge.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.server.admin.AdminTestServer.Reply;
import io.meterbridge.server.store.BatchRow;
import io.meterbridge.server.store.MeterRow;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /admin/reports/usage} on a real server: sums checked against records written to the
 * store, each grouping and filter, CSV, reports longer than one chunk, and every parameter mistake.
 */
abstract class ReportWireScenarios {
  static final String SELLER = "111111111111";
  static final String ALICE = "222222222222";
  static final String BOB = "333333333333";
  static final String LICENSE = "arn:aws:license-manager::111111111111:license:l-alice";
  static final Instant MAR31_10 = Instant.parse("2026-03-31T10:00:00Z");

  @TempDir
  Path dir;
  AdminTestServer server;

  abstract AdminTestServer startServer(Path dir);

  @BeforeEach
  void start() {
    server = startServer(dir);
    assertThat(server.post("/admin/accounts", "{\"accountId\":\"" + SELLER + "\"}").status()).isEqualTo(201);
    product("prod-a", "us-east-1");
    product("prod-b", "eu-west-1");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  void product(String code, String region) {
    Reply reply = server.post("/admin/products", "{\"productCode\":\"" + code + "\",\"seller\":\"" + SELLER
        + "\",\"type\":\"SAAS\",\"region\":\"" + region + "\",\"dimensions\":[\"users\",\"gb\"]}");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
  }

  static BatchRow batch(String product, String customer, String dimension, Instant at, int quantity, String license) {
    BatchRow.Builder b = BatchRow.builder().meteringRecordId(UUID.randomUUID().toString()).productCode(product)
        .customerAccountId(customer).dimension(dimension).timestamp(at).quantity(quantity).fingerprint("f" + quantity)
        .callerAccountId(SELLER).receivedAt(at);
    if (license != null) {
      b.licenseArn(license);
    }
    return b.build();
  }

  void store(List<BatchRow> rows) {
    server.store().meterBatch(rows).join();
  }

  /** Alice: prod-a users 3 + 4 on Mar 31 (two hours), 5 on Apr 1; gb 7. Bob: prod-a users 10; prod-b users 2. */
  void seed() {
    store(List.of(
        batch("prod-a", ALICE, "users", MAR31_10.plusSeconds(60), 3, LICENSE),
        batch("prod-a", ALICE, "users", MAR31_10.plusSeconds(3600 + 5), 4, LICENSE),
        batch("prod-a", ALICE, "users", Instant.parse("2026-04-01T00:30:00Z"), 5, LICENSE),
        batch("prod-a", ALICE, "gb", MAR31_10, 7, LICENSE),
        batch("prod-a", BOB, "users", MAR31_10.plusSeconds(120), 10, null),
        batch("prod-b", BOB, "users", MAR31_10.plusSeconds(7200), 2, null)));
  }

  List<Map<String, Object>> rows(String query) {
    Reply reply = server.get("/admin/reports/usage" + query);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).isEqualTo("application/json");
    return reply.list("rows");
  }

  @Test
  void usage_byDefault_sumsPerProductCustomerDimensionAndDay() {
    seed();

    List<Map<String, Object>> rows = rows("");

    assertThat(rows).containsExactly(
        Map.of("usageDate", "2026-03-31", "productCode", "prod-a", "customerAWSAccountId", ALICE, "dimension", "gb",
            "quantity", 7L, "records", 1L),
        Map.of("usageDate", "2026-03-31", "productCode", "prod-a", "customerAWSAccountId", ALICE, "dimension", "users",
            "quantity", 7L, "records", 2L),
        Map.of("usageDate", "2026-03-31", "productCode", "prod-a", "customerAWSAccountId", BOB, "dimension", "users",
            "quantity", 10L, "records", 1L),
        Map.of("usageDate", "2026-03-31", "productCode", "prod-b", "customerAWSAccountId", BOB, "dimension", "users",
            "quantity", 2L, "records", 1L),
        Map.of("usageDate", "2026-04-01", "productCode", "prod-a", "customerAWSAccountId", ALICE, "dimension", "users",
            "quantity", 5L, "records", 1L));
  }

  @Test
  void usage_filteredAndByHour_keepsTheRangeAndTheFilters() {
    seed();

    List<Map<String, Object>> rows = rows("?productCode=prod-a&customer=" + ALICE
        + "&dimension=users&from=2026-03-31T10:00:00Z&to=2026-04-01T00:00:00Z&groupBy=hour");

    assertThat(rows).containsExactly(
        Map.of("usageHour", "2026-03-31T10:00:00Z", "quantity", 3L, "records", 1L),
        Map.of("usageHour", "2026-03-31T11:00:00Z", "quantity", 4L, "records", 1L));
  }

  @Test
  void usage_byMonthLicenseAndRegion_joinsTheProductsRegion() {
    seed();

    List<Map<String, Object>> rows = rows("?groupBy=month,license,region");

    assertThat(rows).containsExactly(
        Map.of("usageMonth", "2026-03", "region", "eu-west-1", "quantity", 2L, "records", 1L),
        Map.of("usageMonth", "2026-03", "region", "us-east-1", "quantity", 10L, "records", 1L),
        Map.of("usageMonth", "2026-03", "licenseArn", LICENSE, "region", "us-east-1", "quantity", 14L, "records", 3L),
        Map.of("usageMonth", "2026-04", "licenseArn", LICENSE, "region", "us-east-1", "quantity", 5L, "records", 1L));
  }

  @Test
  void usage_countsMeterUsageRecordsUnderTheCallersAccount() {
    seed();
    server.store().meterUsage(MeterRow.builder().meteringRecordId(UUID.randomUUID().toString()).productCode("prod-b")
        .callerIdentity("i-0123").callerAccountId(BOB).dimension("users").timestamp(MAR31_10).quantity(6)
        .fingerprint("m6").requestFingerprint("r6").receivedAt(MAR31_10).build()).join();

    List<Map<String, Object>> rows = rows("?productCode=prod-b&groupBy=customer");

    assertThat(rows).containsExactly(Map.of("customerAWSAccountId", BOB, "quantity", 8L, "records", 2L));
  }

  @Test
  void usage_nothingStored_isAnEmptyReport() {
    Reply reply = server.get("/admin/reports/usage?groupBy=");
    assertThat(reply.status()).isEqualTo(400);

    assertThat(rows("?groupBy=day")).isEmpty();
    assertThat(rows("?groupBy=product")).isEmpty();
  }

  @Test
  void usage_csv_hasTheDataFeedsColumnNames() {
    seed();

    Reply reply = server.get("/admin/reports/usage?format=csv&groupBy=day,product,dimension,region&productCode=prod-a");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).isEqualTo("text/csv; charset=utf-8");
    assertThat(reply.header("Content-Disposition")).isEqualTo("attachment; filename=\"usage-report.csv\"");
    assertThat(reply.body()).isEqualTo("""
        usage_date,product_code,dimension_key,region,usage_quantity,record_count\r
        2026-03-31,prod-a,gb,us-east-1,7,1\r
        2026-03-31,prod-a,users,us-east-1,17,3\r
        2026-04-01,prod-a,users,us-east-1,5,1\r
        """);
  }

  @Test
  void usage_manyRows_streamInChunksAndArriveWhole() {
    // 6,000 hourly rows: about ten times the first chunk, so the body goes out in many chunks.
    List<BatchRow> rows = new ArrayList<>();
    for (int h = 0; h < 6_000; h++) {
      rows.add(batch("prod-a", ALICE, "users", MAR31_10.plusSeconds(3600L * h), h % 100, null));
    }
    store(rows);

    Reply csv = server.get("/admin/reports/usage?format=csv&groupBy=hour");
    Reply json = server.get("/admin/reports/usage?groupBy=hour");

    assertThat(csv.header("Transfer-Encoding")).isEqualTo("chunked");
    String[] lines = csv.body().split("\r\n");
    assertThat(lines).hasSize(6_001);
    assertThat(lines[1]).isEqualTo("2026-03-31T10:00:00Z,0,1");
    assertThat(lines[6_000]).isEqualTo(MAR31_10.plusSeconds(3600L * 5_999) + ",99,1");
    assertThat(json.list("rows")).hasSize(6_000);
    assertThat(json.list("rows").stream().mapToLong(r -> (Long) r.get("quantity")).sum()).isEqualTo(60 * 99 * 100 / 2);
    // The connection is still good for the next request.
    assertThat(server.get("/admin/stats").status()).isEqualTo(200);
  }

  @Test
  void usage_badParameters_are400NamingEach() {
    Reply reply = server.get("/admin/reports/usage?from=yesterday&to=2026-03-01&customer=alice&productCode=a%20b"
        + "&groupBy=product,week,day,month&format=xml&limit=5");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.text("error")).isEqualTo("InvalidRequest");
    assertThat(reply.text("message")).contains(
        "limit: is not a known query parameter",
        "from: 'yesterday' is not a date (2026-03-01) or an ISO-8601 instant",
        "customer: 'alice' is not a 12-digit AWS account id",
        "productCode: 'a b' is not",
        "groupBy: 'week' is not one of product, customer, dimension, license, region and at most one of hour, day, month",
        "groupBy: has two periods (day and month)",
        "format: 'xml' is not json or csv");
    assertThat(server.get("/admin/reports/usage?from=2026-04-01&to=2026-03-01").text("message"))
        .contains("from: 2026-04-01T00:00:00Z must be before to (2026-03-01T00:00:00Z)");
    assertThat(server.send("GET", "/admin/reports/usage", null, null).status()).isEqualTo(401);
  }

  // ------------------------------------------------------------------------- reconciliation

  static final String FEED = String.join("\r\n",
      "usage_feed_id,usage_date,product_id,agreement_id,end_user_account_id,payer_account_id,region,dimension_key,"
          + "usage_unit,usage_quantity,pricing_currency,estimated_revenue_in_pricing_currency,"
          + "usage_rate_per_unit_in_pricing_currency,offer_id",
      "uf-1,2026-03-31,prod-a,agmt-1,salt-1,salt-p,us-east-1,users,Units,17.00,USD,1.70,0.10,offer-1",
      "uf-2,2026-03-31,prod-a,agmt-1,salt-1,salt-p,us-east-1,gb,Units,9.00,USD,0.90,0.10,offer-1", "");

  @Test
  void reconcile_feedAgainstStoredRecords_reportsEachDifferenceAndDraftsAnAdjustment() {
    seed();

    Reply reply = server.send("POST", "/admin/reconcile", FEED, "Bearer " + AdminTestServer.TOKEN);

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    Map<String, Object> json = reply.json();
    assertThat(json).containsEntry("feedRows", 2L).containsEntry("compared", 3L).containsEntry("matched", 1L)
        .containsEntry("licensesCompared", false);
    assertThat(reply.list("differences")).extracting(d -> d.get("kind") + " " + d.get("productCode") + " "
        + d.get("region") + " " + d.get("dimension") + " ours " + d.get("ourQuantity") + " aws " + d.get("awsQuantity"))
        .containsExactly("quantity-differs prod-a us-east-1 gb ours 7 aws 9.00",
            "missing-at-aws prod-b eu-west-1 users ours 2 aws 0");
    assertThat(reply.list("adjustmentDrafts")).singleElement().satisfies(a -> assertThat(a)
        .containsEntry("agreementId", "agmt-1").containsEntry("adjustmentAmount", "0.20")
        .containsEntry("adjustmentReasonCode", "INCORRECT_METERING"));
    // Mar 31 is long past AWS's window by the server's clock: the missing usage cannot be sent any more.
    assertThat(reply.list("notToppedUp")).singleElement().satisfies(l -> assertThat((String) l.get("reason"))
        .startsWith("AWS's window for 2026-03-31 closes at 2026-04-01T06:00:00Z"));
  }

  @Test
  void reconcile_badInput_is400NamingEachProblem() {
    Reply mappings = server.send("POST", "/admin/reconcile?product=prod-x&agreement=agmt-1=not-an-arn&x=1", FEED,
        "Bearer " + AdminTestServer.TOKEN);
    Reply empty = server.send("POST", "/admin/reconcile", "", "Bearer " + AdminTestServer.TOKEN);
    Reply malformed = server.send("POST", "/admin/reconcile", FEED.replace("17.00", "seventeen"),
        "Bearer " + AdminTestServer.TOKEN);

    assertThat(mappings.status()).isEqualTo(400);
    assertThat(mappings.text("message")).contains("x: is not a known query parameter",
        "product: 'prod-x' is not FEED_PRODUCT_ID=OUR_PRODUCT_CODE",
        "agreement: 'agmt-1=not-an-arn' is not AGREEMENT_ID=LICENSE_ARN");
    assertThat(empty.text("message")).isEqualTo(
        "body: is empty: send the Daily Usage data feed file (CSV) as the body");
    assertThat(malformed.text("message")).isEqualTo(
        "feed: line 2: usage_quantity: 'seventeen' is not a number such as 12.50");
  }
}
