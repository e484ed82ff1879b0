package io.meterbridge.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.client.MeteringAsyncClient;
import io.meterbridge.client.MeteringClient;
import io.meterbridge.exception.DisabledApiException;
import io.meterbridge.exception.TimestampOutOfBoundsException;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResultStatus;
import io.meterbridge.server.seed.DemoCatalog;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@MeterbridgeTest
class DemoCatalogTest {
  private static EmbeddedMeterbridge started;

  @BeforeEach
  void freshStart(EmbeddedMeterbridge meterbridge) {
    // PER_CLASS: each test here asks for its own clean state.
    meterbridge.reset();
  }

  @Test
  void injectedClient_isTheDemoSeller_onLoopback(MeteringClient client, EmbeddedMeterbridge meterbridge) {
    started = meterbridge;
    assertThat(meterbridge.endpoint().toString()).startsWith("http://127.0.0.1:");
    assertThat(meterbridge.accessKeyId()).isEqualTo(DemoCatalog.SELLER_ACCESS_KEY_ID);
    assertThat(client.endpoint()).isEqualTo(meterbridge.endpoint());

    BatchMeterUsageResponse response = client.batchMeterUsage(b -> b.productCode(DemoCatalog.SAAS_PRODUCT)
        .usageRecords(record(Instant.now(), 3)));

    assertThat(response.results()).singleElement()
        .satisfies(r -> assertThat(r.status()).contains(UsageRecordResultStatus.SUCCESS));
    assertThat(meterbridge.batchRecords(DemoCatalog.SAAS_PRODUCT)).singleElement()
        .satisfies(row -> assertThat(row.quantity()).isEqualTo(3));
  }

  @Test
  void shiftClock_movesTheServersWindow(MeteringClient client, EmbeddedMeterbridge meterbridge) {
    Instant now = Instant.now();
    meterbridge.shiftClock(Duration.ofHours(25));

    assertThat(meterbridge.now()).isAfter(now.plus(Duration.ofHours(24)));
    assertThatThrownBy(() -> client.batchMeterUsage(b -> b.productCode(DemoCatalog.SAAS_PRODUCT)
        .usageRecords(record(now, 1))))
        .isInstanceOf(TimestampOutOfBoundsException.class);
  }

  @Test
  void faults_areInjectedAndCounted(MeteringClient client, EmbeddedMeterbridge meterbridge) {
    meterbridge.faults("{\"rules\": [{\"operation\": \"BatchMeterUsage\", \"kind\": \"disabled-api\", \"count\": 1}]}");

    assertThatThrownBy(() -> client.batchMeterUsage(b -> b.productCode(DemoCatalog.SAAS_PRODUCT)
        .usageRecords(record(Instant.now(), 1))))
        .isInstanceOf(DisabledApiException.class);
    assertThat(meterbridge.faults().status()).singleElement().satisfies(s -> assertThat(s.fired()).isEqualTo(1));
    assertThat(meterbridge.batchRecords(DemoCatalog.SAAS_PRODUCT)).isEmpty();
  }

  @Test
  void reset_forgetsRecordsClockAndFaults_onTheSamePort(MeteringClient client, EmbeddedMeterbridge meterbridge) {
    int port = meterbridge.endpoint().getPort();
    client.batchMeterUsage(b -> b.productCode(DemoCatalog.SAAS_PRODUCT).usageRecords(record(Instant.now(), 1)));
    meterbridge.shiftClock(Duration.ofHours(2));
    meterbridge.faults("{\"rules\": [{\"operation\": \"*\", \"kind\": \"throttle\", \"probability\": 1}]}");

    meterbridge.reset();

    assertThat(meterbridge.endpoint().getPort()).isEqualTo(port);
    assertThat(meterbridge.batchRecords(DemoCatalog.SAAS_PRODUCT)).isEmpty();
    assertThat(meterbridge.clock().offset()).isZero();
    assertThat(meterbridge.faults().plan().rules()).isEmpty();
    // The client given out before the reset still works.
    assertThat(client.batchMeterUsage(b -> b.productCode(DemoCatalog.SAAS_PRODUCT)
        .usageRecords(record(Instant.now(), 1))).results())
        .singleElement().satisfies(r -> assertThat(r.status()).contains(UsageRecordResultStatus.SUCCESS));
  }

  @Test
  void buyersClient_meterUsageOfTheAmi(EmbeddedMeterbridge meterbridge) {
    MeteringClient buyer = meterbridge.client(DemoCatalog.BUYER_ACCESS_KEY_ID);

    assertThat(buyer.meterUsage(b -> b.productCode(DemoCatalog.AMI_PRODUCT).timestamp(Instant.now())
        .usageDimension("vcpu_hours").usageQuantity(2)).meteringRecordId()).isPresent();
    assertThat(meterbridge.meterRecords(DemoCatalog.AMI_PRODUCT)).hasSize(1);
  }

  @Test
  void asyncClient_isInjectedToo(MeteringAsyncClient client) {
    assertThat(client.resolveCustomer(DemoCatalog.REGISTRATION_TOKEN).join().customerAwsAccountId())
        .contains(DemoCatalog.BUYER_ACCOUNT_ID);
  }

  @Test
  void clientForAnUnknownKey_saysWhatToDo(EmbeddedMeterbridge meterbridge) {
    assertThatThrownBy(() -> meterbridge.client("AKIDNOTTHERE"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("access key 'AKIDNOTTHERE' is not in the catalog; load it first (load(TestCatalog) or the seed file)");
  }

  @Nested
  class InANestedClass {
    @Test
    void sharesTheOuterClassesServer(EmbeddedMeterbridge meterbridge) {
      if (started != null) {
        assertThat(meterbridge).isSameAs(started);
      }
      assertThat(meterbridge.accessKeyId()).isEqualTo(DemoCatalog.SELLER_ACCESS_KEY_ID);
    }
  }

  private static UsageRecord record(Instant timestamp, int quantity) {
    return UsageRecord.builder().timestamp(timestamp).customerIdentifier(DemoCatalog.CUSTOMER_IDENTIFIER)
        .dimension("users").quantity(quantity).build();
  }
}
