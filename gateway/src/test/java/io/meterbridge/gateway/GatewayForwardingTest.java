package io.meterbridge.gateway;

import static io.meterbridge.gateway.Upstream.CUSTOMER;
import static io.meterbridge.gateway.Upstream.CUSTOMER_2;
import static io.meterbridge.gateway.Upstream.PRODUCT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded gateway on SQLite, forwarding to a real Meterbridge server on loopback. */
class GatewayForwardingTest {
  @TempDir Path dir;
  private Upstream upstream;
  private Gateway gateway;
  private final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));

  @BeforeEach
  void start() {
    upstream = Upstream.start(dir, Optional.empty());
    gateway = Gateway.builder()
        .dataDir(dir.resolve("gateway"))
        .product(Upstream.CATALOG.get(0))
        .product(Upstream.CATALOG.get(1))
        .upstream(upstream.client())
        .quota(50)
        .start();
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close();
  }

  @Test
  void events_ofOneKeyAndHour_areSentAsOneRecordWithTheirSum() {
    List<IngestResult> results = gateway.ingest(List.of(
        event("e1", CUSTOMER, "users", 3, hour.plusSeconds(10)),
        event("e2", CUSTOMER, "users", 4, hour.plusSeconds(20)),
        event("e3", CUSTOMER, "users", 5, hour.plusSeconds(3000)),
        event("e4", CUSTOMER_2, "users", 7, hour.plusSeconds(30))));

    assertThat(results).extracting(IngestResult::status).containsOnly(IngestStatus.ACCEPTED);
    awaitTrue(() -> upstream.records().size() == 2);
    assertThat(upstream.records()).extracting(Upstream.Stored::customer, Upstream.Stored::quantity,
        Upstream.Stored::hour).containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(CUSTOMER, 12, hour),
            org.assertj.core.groups.Tuple.tuple(CUSTOMER_2, 7, hour));
    awaitTrue(() -> gateway.records(RecordQuery.builder().state(RecordState.SENT).build()).records().size() == 2);
    LedgerRecord record = gateway.records(RecordQuery.builder().customer(CUSTOMER).build()).records().get(0);
    assertThat(record.quantity()).isEqualTo(12);
    assertThat(record.events()).isEqualTo(3);
    assertThat(record.state()).isEqualTo(RecordState.SENT);
    assertThat(record.meteringRecordId()).contains(upstream.records().stream()
        .filter(r -> r.customer().equals(CUSTOMER)).findFirst().orElseThrow().meteringRecordId());
    assertThat(gateway.event("e2", Optional.empty())).get()
        .satisfies(t -> assertThat(t.record().id()).isEqualTo(record.id()))
        .satisfies(t -> assertThat(t.carried()).isFalse());
  }

  @Test
  void ingest_sameIdAgain_isDuplicateOrConflictAndChangesNothing() {
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
    awaitTrue(() -> upstream.records().size() == 1);
    assertThat(upstream.records().get(0).quantity()).isEqualTo(5);
  }

  @Test
  void lateEvent_forAnHourAlreadySent_isCarriedIntoTheNextHour() {
    gateway.ingest(List.of(event("e1", CUSTOMER, "users", 3, hour.plusSeconds(60))));
    awaitTrue(() -> upstream.records().size() == 1);

    List<IngestResult> late = gateway.ingest(List.of(event("late", CUSTOMER, "users", 2, hour.plusSeconds(120))));

    assertThat(late).extracting(IngestResult::status).containsExactly(IngestStatus.ACCEPTED);
    awaitTrue(() -> upstream.records().size() == 2);
    assertThat(upstream.records()).extracting(Upstream.Stored::hour, Upstream.Stored::quantity)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(hour, 3),
            org.assertj.core.groups.Tuple.tuple(hour.plus(Duration.ofHours(1)), 2));
    EventTrace trace = gateway.event("late", Optional.of(PRODUCT)).orElseThrow();
    assertThat(trace.carried()).isTrue();
    assertThat(trace.usageHour()).isEqualTo(hour);
    assertThat(trace.record().hour()).isEqualTo(hour.plus(Duration.ofHours(1)));
    assertThat(trace.record().carriedIn()).isEqualTo(2);
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
