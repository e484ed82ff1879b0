package io.meterbridge.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.client.MeteringClient;
import io.meterbridge.exception.TimestampOutOfBoundsException;
import io.meterbridge.junit5.EmbeddedMeterbridge;
import io.meterbridge.junit5.MeterbridgeTest;
import io.meterbridge.junit5.Reset;
import io.meterbridge.model.UsageRecord;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

@MeterbridgeTest(reset = Reset.PER_TEST) // the demo catalog; seed = "seed.json" loads your own
class UsageReportingTest {

  @Test
  void usage_isStored(MeteringClient client, EmbeddedMeterbridge meterbridge) {
    client.batchMeterUsage(b -> b.productCode("demo-saas").usageRecords(users(5, Instant.now())));

    assertThat(meterbridge.batchRecords("demo-saas")).singleElement()
        .satisfies(record -> assertThat(record.quantity()).isEqualTo(5));
  }

  @Test
  void usageOlderThanTheWindow_isRefused(MeteringClient client, EmbeddedMeterbridge meterbridge) {
    Instant now = Instant.now();
    meterbridge.shiftClock(Duration.ofHours(25)); // the server's clock, not the JVM's

    assertThatThrownBy(() -> client.batchMeterUsage(b -> b.productCode("demo-saas").usageRecords(users(1, now))))
        .isInstanceOf(TimestampOutOfBoundsException.class);
  }

  @Test
  void throttling_isRetriedByTheClient(MeteringClient client, EmbeddedMeterbridge meterbridge) {
    meterbridge.faults("{\"rules\": [{\"operation\": \"BatchMeterUsage\", \"kind\": \"throttle\", \"count\": 2}]}");

    client.batchMeterUsage(b -> b.productCode("demo-saas").usageRecords(users(1, Instant.now())));

    assertThat(meterbridge.faults().status().get(0).fired()).isEqualTo(2);
    assertThat(meterbridge.batchRecords("demo-saas")).hasSize(1);
  }

  private static UsageRecord users(int quantity, Instant at) {
    return UsageRecord.builder().timestamp(at).customerIdentifier("demo-customer-1").dimension("users")
        .quantity(quantity).build();
  }
}
