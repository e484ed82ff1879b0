package io.meterbridge.server.e2e;

import static io.meterbridge.server.e2e.TestServer.AMI;
import static io.meterbridge.server.e2e.TestServer.BUYER;
import static io.meterbridge.server.e2e.TestServer.BUYER_KEY;
import static io.meterbridge.server.e2e.TestServer.SAAS;
import static io.meterbridge.server.e2e.TestServer.SECRET;
import static io.meterbridge.server.e2e.TestServer.SELLER_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.exception.MeteringServiceException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResult;
import io.meterbridge.model.UsageRecordResultStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Two servers, each with its own store and connection pool, share one PostgreSQL schema as two
 * server processes would: dedup holds across them because the database enforces it.
 */
class SharedPostgresTest {
  @Test
  void twoServersOnOneDatabase_overlappingRecords_areStoredOnceAndAnsweredAlike() throws Exception {
    String schema = "mb_shared_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    try (TestServer first = TestServer.postgres(schema, false);
         TestServer second = TestServer.postgres(schema, true)) {
      Instant hour = first.clock().instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
      // The same 10 batches (20 distinct hour keys) go to both servers at once, from four callers.
      List<BatchMeterUsageRequest> batches = new ArrayList<>();
      for (int b = 0; b < 10; b++) {
        List<UsageRecord> records = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          records.add(UsageRecord.builder().timestamp(hour.minus(Duration.ofHours(b)))
              .customerAwsAccountId(BUYER).dimension(i == 0 ? "users" : "storage_gb").quantity(b + 1).build());
        }
        batches.add(BatchMeterUsageRequest.of(SAAS, records));
      }
      Set<String> ids = ConcurrentHashMap.newKeySet();
      ExecutorService callers = Executors.newFixedThreadPool(4);
      List<Future<List<UsageRecordResult>>> answers = new ArrayList<>();
      for (TestServer server : List.of(first, second, first, second)) {
        answers.add(callers.submit((Callable<List<UsageRecordResult>>) () -> {
          List<UsageRecordResult> results = new ArrayList<>();
          try (WireClient seller = MeterbridgeWireClient.FACTORY.create(server.endpoint(), "us-east-1", SELLER_KEY, SECRET)) {
            for (BatchMeterUsageRequest batch : batches) {
              results.addAll(seller.batchMeterUsage(batch).results());
            }
          }
          return results;
        }));
      }
      List<List<UsageRecordResult>> all = new ArrayList<>();
      for (Future<List<UsageRecordResult>> answer : answers) {
        all.add(answer.get());
      }
      callers.shutdown();

      for (List<UsageRecordResult> results : all) {
        assertThat(results).allSatisfy(r -> assertThat(r.status()).contains(UsageRecordResultStatus.SUCCESS));
        results.forEach(r -> ids.add(r.meteringRecordId().orElseThrow()));
        assertThat(results.stream().map(r -> r.meteringRecordId().orElseThrow()).toList())
            .isEqualTo(all.get(0).stream().map(r -> r.meteringRecordId().orElseThrow()).toList());
      }
      assertThat(ids).hasSize(20);
      assertThat(first.store().counts().batchRecords()).isEqualTo(20);
    }
  }

  @Test
  void twoServersOnOneDatabase_conflictingMeterUsage_billsTheFirstOnly() {
    String schema = "mb_shared_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    try (TestServer first = TestServer.postgres(schema, false);
         TestServer second = TestServer.postgres(schema, true);
         WireClient a = MeterbridgeWireClient.FACTORY.create(first.endpoint(), "us-east-1", BUYER_KEY, SECRET);
         WireClient b = MeterbridgeWireClient.FACTORY.create(second.endpoint(), "us-east-1", BUYER_KEY, SECRET)) {
      Instant at = first.clock().instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
      MeterUsageRequest.Builder request = MeterUsageRequest.builder().productCode(AMI).timestamp(at)
          .usageDimension("vcpu_hours");
      String id = a.meterUsage(request.usageQuantity(3).build()).meteringRecordId().orElseThrow();

      assertThat(b.meterUsage(request.usageQuantity(3).build()).meteringRecordId()).contains(id);
      try {
        b.meterUsage(request.usageQuantity(4).build());
        throw new AssertionError("a different quantity in the same hour must be refused");
      } catch (MeteringServiceException e) {
        assertThat(e.errorCode()).isEqualTo("DuplicateRequestException");
      }
      assertThat(second.store().counts().meterRecords()).isEqualTo(1);
    }
  }
}
