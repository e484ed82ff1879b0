package io.meterbridge.gateway;

import static io.meterbridge.gateway.Upstream.CUSTOMER;
import static io.meterbridge.gateway.Upstream.CUSTOMER_2;
import static io.meterbridge.gateway.Upstream.IDENTIFIED;
import static io.meterbridge.gateway.Upstream.IDENTIFIER;
import static io.meterbridge.gateway.Upstream.LICENSE;
import static io.meterbridge.gateway.Upstream.LICENSED;
import static io.meterbridge.gateway.Upstream.PRODUCT;
import static io.meterbridge.gateway.Upstream.UNSUBSCRIBED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.Tag;
import io.meterbridge.model.UsageRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the gateway does with events, from ingest to AWS's answer, against a real Meterbridge server
 * on loopback. Run on SQLite and on PostgreSQL.
 */
abstract class GatewayScenarios {
  @TempDir Path dir;
  Upstream upstream;
  Gateway gateway;
  // Three hours back: this hour and the next (where late usage goes) have closed whatever the minute.
  final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));

  /** A builder on this suite's database. */
  abstract Gateway.Builder database(Gateway.Builder builder);

  /** Drops what the database kept (PostgreSQL). */
  void dropDatabase() {}

  @BeforeEach
  void startUpstream() {
    upstream = Upstream.start(dir, Optional.empty());
  }

  Gateway start(Gateway.Builder builder) {
    gateway = database(builder.product(Upstream.CATALOG.get(0)).product(Upstream.CATALOG.get(1)).quota(50)).start();
    return gateway;
  }

  Gateway startForwarding() {
    return start(Gateway.builder().upstream(upstream.client()));
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    upstream.close();
    dropDatabase();
  }

  // ------------------------------------------------------------------------------- summing, sending

  @Test
  void events_ofOneKeyAndHour_areSentAsOneRecordWithTheirSum() {
    startForwarding();
    List<IngestResult> results = gateway.ingest(List.of(
        event("e1", CUSTOMER, "users", 3, hour.plusSeconds(10)),
        event("e2", CUSTOMER, "users", 4, hour.plusSeconds(20)),
        event("e3", CUSTOMER, "users", 5, hour.plusSeconds(3000)),
        event("e4", CUSTOMER_2, "users", 7, hour.plusSeconds(30))));

    assertThat(results).extracting(IngestResult::status).containsOnly(IngestStatus.ACCEPTED);
    awaitTrue(() -> upstream.records().size() == 2);
    assertThat(upstream.records()).extracting(Upstream.Stored::customer, Upstream.Stored::quantity,
        Upstream.Stored::hour).containsExactlyInAnyOrder(tuple(CUSTOMER, 12, hour), tuple(CUSTOMER_2, 7, hour));
    awaitTrue(() -> gateway.records(RecordQuery.builder().state(RecordState.SENT).build()).records().size() == 2);
    LedgerRecord record = gateway.records(RecordQuery.builder().customer(CUSTOMER).build()).records().get(0);
    assertThat(record.quantity()).isEqualTo(12);
    assertThat(record.events()).isEqualTo(3);
    assertThat(record.meteringRecordId()).contains(upstream.records().stream()
        .filter(r -> r.customer().equals(CUSTOMER)).findFirst().orElseThrow().meteringRecordId());
    EventTrace trace = gateway.event("e2", Optional.empty()).orElseThrow();
    assertThat(trace.record().id()).isEqualTo(record.id());
    assertThat(trace.carried()).isFalse();
    assertThat(trace.record().state()).isEqualTo(RecordState.SENT);
  }

  @Test
  void ingest_sameIdAgain_isDuplicateWithSameContentAndConflictOtherwise() {
    startForwarding();
    gateway.ingest(List.of(event("e1", CUSTOMER, "users", 3, hour)));

    List<IngestResult> again = gateway.ingest(List.of(
        event("e1", CUSTOMER, "users", 3, hour),
        event("e1", CUSTOMER, "users", 4, hour),
        event("e5", CUSTOMER, "users", 1, hour),
        event("e5", CUSTOMER, "users", 1, hour),
        event("e6", CUSTOMER, "users", 1, hour),
        event("e6", CUSTOMER, "users", 2, hour)));

    assertThat(again).extracting(IngestResult::status).containsExactly(IngestStatus.DUPLICATE,
        IngestStatus.CONFLICT, IngestStatus.ACCEPTED, IngestStatus.DUPLICATE, IngestStatus.ACCEPTED,
        IngestStatus.CONFLICT);
    assertThat(again.get(1).reason()).get().asString().contains("different content");
    // The first event's hour may have been sent in between: then the rest went to the next hour.
    awaitTrue(() -> upstream.records().stream().mapToInt(Upstream.Stored::quantity).sum() == 5);
    assertThat(gateway.records(RecordQuery.builder().build()).records().stream()
        .mapToLong(LedgerRecord::quantity).sum()).isEqualTo(5);
  }

  @Test
  void retry_afterManyCleanGroups_isStillDuplicateOrConflict() {
    // After a run of groups without a retry, PostgreSQL skips the lookup before inserting, and a
    // retry then makes the writer redo its group with the lookup: the answers must not change.
    start(Gateway.builder().forwarding(false));
    Instant now = Instant.now(); // this hour stays open through the test
    for (int i = 0; i < 40; i++) {
      gateway.ingest(List.of(event("g" + i, CUSTOMER, "users", 1, now)));
    }

    List<IngestResult> again = gateway.ingest(List.of(event("new", CUSTOMER, "users", 1, now),
        event("g3", CUSTOMER, "users", 1, now), event("g4", CUSTOMER, "users", 9, now)));

    assertThat(again).extracting(IngestResult::status).containsExactly(IngestStatus.ACCEPTED,
        IngestStatus.DUPLICATE, IngestStatus.CONFLICT);
    assertThat(gateway.records(RecordQuery.builder().build()).records()).extracting(LedgerRecord::quantity,
        LedgerRecord::events).containsExactly(tuple(41L, 41L));
  }

  @Test
  void lateEvent_forAnHourAlreadySent_isCarriedIntoTheNextHour() {
    startForwarding();
    gateway.ingest(List.of(event("e1", CUSTOMER, "users", 3, hour.plusSeconds(60))));
    awaitTrue(() -> upstream.records().size() == 1);
    awaitTrue(() -> gateway.status().count(RecordState.SENT) == 1);

    List<IngestResult> late = gateway.ingest(List.of(event("late", CUSTOMER, "users", 2, hour.plusSeconds(120))));

    assertThat(late).extracting(IngestResult::status).containsExactly(IngestStatus.ACCEPTED);
    awaitTrue(() -> upstream.records().size() == 2);
    assertThat(upstream.records()).extracting(Upstream.Stored::hour, Upstream.Stored::quantity)
        .containsExactlyInAnyOrder(tuple(hour, 3), tuple(hour.plus(Duration.ofHours(1)), 2));
    EventTrace trace = gateway.event("late", Optional.of(PRODUCT)).orElseThrow();
    assertThat(trace.carried()).isTrue();
    assertThat(trace.usageHour()).isEqualTo(hour);
    assertThat(trace.record().hour()).isEqualTo(hour.plus(Duration.ofHours(1)));
    assertThat(trace.record().carriedIn()).isEqualTo(2);
  }

  @Test
  void quantity_aboveAwsMaximum_sendsTheMaximumAndCarriesTheRest() {
    startForwarding();
    gateway.ingest(List.of(event("big1", CUSTOMER, "users", 2_000_000_000L, hour),
        event("big2", CUSTOMER, "users", 2_000_000_000L, hour.plusSeconds(1))));

    awaitTrue(() -> upstream.records().size() == 2);
    assertThat(upstream.records()).extracting(Upstream.Stored::hour, Upstream.Stored::quantity)
        .containsExactlyInAnyOrder(tuple(hour, Integer.MAX_VALUE),
            tuple(hour.plus(Duration.ofHours(1)), (int) (4_000_000_000L - Integer.MAX_VALUE)));
    LedgerRecord first = gateway.records(RecordQuery.builder().from(hour).to(hour.plusSeconds(1)).build())
        .records().get(0);
    assertThat(first.carriedOut()).isEqualTo(4_000_000_000L - Integer.MAX_VALUE);
  }

  @Test
  void allocations_areSummedPerTagSetAndSentWithTheRecord() {
    startForwarding();
    gateway.ingest(List.of(
        UsageEvent.builder().id("t1").productCode(PRODUCT).customerAwsAccountId(CUSTOMER).dimension("users")
            .quantity(10).timestamp(hour).allocations(Allocation.of(6, Tag.of("team", "a")), Allocation.of(4))
            .build(),
        UsageEvent.builder().id("t2").productCode(PRODUCT).customerAwsAccountId(CUSTOMER).dimension("users")
            .quantity(5).timestamp(hour).allocations(Allocation.of(5, Tag.of("team", "a"))).build(),
        event("t3", CUSTOMER, "users", 1, hour)));

    awaitTrue(() -> gateway.status().count(RecordState.SENT) == 1);
    LedgerRecord record = gateway.records(RecordQuery.builder().build()).records().get(0);
    assertThat(record.quantity()).isEqualTo(16);
    assertThat(record.allocations()).containsExactlyInAnyOrder(Allocation.of(11, Tag.of("team", "a")),
        Allocation.of(5));
    assertThat(upstream.records().get(0).quantity()).isEqualTo(16);
  }

  @Test
  void customerIdentifier_andLicenseArn_goUpstreamAsGiven() {
    startForwarding();
    gateway.ingest(List.of(
        UsageEvent.builder().id("i1").productCode(PRODUCT).customerIdentifier(IDENTIFIER).dimension("users")
            .quantity(2).timestamp(hour).build(),
        UsageEvent.builder().id("l1").productCode(PRODUCT).customerAwsAccountId(LICENSED).licenseArn(LICENSE)
            .dimension("users").quantity(3).timestamp(hour).build()));

    awaitTrue(() -> gateway.status().count(RecordState.SENT) == 2);
    assertThat(upstream.records()).extracting(Upstream.Stored::customer, Upstream.Stored::quantity,
        Upstream.Stored::licenseArn).containsExactlyInAnyOrder(tuple(IDENTIFIED, 2, null), tuple(LICENSED, 3, LICENSE));
  }

  @Test
  void productCodeAndLicenseArn_forOneCustomerHour_theSecondWayIsRejected() {
    startForwarding();
    List<IngestResult> results = gateway.ingest(List.of(
        UsageEvent.builder().id("l1").productCode(PRODUCT).customerAwsAccountId(LICENSED).licenseArn(LICENSE)
            .dimension("users").quantity(3).timestamp(hour).build(),
        UsageEvent.builder().id("p1").productCode(PRODUCT).customerAwsAccountId(LICENSED)
            .dimension("storage_gb").quantity(1).timestamp(hour.plusSeconds(5)).build()));

    assertThat(results).extracting(IngestResult::status).containsExactly(IngestStatus.ACCEPTED,
        IngestStatus.REJECTED);
    assertThat(results.get(1).reason()).get().asString().startsWith("licenseArn: customer account " + LICENSED)
        .contains("bills usage sent both ways twice");
    List<IngestResult> later = gateway.ingest(List.of(UsageEvent.builder().id("p2").productCode(PRODUCT)
        .customerAwsAccountId(LICENSED).dimension("users").quantity(1).timestamp(hour.plusSeconds(9)).build()));
    assertThat(later).extracting(IngestResult::status).containsExactly(IngestStatus.REJECTED);
  }

  @Test
  void upstreamAnswers_notSubscribedAndDuplicateRecord_areFinalStates() {
    // The hour was metered upstream before, with another quantity: AWS answers DuplicateRecord.
    try (var direct = upstream.client()) {
      direct.batchMeterUsage(BatchMeterUsageRequest.of(PRODUCT, List.of(UsageRecord.builder().timestamp(hour)
          .customerAwsAccountId(CUSTOMER_2).dimension("users").quantity(99).build())));
    }
    startForwarding();
    gateway.ingest(List.of(event("n1", UNSUBSCRIBED, "users", 1, hour), event("d1", CUSTOMER_2, "users", 2, hour),
        event("ok", CUSTOMER, "users", 3, hour)));

    awaitTrue(() -> gateway.status().count(RecordState.SENT) == 1
        && gateway.status().count(RecordState.NOT_SUBSCRIBED) == 1
        && gateway.status().count(RecordState.CONFLICT) == 1);
    LedgerRecord conflict = gateway.records(RecordQuery.builder().state(RecordState.CONFLICT).build()).records().get(0);
    assertThat(conflict.customer()).isEqualTo(CUSTOMER_2);
    assertThat(conflict.lastError()).get().asString().startsWith("DuplicateRecord");
    assertThat(upstream.records()).extracting(Upstream.Stored::customer, Upstream.Stored::quantity)
        .containsExactlyInAnyOrder(tuple(CUSTOMER_2, 99), tuple(CUSTOMER, 3));
  }

  @Test
  void oneBadRecord_isIsolatedBySplittingAndHoldsNoOtherBack() {
    startForwarding();
    List<UsageEvent> events = new ArrayList<>();
    events.add(UsageEvent.builder().id("bad").productCode(PRODUCT).customerAwsAccountId(CUSTOMER)
        .licenseArn("arn:aws:license-manager::111111111111:license:l-not-theirs").dimension("users").quantity(1)
        .timestamp(hour).build());
    events.add(UsageEvent.builder().id("good").productCode(PRODUCT).customerAwsAccountId(LICENSED).licenseArn(LICENSE)
        .dimension("users").quantity(2).timestamp(hour).build());
    gateway.ingest(events);

    awaitTrue(() -> gateway.status().count(RecordState.SENT) == 1);
    assertThat(upstream.records()).extracting(Upstream.Stored::customer).containsExactly(LICENSED);
    awaitTrue(() -> gateway.records(RecordQuery.builder().customer(CUSTOMER).build()).records().get(0)
        .lastError().isPresent());
    LedgerRecord bad = gateway.records(RecordQuery.builder().customer(CUSTOMER).build()).records().get(0);
    assertThat(bad.state()).isEqualTo(RecordState.CLOSED);
    assertThat(bad.lastError()).get().asString().startsWith("InvalidLicenseException");
  }

  // ------------------------------------------------------------------------------------- rejections

  @Test
  void invalidEvents_areRejectedWithAReasonNamingTheField() {
    start(Gateway.builder().forwarding(false));
    Instant now = Instant.now();
    List<IngestResult> results = gateway.ingest(List.of(
        UsageEvent.builder().id("").productCode(PRODUCT).customerAwsAccountId(CUSTOMER).dimension("users")
            .timestamp(now).build(),
        UsageEvent.builder().id("x".repeat(129)).productCode(PRODUCT).customerAwsAccountId(CUSTOMER)
            .dimension("users").timestamp(now).build(),
        UsageEvent.builder().id("a").productCode("prod-unknown").customerAwsAccountId(CUSTOMER).dimension("users")
            .timestamp(now).build(),
        UsageEvent.builder().id("b").productCode(PRODUCT).customerAwsAccountId(CUSTOMER).dimension("Users")
            .timestamp(now).build(),
        UsageEvent.builder().id("c").productCode(PRODUCT).dimension("users").timestamp(now).build(),
        UsageEvent.builder().id("d").productCode(PRODUCT).customerAwsAccountId(CUSTOMER).customerIdentifier("x")
            .dimension("users").timestamp(now).build(),
        UsageEvent.builder().id("e").productCode(PRODUCT).customerAwsAccountId("12ab").dimension("users")
            .timestamp(now).build(),
        UsageEvent.builder().id("f").productCode(PRODUCT).customerAwsAccountId(CUSTOMER).dimension("users")
            .quantity(-1).timestamp(now).build(),
        UsageEvent.builder().id("g").productCode(PRODUCT).customerAwsAccountId(CUSTOMER).dimension("users")
            .timestamp(now.plus(Duration.ofMinutes(10))).build(),
        UsageEvent.builder().id("h").productCode(PRODUCT).customerAwsAccountId(CUSTOMER).dimension("users")
            .timestamp(now.minus(Duration.ofHours(25))).build(),
        UsageEvent.builder().id("i").productCode(PRODUCT).customerAwsAccountId(CUSTOMER).licenseArn("not-an-arn")
            .dimension("users").timestamp(now).build(),
        UsageEvent.builder().id("j").productCode(PRODUCT).customerAwsAccountId(CUSTOMER).dimension("users")
            .quantity(5).timestamp(now).allocations(Allocation.of(4, Tag.of("team", "a"))).build(),
        UsageEvent.builder().id("k").productCode(PRODUCT).customerAwsAccountId(CUSTOMER).dimension("users")
            .quantity(2).timestamp(now).allocations(Allocation.of(1, Tag.of("team", "a")),
                Allocation.of(1, Tag.of("team", "a"))).build(),
        event("ok", CUSTOMER, "users", 1, now)));

    assertThat(results).extracting(IngestResult::status).containsExactly(
        IngestStatus.REJECTED, IngestStatus.REJECTED, IngestStatus.REJECTED, IngestStatus.REJECTED,
        IngestStatus.REJECTED, IngestStatus.REJECTED, IngestStatus.REJECTED, IngestStatus.REJECTED,
        IngestStatus.REJECTED, IngestStatus.REJECTED, IngestStatus.REJECTED, IngestStatus.REJECTED,
        IngestStatus.REJECTED, IngestStatus.ACCEPTED);
    assertThat(results.subList(0, 13)).extracting(r -> r.reason().orElseThrow().substring(0,
        r.reason().orElseThrow().indexOf(':'))).containsExactly("id", "id", "productCode", "dimension",
        "customerAWSAccountId", "customerAWSAccountId", "customerAWSAccountId", "quantity", "timestamp", "timestamp",
        "licenseArn", "allocations", "allocations[1].tags");
    assertThat(results.get(3).reason()).contains("dimension: 'Users' is not a dimension of product prod-saas;"
        + " its dimensions are [users, storage_gb]");
    assertThat(results.get(9).reason()).get().asString().contains("is past its deadline");
    assertThat(results.get(8).reason()).get().asString().contains("ahead of the gateway's clock");
  }

  // ----------------------------------------------------------------------- deadlines, time travel

  @Test
  void timeTravel_closesTheCurrentHour_andUnsentRecordsAlertThenExpire() {
    start(Gateway.builder().forwarding(false).alertBefore(Duration.ofHours(1)));
    Instant now = Instant.now();
    Instant thisHour = now.truncatedTo(ChronoUnit.HOURS);
    gateway.ingest(List.of(event("now", CUSTOMER, "users", 4, now)));
    assertThat(gateway.status().count(RecordState.OPEN)).isEqualTo(1);

    gateway.clockOffset(Duration.between(now, thisHour.plus(Duration.ofMinutes(75))));
    assertThat(gateway.status().count(RecordState.CLOSED)).isEqualTo(1);
    assertThat(gateway.status().alerts()).isZero();

    gateway.clockOffset(Duration.between(now, thisHour.plus(Duration.ofHours(23).plusMinutes(15))));
    assertThat(gateway.status().alerts()).isEqualTo(1);
    assertThat(gateway.status().count(RecordState.CLOSED)).isEqualTo(1);

    gateway.clockOffset(Duration.between(now, thisHour.plus(Duration.ofHours(24))));
    GatewayStatus status = gateway.status();
    assertThat(status.count(RecordState.EXPIRED)).isEqualTo(1);
    LedgerRecord expired = gateway.records(RecordQuery.builder().state(RecordState.EXPIRED).build()).records().get(0);
    assertThat(expired.quantity()).isEqualTo(4);
    assertThat(expired.lastError()).get().asString().contains("deadline passed");
    assertThat(gateway.ingest(List.of(event("now", CUSTOMER, "users", 4, now))))
        .extracting(IngestResult::status).containsExactly(IngestStatus.DUPLICATE);
  }

  @Test
  void zeroHours_giveEveryKnownCustomerARecordForHoursWithoutUsage() {
    start(Gateway.builder().upstream(upstream.client()).zeroHours(true));
    Instant now = Instant.now();
    gateway.ingest(List.of(event("z1", CUSTOMER, "storage_gb", 5, now)));

    Instant thisHour = now.truncatedTo(ChronoUnit.HOURS);
    // Both clocks travel: the upstream refuses timestamps ahead of its own.
    Duration shift = Duration.between(now, thisHour.plus(Duration.ofMinutes(135)));
    upstream.shiftClock(shift);
    gateway.clockOffset(Duration.between(now, thisHour.plus(Duration.ofMinutes(75)))); // the usage's hour closes
    gateway.clockOffset(shift); // the next hour closes, without usage

    awaitTrue(() -> gateway.status().count(RecordState.SENT) == 2);
    List<LedgerRecord> records = gateway.records(RecordQuery.builder().build()).records();
    assertThat(records).extracting(LedgerRecord::dimension, LedgerRecord::quantity)
        .containsExactlyInAnyOrder(tuple("storage_gb", 5L), tuple("users", 0L));
  }

  // ---------------------------------------------------------------------------------- reports

  @Test
  void usageReport_sumsTheSentRecordsOfTheLedger_inTheServersShape() throws Exception {
    start(Gateway.builder().upstream(upstream.client()).port(0).ingestToken("ingest-token-0123456789")
        .adminToken("admin-token-0123456789"));
    gateway.ingest(List.of(
        event("e1", CUSTOMER, "users", 3, hour.plusSeconds(10)),
        event("e2", CUSTOMER, "users", 4, hour.plusSeconds(20)),
        event("e3", CUSTOMER_2, "users", 7, hour.plusSeconds(30))));
    awaitTrue(() -> gateway.records(RecordQuery.builder().state(RecordState.SENT).build()).records().size() == 2);
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + gateway.port().orElseThrow() + "/admin/reports/usage";
    java.util.function.Function<String, java.net.http.HttpResponse<String>> get = query -> {
      try {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + query))
            .header("Authorization", "Bearer admin-token-0123456789").build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };

    var csv = get.apply("?groupBy=customer,dimension,region&format=csv&productCode=" + PRODUCT);
    var json = get.apply("?groupBy=hour&from=" + hour + "&to=" + hour.plus(Duration.ofHours(1)));
    var open = get.apply("?groupBy=product&state=open");
    var bad = get.apply("?groupBy=week&state=gone");

    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type")).contains("text/csv; charset=utf-8");
    assertThat(csv.headers().firstValue("Transfer-Encoding")).contains("chunked");
    assertThat(csv.body()).isEqualTo("customer_account_id,dimension_key,region,usage_quantity,record_count\r\n"
        + CUSTOMER + ",users,us-east-1,7,1\r\n" + CUSTOMER_2 + ",users,us-east-1,7,1\r\n");
    assertThat(json.body()).isEqualTo("{\"from\":\"" + hour + "\",\"to\":\"" + hour.plus(Duration.ofHours(1))
        + "\",\"groupBy\":[\"hour\"],\"state\":\"sent\",\"rows\":[{\"usageHour\":\"" + hour
        + "\",\"quantity\":14,\"records\":2}]}");
    assertThat(open.body()).endsWith("\"rows\":[]}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("state: 'gone' is not a record state", "groupBy: 'week' is not one of");
  }

  // ------------------------------------------------------------------------------- health, metrics

  @Test
  void metrics_showRecordsByState_upstreamCallsAndErrors_andTheQuota() throws Exception {
    // The upstream throttles the first call: the gateway retries it, and the error is counted.
    java.net.http.HttpResponse<String> fault = http("POST", upstream.endpoint() + "/admin/faults",
        "{\"rules\":[{\"operation\":\"BatchMeterUsage\",\"kind\":\"throttle\",\"count\":1}]}",
        Upstream.ADMIN_TOKEN);
    assertThat(fault.statusCode()).as(fault.body()).isEqualTo(200);
    start(Gateway.builder().upstream(upstream.client()).port(0).ingestToken("metrics-ingest-token-0123456789"));
    gateway.ingest(List.of(event("m1", CUSTOMER, "users", 3, hour.plusSeconds(10)),
        event("m2", UNSUBSCRIBED, "users", 1, hour.plusSeconds(10)),
        event("m3", CUSTOMER, "users", 2, Instant.now())));
    awaitTrue(() -> gateway.status().count(RecordState.SENT) == 1
        && gateway.status().count(RecordState.NOT_SUBSCRIBED) == 1);

    java.net.http.HttpResponse<String> response = http("GET", "http://127.0.0.1:" + gateway.port().orElseThrow()
        + "/metrics", null, null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
    String text = response.body();
    assertThat(metric(text, "meterbridge_gateway_records", "state=\"sent\"")).isEqualTo(1.0);
    assertThat(metric(text, "meterbridge_gateway_records", "state=\"not-subscribed\"")).isEqualTo(1.0);
    assertThat(metric(text, "meterbridge_gateway_records", "state=\"open\"")).isEqualTo(1.0);
    assertThat(metric(text, "meterbridge_gateway_oldest_open_deadline_seconds"))
        .isGreaterThan(Instant.now().getEpochSecond());
    assertThat(metric(text, "meterbridge_gateway_upstream_calls_total")).isGreaterThanOrEqualTo(2.0);
    assertThat(metric(text, "meterbridge_gateway_upstream_errors_total", "code=\"ThrottlingException\""))
        .isEqualTo(1.0);
    assertThat(metric(text, "meterbridge_gateway_quota_per_second")).isEqualTo(50.0);
    assertThat(metric(text, "meterbridge_gateway_quota_in_use")).isNotNull();
    assertThat(metric(text, "jvm_threads_live_threads")).isPositive();
    assertThat(metric(text, "jvm_memory_used_bytes", "area=\"heap\"")).isNotNull();
  }

  @Test
  void health_answersUpWhileTheDatabaseAnswers() throws Exception {
    start(Gateway.builder().forwarding(false).port(0).ingestToken("health-ingest-token-0123456789"));

    java.net.http.HttpResponse<String> response = http("GET", "http://127.0.0.1:" + gateway.port().orElseThrow()
        + "/health", null, null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"status\":\"UP\",\"database\":\"UP\"}");
  }

  static java.net.http.HttpResponse<String> http(String method, String url, String body, String token)
      throws Exception {
    java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
        .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return java.net.http.HttpClient.newHttpClient().send(b.build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the first sample of {@code name} whose labels include every one of {@code labels}. */
  static Double metric(String text, String name, String... labels) {
    return text.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .filter(l -> List.of(labels).stream().allMatch(l::contains)).findFirst()
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(null);
  }

  static UsageEvent event(String id, String customer, String dimension, long quantity, Instant at) {
    return UsageEvent.builder().id(id).productCode(PRODUCT).customerAwsAccountId(customer).dimension(dimension)
        .quantity(quantity).timestamp(at).build();
  }

  static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 30 s");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
