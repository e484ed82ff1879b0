package io.meterbridge.server.e2e;

import static io.meterbridge.server.e2e.TestServer.AGENT;
import static io.meterbridge.server.e2e.TestServer.AMI;
import static io.meterbridge.server.e2e.TestServer.BUYER;
import static io.meterbridge.server.e2e.TestServer.BUYER_EC2_KEY;
import static io.meterbridge.server.e2e.TestServer.BUYER_EKS_KEY;
import static io.meterbridge.server.e2e.TestServer.BUYER_KEY;
import static io.meterbridge.server.e2e.TestServer.BUYER_TASK_KEY;
import static io.meterbridge.server.e2e.TestServer.CONTAINER;
import static io.meterbridge.server.e2e.TestServer.EXPIRED_TOKEN;
import static io.meterbridge.server.e2e.TestServer.INSTANCE;
import static io.meterbridge.server.e2e.TestServer.INSTANCE_KEY_1;
import static io.meterbridge.server.e2e.TestServer.INSTANCE_KEY_2;
import static io.meterbridge.server.e2e.TestServer.LICENSE;
import static io.meterbridge.server.e2e.TestServer.OTHER_SELLER_KEY;
import static io.meterbridge.server.e2e.TestServer.OTHER_TOKEN;
import static io.meterbridge.server.e2e.TestServer.SAAS;
import static io.meterbridge.server.e2e.TestServer.SECRET;
import static io.meterbridge.server.e2e.TestServer.SELLER_KEY;
import static io.meterbridge.server.e2e.TestServer.STRANGER;
import static io.meterbridge.server.e2e.TestServer.STRANGER_KEY;
import static io.meterbridge.server.e2e.TestServer.TOKEN;
import static io.meterbridge.server.e2e.TestServer.WEST_AMI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.meterbridge.auth.UsageClaims;
import io.meterbridge.auth.UsageSignature;
import io.meterbridge.exception.MeteringServiceException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.RegisterUsageResponse;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.model.ResolveCustomerResponse;
import io.meterbridge.model.Tag;
import io.meterbridge.model.UsageAllocation;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResult;
import io.meterbridge.model.UsageRecordResultStatus;
import io.meterbridge.server.store.RecordQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;

import java.util.List;
import org.assertj.core.api.ThrowingConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented behaviour of the four operations, through the wire, with one client against one
 * store. Concrete subclasses pick the client (ours, the AWS SDK) and the store (SQLite, PostgreSQL).
 */
abstract class MeteringScenarios {
  @TempDir Path dir;
  TestServer server;
  WireClient seller;
  WireClient buyer;
  Instant hour;

  abstract TestServer startServer(Path dir);

  abstract WireClient.Factory clients();

  @BeforeEach
  void start() {
    server = startServer(dir);
    seller = client(SELLER_KEY, "us-east-1");
    buyer = client(BUYER_KEY, "us-east-1");
    // Two hours back: inside every window, and far enough from the hour's edges.
    hour = server.clock().instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
  }

  @AfterEach
  void stop() {
    seller.close();
    buyer.close();
    server.close();
  }

  WireClient client(String accessKeyId, String region) {
    return clients().create(server.endpoint(), region, accessKeyId, SECRET);
  }

  UsageRecord.Builder record(String dimension, int quantity) {
    return UsageRecord.builder().timestamp(hour.plus(Duration.ofMinutes(10))).customerAwsAccountId(BUYER)
        .dimension(dimension).quantity(quantity);
  }

  static BatchMeterUsageRequest batch(UsageRecord... records) {
    return BatchMeterUsageRequest.of(SAAS, List.of(records));
  }

  static List<UsageRecordResultStatus> statuses(BatchMeterUsageResponse response) {
    return response.results().stream().map(r -> r.status().orElseThrow()).toList();
  }

  static ThrowingConsumer<Throwable> code(String errorCode) {
    return e -> assertThat(((MeteringServiceException) e).errorCode()).isEqualTo(errorCode);
  }

  // ----------------------------------------------------------------------------- BatchMeterUsage

  @Test
  void batchMeterUsage_newRecords_succeedAndAreStored() {
    BatchMeterUsageResponse response = seller.batchMeterUsage(batch(record("users", 5).build(),
        record("storage_gb", 7).usageAllocations(UsageAllocation.of(4, Tag.of("Dept", "IT")), UsageAllocation.of(3)).build()));

    assertThat(statuses(response)).containsExactly(UsageRecordResultStatus.SUCCESS, UsageRecordResultStatus.SUCCESS);
    assertThat(response.results()).allSatisfy(r -> assertThat(r.meteringRecordId()).isPresent());
    assertThat(response.results().get(0).usageRecord().orElseThrow().quantity()).isEqualTo(5);
    assertThat(response.unprocessedRecords()).isEmpty();
    assertThat(server.store().counts().batchRecords()).isEqualTo(2);
  }

  @Test
  void batchMeterUsage_identicalReplay_returnsSuccessWithTheSameMeteringRecordId() {
    UsageRecord r = record("users", 5).build();
    String first = seller.batchMeterUsage(batch(r)).results().get(0).meteringRecordId().orElseThrow();

    UsageRecordResult again = seller.batchMeterUsage(batch(r.toBuilder().timestamp(hour.plus(Duration.ofMinutes(50))).build()))
        .results().get(0);

    assertThat(again.status()).contains(UsageRecordResultStatus.SUCCESS);
    assertThat(again.meteringRecordId()).contains(first);
    assertThat(server.store().counts().batchRecords()).isEqualTo(1);
  }

  @Test
  void batchMeterUsage_sameHourDifferentQuantity_returnsDuplicateRecordAndTheFirstStaysBilled() {
    seller.batchMeterUsage(batch(record("users", 5).build()));

    BatchMeterUsageResponse response = seller.batchMeterUsage(batch(record("users", 6).build()));

    assertThat(statuses(response)).containsExactly(UsageRecordResultStatus.DUPLICATE_RECORD);
    assertThat(server.store().batchRecords(RecordQuery.all()).items()).singleElement()
        .satisfies(row -> assertThat(row.quantity()).isEqualTo(5));
  }

  @Test
  void batchMeterUsage_sameQuantityDifferentAllocations_returnsDuplicateRecord() {
    seller.batchMeterUsage(batch(record("users", 5).usageAllocations(UsageAllocation.of(5, Tag.of("a", "1"))).build()));

    BatchMeterUsageResponse response = seller.batchMeterUsage(
        batch(record("users", 5).usageAllocations(UsageAllocation.of(5, Tag.of("a", "2"))).build()));

    assertThat(statuses(response)).containsExactly(UsageRecordResultStatus.DUPLICATE_RECORD);
  }

  @Test
  void batchMeterUsage_nextHour_isANewRecord() {
    seller.batchMeterUsage(batch(record("users", 5).build()));

    BatchMeterUsageResponse response = seller.batchMeterUsage(
        batch(record("users", 6).timestamp(hour.plus(Duration.ofMinutes(70))).build()));

    assertThat(statuses(response)).containsExactly(UsageRecordResultStatus.SUCCESS);
  }

  @Test
  void batchMeterUsage_inactiveOrUnknownCustomerAccount_isCustomerNotSubscribed() {
    BatchMeterUsageResponse response = seller.batchMeterUsage(batch(
        record("users", 1).customerAwsAccountId(STRANGER).build(),
        record("users", 1).customerAwsAccountId("999999999999").build(),
        record("users", 1).build()));

    assertThat(statuses(response)).containsExactly(UsageRecordResultStatus.CUSTOMER_NOT_SUBSCRIBED,
        UsageRecordResultStatus.CUSTOMER_NOT_SUBSCRIBED, UsageRecordResultStatus.SUCCESS);
    assertThat(response.results().get(0).meteringRecordId()).isEmpty();
  }

  @Test
  void batchMeterUsage_legacyCustomerIdentifier_isMeteredAsTheSameCustomer() {
    UsageRecord byIdentifier = UsageRecord.builder().timestamp(hour).customerIdentifier("cust-buyer")
        .dimension("users").quantity(3).build();
    String id = seller.batchMeterUsage(batch(byIdentifier)).results().get(0).meteringRecordId().orElseThrow();

    UsageRecordResult byAccount = seller.batchMeterUsage(batch(record("users", 3).build())).results().get(0);

    assertThat(byAccount.meteringRecordId()).contains(id);
  }

  @Test
  void batchMeterUsage_unknownCustomerIdentifier_isInvalidCustomerIdentifier() {
    UsageRecord unknown = UsageRecord.builder().timestamp(hour).customerIdentifier("nobody").dimension("users").build();

    assertThatThrownBy(() -> seller.batchMeterUsage(batch(unknown)))
        .satisfies(code("InvalidCustomerIdentifierException"))
        .hasMessageContaining("'nobody' is not a customer of product prod-saas");
  }

  @Test
  void batchMeterUsage_recordOutsideTheWindow_rejectsTheWholeBatch() {
    Instant now = server.clock().instant();
    UsageRecord stale = record("users", 1).timestamp(now.minus(Duration.ofHours(25))).build();

    assertThatThrownBy(() -> seller.batchMeterUsage(batch(record("storage_gb", 1).build(), stale)))
        .satisfies(code("TimestampOutOfBoundsException"))
        .hasMessageContaining("usageRecords[1]");
    assertThat(server.store().counts().batchRecords()).isZero();
  }

  @Test
  void batchMeterUsage_futureTimestamp_isOutOfBounds() {
    UsageRecord future = record("users", 1).timestamp(server.clock().instant().plus(Duration.ofHours(1))).build();

    assertThatThrownBy(() -> seller.batchMeterUsage(batch(future))).satisfies(code("TimestampOutOfBoundsException"));
  }

  @Test
  void batchMeterUsage_timeTravel_movesTheWindow() {
    UsageRecord r = record("users", 1).build();
    server.clock().shift(Duration.ofDays(2));

    assertThatThrownBy(() -> seller.batchMeterUsage(batch(r))).satisfies(code("TimestampOutOfBoundsException"));
  }

  @Test
  void batchMeterUsage_26Records_isAValidationError() {
    List<UsageRecord> records = new ArrayList<>();
    for (int i = 0; i < 26; i++) {
      records.add(record("users", 1).timestamp(hour.minus(Duration.ofHours(i % 20))).build());
    }
    assertThatThrownBy(() -> seller.batchMeterUsageUnchecked(SAAS, records))
        .satisfies(MeteringScenarios::validationError)
        .hasMessageContaining("usageRecords: 26 items is above the maximum 25");
  }

  @Test
  void batchMeterUsage_bothCustomerIdentifierAndAccountId_isAValidationError() {
    UsageRecord both = record("users", 1).customerIdentifier("cust-buyer").build();

    assertThatThrownBy(() -> seller.batchMeterUsageUnchecked(SAAS, List.of(both)))
        .satisfies(MeteringScenarios::validationError)
        .hasMessageContaining("mutually exclusive");
  }

  /** Refused by the server (ValidationException) or, by a validating client, before sending. */
  static void validationError(Throwable e) {
    if (e instanceof MeteringServiceException service) {
      assertThat(service.errorCode()).isEqualTo("ValidationException");
      assertThat(service.statusCode()).isEqualTo(400);
    } else {
      assertThat(e).isInstanceOf(io.meterbridge.exception.InvalidRequestException.class);
    }
  }

  @Test
  void batchMeterUsage_unknownProduct_isInvalidProductCode() {
    assertThatThrownBy(() -> seller.batchMeterUsage(BatchMeterUsageRequest.of("prod-nope", List.of(record("users", 1).build()))))
        .satisfies(code("InvalidProductCodeException"))
        .hasMessageContaining("prod-nope");
  }

  @Test
  void batchMeterUsage_unknownDimension_isInvalidUsageDimension() {
    assertThatThrownBy(() -> seller.batchMeterUsage(batch(record("cpu", 1).build())))
        .satisfies(code("InvalidUsageDimensionException"))
        .hasMessageContaining("'cpu' is not a dimension of product prod-saas");
  }

  @Test
  void batchMeterUsage_allocationsNotAddingUp_isInvalidUsageAllocations() {
    assertThatThrownBy(() -> seller.batchMeterUsage(batch(record("users", 5).usageAllocations(UsageAllocation.of(4)).build())))
        .satisfies(code("InvalidUsageAllocationsException"))
        .hasMessageContaining("add up to 4 but the usage quantity is 5");
  }

  @Test
  void batchMeterUsage_sixTagKeysAcrossAllocations_isInvalidTag() {
    UsageRecord r = record("users", 2).usageAllocations(
        UsageAllocation.of(1, Tag.of("k1", "v"), Tag.of("k2", "v"), Tag.of("k3", "v")),
        UsageAllocation.of(1, Tag.of("k4", "v"), Tag.of("k5", "v"), Tag.of("k6", "v"))).build();

    assertThatThrownBy(() -> seller.batchMeterUsage(batch(r))).satisfies(code("InvalidTagException"));
  }

  @Test
  void batchMeterUsage_byTheBuyer_isAccessDenied() {
    assertThatThrownBy(() -> buyer.batchMeterUsage(batch(record("users", 1).build())))
        .satisfies(code("AccessDeniedException"));
  }

  @Test
  void batchMeterUsage_byAnotherSeller_isAccessDenied() {
    try (WireClient other = client(OTHER_SELLER_KEY, "us-east-1")) {
      assertThatThrownBy(() -> other.batchMeterUsage(batch(record("users", 1).build())))
          .satisfies(code("AccessDeniedException"));
    }
  }

  @Test
  void batchMeterUsage_noRecords_stillChecksTheProductAndTheCallersRightToIt() {
    assertThatThrownBy(() -> seller.batchMeterUsage(BatchMeterUsageRequest.of("prod-nope", List.of())))
        .satisfies(code("InvalidProductCodeException"));
    assertThatThrownBy(() -> seller.batchMeterUsage(BatchMeterUsageRequest.of("../../etc", List.of())))
        .satisfies(code("InvalidProductCodeException"));
    assertThatThrownBy(() -> seller.batchMeterUsage(BatchMeterUsageRequest.of("prod-other", List.of())))
        .satisfies(code("AccessDeniedException"));
    assertThatThrownBy(() -> buyer.batchMeterUsage(BatchMeterUsageRequest.of(SAAS, List.of())))
        .satisfies(code("AccessDeniedException"));

    BatchMeterUsageResponse own = seller.batchMeterUsage(BatchMeterUsageRequest.of(SAAS, List.of()));

    assertThat(own.results()).isEmpty();
    assertThat(own.unprocessedRecords()).isEmpty();
  }

  @Test
  void batchMeterUsage_licenseArnWithoutProductCode_findsTheProduct() {
    assumeThat(seller.supportsLicenseArn()).as("this client predates LicenseArn").isTrue();
    BatchMeterUsageRequest request = new BatchMeterUsageRequest(
        List.of(record("users", 2).licenseArn(LICENSE).build()), java.util.Optional.empty());

    assertThat(statuses(seller.batchMeterUsage(request))).containsExactly(UsageRecordResultStatus.SUCCESS);
  }

  @Test
  void batchMeterUsage_licenseOfAnotherCustomer_isInvalidLicense() {
    assumeThat(seller.supportsLicenseArn()).as("this client predates LicenseArn").isTrue();
    UsageRecord r = record("users", 2).licenseArn("arn:aws:license-manager::111111111111:license:l-other").build();

    assertThatThrownBy(() -> seller.batchMeterUsage(batch(r))).satisfies(code("InvalidLicenseException"));
  }

  // ---------------------------------------------------------------------------------- MeterUsage

  MeterUsageRequest.Builder meter(int quantity) {
    return MeterUsageRequest.builder().productCode(AMI).timestamp(hour.plus(Duration.ofMinutes(5)))
        .usageDimension("vcpu_hours").usageQuantity(quantity);
  }

  @Test
  void meterUsage_identicalReplayInTheSameHour_returnsTheSameId() {
    String first = buyer.meterUsage(meter(4).build()).meteringRecordId().orElseThrow();

    String again = buyer.meterUsage(meter(4).timestamp(hour.plus(Duration.ofMinutes(40))).build())
        .meteringRecordId().orElseThrow();

    assertThat(again).isEqualTo(first);
  }

  @Test
  void meterUsage_differentQuantityInTheSameHour_isDuplicateRequest() {
    buyer.meterUsage(meter(4).build());

    assertThatThrownBy(() -> buyer.meterUsage(meter(5).build()))
        .satisfies(code("DuplicateRequestException"));
  }

  @Test
  void meterUsage_anotherTaskOfTheSameBuyer_isMeteredSeparately() {
    String first = buyer.meterUsage(meter(4).build()).meteringRecordId().orElseThrow();
    try (WireClient task2 = client(BUYER_TASK_KEY, "us-east-1")) {
      assertThat(task2.meterUsage(meter(5).build()).meteringRecordId()).isPresent().isNotEqualTo(first);
    }
  }

  @Test
  void meterUsage_rotatedKeysOfOneInstance_shareTheHour() {
    try (WireClient before = client(INSTANCE_KEY_1, "us-east-1");
         WireClient after = client(INSTANCE_KEY_2, "us-east-1")) {
      String first = before.meterUsage(meter(4).build()).meteringRecordId().orElseThrow();

      assertThat(after.meterUsage(meter(4).timestamp(hour.plus(Duration.ofMinutes(50))).build()).meteringRecordId())
          .contains(first);
      assertThatThrownBy(() -> after.meterUsage(meter(5).build()))
          .satisfies(code("DuplicateRequestException"))
          .hasMessageContaining("(" + INSTANCE + ")");
      assertThat(server.store().counts().meterRecords()).isEqualTo(1);
    }
  }

  @Test
  void meterUsage_clientTokenReplayWithSameParameters_returnsTheFirstResult() {
    String first = buyer.meterUsage(meter(4).clientToken("tok-1").build()).meteringRecordId().orElseThrow();

    assertThat(buyer.meterUsage(meter(4).clientToken("tok-1").build()).meteringRecordId()).contains(first);
  }

  @Test
  void meterUsage_clientTokenWithOtherParameters_isIdempotencyConflictWith409() {
    buyer.meterUsage(meter(4).clientToken("tok-1").build());

    assertThatThrownBy(() -> buyer.meterUsage(meter(4).timestamp(hour.minus(Duration.ofHours(1))).clientToken("tok-1").build()))
        .satisfies(code("IdempotencyConflictException"))
        .satisfies(e -> assertThat(((MeteringServiceException) e).statusCode()).isEqualTo(409));
  }

  @Test
  void meterUsage_clientTokenFirstAnsweredFromAnEarlierRecord_staysBoundToItsParameters() {
    String first = buyer.meterUsage(meter(4).clientToken("tok-0").build()).meteringRecordId().orElseThrow();
    // Another token, same hour and quantity: answered from the first record.
    assertThat(buyer.meterUsage(meter(4).timestamp(hour.plus(Duration.ofMinutes(30))).clientToken("tok-1").build())
        .meteringRecordId()).contains(first);

    assertThatThrownBy(() -> buyer.meterUsage(meter(4).timestamp(hour.minus(Duration.ofHours(1))).clientToken("tok-1")
        .build()))
        .satisfies(code("IdempotencyConflictException"));
    assertThat(buyer.meterUsage(meter(4).timestamp(hour.plus(Duration.ofMinutes(30))).clientToken("tok-1").build())
        .meteringRecordId()).contains(first);
    assertThat(server.store().counts().meterRecords()).isEqualTo(1);
  }

  @Test
  void meterUsage_agentCoreProduct_reportsManyTimesAnHour_eachDeduplicatedByItsClientToken() {
    MeterUsageRequest.Builder report = meter(3).productCode(AGENT).usageDimension("invocations");
    String first = buyer.meterUsage(report.clientToken("run-1").build()).meteringRecordId().orElseThrow();
    String second = buyer.meterUsage(report.clientToken("run-2").build()).meteringRecordId().orElseThrow();
    String third = buyer.meterUsage(report.clientToken("run-3").usageQuantity(7).build()).meteringRecordId().orElseThrow();

    assertThat(List.of(first, second, third)).doesNotHaveDuplicates();
    assertThat(buyer.meterUsage(report.clientToken("run-1").usageQuantity(3).build()).meteringRecordId()).contains(first);
    assertThatThrownBy(() -> buyer.meterUsage(report.clientToken("run-1").usageQuantity(4).build()))
        .satisfies(code("IdempotencyConflictException"));
    assertThat(server.store().counts().meterRecords()).isEqualTo(3);
    // Other products keep the once-per-hour rule.
    buyer.meterUsage(meter(3).clientToken("ami-1").build());
    assertThatThrownBy(() -> buyer.meterUsage(meter(4).clientToken("ami-2").build()))
        .satisfies(code("DuplicateRequestException"));
  }

  @Test
  void meterUsage_agentCoreProductWithoutClientToken_isAValidationError() throws Exception {
    assumeThat(server.endpoint()).as("a raw request in plain HTTP").startsWith("http:");
    long at = hour.plus(Duration.ofMinutes(5)).getEpochSecond();
    String body = "{\"ProductCode\":\"" + AGENT + "\",\"Timestamp\":" + at
        + ",\"UsageDimension\":\"invocations\",\"UsageQuantity\":1}";
    try (io.meterbridge.server.RawHttp connection = new io.meterbridge.server.RawHttp(server.port())) {
      io.meterbridge.server.RawHttp.Response response =
          connection.send(SignedRaw.post(server.port(), "MeterUsage", BUYER_KEY, body)).read();

      assertThat(response.status()).as(response.body()).isEqualTo(400);
      assertThat(response.header("x-amzn-ErrorType")).isEqualTo("ValidationException");
      assertThat(response.body()).contains("clientToken: is required for product " + AGENT);
    }
    assertThat(server.store().counts().meterRecords()).isZero();
  }

  @Test
  void meterUsage_dryRun_storesNothing() {
    assertThatThrownBy(() -> buyer.meterUsage(meter(4).dryRun(true).build()))
        .satisfies(code("DryRunOperation"));
    assertThat(server.store().counts().meterRecords()).isZero();
  }

  @Test
  void meterUsage_withoutSubscription_isCustomerNotEntitled() {
    try (WireClient stranger = client(STRANGER_KEY, "us-east-1")) {
      assertThatThrownBy(() -> stranger.meterUsage(meter(1).build()))
          .satisfies(code("CustomerNotEntitledException"));
    }
  }

  @Test
  void meterUsage_productOfAnotherRegion_isInvalidEndpointRegion() {
    assertThatThrownBy(() -> buyer.meterUsage(meter(1).productCode(WEST_AMI).build()))
        .satisfies(code("InvalidEndpointRegionException"));
    try (WireClient west = client(BUYER_KEY, "us-west-2")) {
      assertThat(west.meterUsage(meter(1).productCode(WEST_AMI).build()).meteringRecordId()).isPresent();
    }
  }

  @Test
  void meterUsage_sevenHoursOld_isOutOfBounds() {
    Instant old = server.clock().instant().minus(Duration.ofHours(7));

    assertThatThrownBy(() -> buyer.meterUsage(meter(1).timestamp(old).build()))
        .satisfies(code("TimestampOutOfBoundsException"));
  }

  @Test
  void meterUsage_saasProduct_isInvalidProductCode() {
    assertThatThrownBy(() -> buyer.meterUsage(meter(1).productCode(SAAS).usageDimension("users").build()))
        .satisfies(code("InvalidProductCodeException"));
  }

  // ------------------------------------------------------------------------------- RegisterUsage

  RegisterUsageRequest register(int version, String nonce) {
    return RegisterUsageRequest.builder().productCode(CONTAINER).publicKeyVersion(version).nonce(nonce).build();
  }

  @Test
  void registerUsage_returnsAPs256SignatureOverProductVersionNonceAndTime() {
    RegisterUsageResponse response = buyer.registerUsage(register(1, "nonce-1"));

    UsageClaims claims = UsageSignature.verify(response.signature().orElseThrow(), server.containerPublicKey());
    assertThat(claims.productCode()).isEqualTo(CONTAINER);
    assertThat(claims.publicKeyVersion()).isEqualTo(1);
    assertThat(claims.nonce()).contains("nonce-1");
    assertThat(claims.issuedAt()).isCloseTo(server.clock().instant(), org.assertj.core.api.Assertions.within(1, ChronoUnit.MINUTES));
    assertThat(response.publicKeyRotationTimestamp()).isEmpty();
    assertThat(server.store().tasks(CONTAINER)).singleElement().satisfies(task -> {
      assertThat(task.callerIdentity()).isEqualTo(BUYER_KEY);
      assertThat(task.calls()).isEqualTo(1);
    });
  }

  @Test
  void registerUsage_unknownPublicKeyVersion_isInvalidPublicKeyVersion() {
    assertThatThrownBy(() -> buyer.registerUsage(register(7, null)))
        .satisfies(code("InvalidPublicKeyVersionException"));
  }

  @Test
  void registerUsage_withoutSubscription_isCustomerNotEntitled() {
    try (WireClient stranger = client(STRANGER_KEY, "us-east-1")) {
      assertThatThrownBy(() -> stranger.registerUsage(register(1, null)))
          .satisfies(code("CustomerNotEntitledException"));
    }
  }

  @Test
  void registerUsage_laterCallsOfARegisteredTask_succeedAfterUnsubscription() {
    buyer.registerUsage(register(1, "a"));
    server.store().deactivateSubscription(CONTAINER, BUYER);

    assertThat(buyer.registerUsage(register(1, "b")).signature()).isPresent();
    try (WireClient newTask = client(BUYER_TASK_KEY, "us-east-1")) {
      assertThatThrownBy(() -> newTask.registerUsage(register(1, "c")))
          .satisfies(code("CustomerNotEntitledException"));
    }
  }

  @Test
  void registerUsage_rotatedKeysOfOneTask_areOneTask() {
    try (WireClient before = client(INSTANCE_KEY_1, "us-east-1");
         WireClient after = client(INSTANCE_KEY_2, "us-east-1")) {
      before.registerUsage(register(1, "a"));
      server.store().deactivateSubscription(CONTAINER, BUYER);

      // Not a new task: entitlement was checked at its start, as for any later call of a task.
      assertThat(after.registerUsage(register(1, "b")).signature()).isPresent();
      assertThat(server.store().tasks(CONTAINER)).singleElement().satisfies(task -> {
        assertThat(task.callerIdentity()).isEqualTo(INSTANCE);
        assertThat(task.calls()).isEqualTo(2);
      });
    }
  }

  @Test
  void registerUsage_fromAPlatformTheProductDoesNotSupport_isPlatformNotSupported() {
    try (WireClient onEc2 = client(BUYER_EC2_KEY, "us-east-1");
         WireClient onEks = client(BUYER_EKS_KEY, "us-east-1")) {
      assertThatThrownBy(() -> onEc2.registerUsage(register(1, null)))
          .satisfies(code("PlatformNotSupportedException"))
          .hasMessageContaining("does not support RegisterUsage from EC2")
          .hasMessageContaining("[ECS, EKS, FARGATE]");
      assertThat(onEks.registerUsage(register(1, null)).signature()).isPresent();
    }
    assertThat(server.store().tasks(CONTAINER)).singleElement()
        .satisfies(task -> assertThat(task.callerIdentity()).isEqualTo(BUYER_EKS_KEY));
  }

  @Test
  void registerUsage_rotatedKeyVersion_reportsTheRotationTimestamp() throws Exception {
    var generator = java.security.KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    var next = generator.generateKeyPair();
    Instant rotatedAt = server.clock().instant().minus(Duration.ofMinutes(1));
    server.store().rotateSigningKey(CONTAINER, next.getPrivate().getEncoded(), next.getPublic().getEncoded(), rotatedAt);

    RegisterUsageResponse old = buyer.registerUsage(register(1, null));
    RegisterUsageResponse current = buyer.registerUsage(register(2, null));

    assertThat(old.publicKeyRotationTimestamp()).hasValueSatisfying(
        at -> assertThat(at).isCloseTo(rotatedAt, org.assertj.core.api.Assertions.within(1, ChronoUnit.SECONDS)));
    assertThat(current.publicKeyRotationTimestamp()).isEmpty();
    assertThat(UsageSignature.verify(current.signature().orElseThrow(), next.getPublic()).publicKeyVersion()).isEqualTo(2);
  }

  @Test
  void registerUsage_inAnotherRegion_isInvalidRegion() {
    try (WireClient west = client(BUYER_KEY, "us-west-2")) {
      assertThatThrownBy(() -> west.registerUsage(register(1, null))).satisfies(code("InvalidRegionException"));
    }
  }

  // ------------------------------------------------------------------------------ Authentication

  @Test
  void anyOperation_unknownAccessKey_isUnrecognizedClient() {
    try (WireClient unknown = clients().create(server.endpoint(), "us-east-1", "AKIDNOBODY", SECRET)) {
      assertThatThrownBy(() -> unknown.resolveCustomer(ResolveCustomerRequest.of(TOKEN)))
          .satisfies(code("UnrecognizedClientException"));
    }
  }

  @Test
  void anyOperation_wrongSecret_isInvalidSignature() {
    try (WireClient forged = clients().create(server.endpoint(), "us-east-1", SELLER_KEY, "not-the-secret")) {
      assertThatThrownBy(() -> forged.batchMeterUsage(batch(record("users", 1).build())))
          .satisfies(code("InvalidSignatureException"));
    }
    assertThat(server.store().counts().batchRecords()).isZero();
  }

  @Test
  void batchMeterUsage_beyondThePublishedQuota_isThrottled(@TempDir Path other) {
    try (TestServer throttled = TestServer.sqliteThrottled(other);
         WireClient client = clients().create(throttled.endpoint(), "us-east-1", SELLER_KEY, SECRET)) {
      // BatchMeterUsage allows 10 calls a second per account; 30 in a row cannot all pass.
      Throwable refused = null;
      for (int i = 0; i < 30 && refused == null; i++) {
        try {
          client.batchMeterUsage(batch());
        } catch (MeteringServiceException e) {
          refused = e;
        }
      }
      assertThat(refused).isNotNull().satisfies(code("ThrottlingException"));
    }
  }

  @Test
  void meterUsage_quotas_arePerAccountAndRegion(@TempDir Path other) {
    try (TestServer throttled = TestServer.sqlite(other, b -> b.throttling(io.meterbridge.server.throttle.Throttling.defaults()));
         WireClient east = clients().create(throttled.endpoint(), "us-east-1", BUYER_KEY, SECRET);
         WireClient west = clients().create(throttled.endpoint(), "us-west-2", BUYER_KEY, SECRET)) {
      // MeterUsage allows 10 calls a second per account and Region; 50 in a row cannot all pass.
      Throwable refused = null;
      for (int i = 0; i < 50 && refused == null; i++) {
        try {
          east.meterUsage(meter(4).build());
        } catch (MeteringServiceException e) {
          refused = e;
        }
      }
      assertThat(refused).isNotNull().satisfies(code("ThrottlingException"));

      assertThat(west.meterUsage(meter(4).productCode(WEST_AMI).build()).meteringRecordId()).isPresent();
    }
  }

  @Test
  void anyOperation_inARegionSwitchedOff_isDisabledApi(@TempDir Path other) {
    try (TestServer partly = TestServer.sqlite(other, b -> b.disabledRegions(java.util.Set.of("eu-west-1")));
         WireClient off = clients().create(partly.endpoint(), "eu-west-1", BUYER_KEY, SECRET);
         WireClient on = clients().create(partly.endpoint(), "us-east-1", BUYER_KEY, SECRET)) {
      assertThatThrownBy(() -> off.meterUsage(meter(1).build()))
          .satisfies(code("DisabledApiException"))
          .hasMessageContaining("The API is disabled in the Region eu-west-1");
      assertThatThrownBy(() -> off.registerUsage(register(1, null)))
          .satisfies(code("DisabledApiException"));
      assertThat(on.meterUsage(meter(1).build()).meteringRecordId()).isPresent();
    }
  }

  // ----------------------------------------------------------------------------- ResolveCustomer

  @Test
  void resolveCustomer_validToken_resolvesRepeatably() {
    ResolveCustomerResponse first = seller.resolveCustomer(ResolveCustomerRequest.of(TOKEN));
    ResolveCustomerResponse second = seller.resolveCustomer(ResolveCustomerRequest.of(TOKEN));

    assertThat(first.productCode()).contains(SAAS);
    assertThat(first.customerAwsAccountId()).contains(BUYER);
    assertThat(first.customerIdentifier()).contains("cust-buyer");
    if (seller.supportsLicenseArn()) {
      assertThat(first.licenseArn()).contains(LICENSE);
    }
    assertThat(second).isEqualTo(first);
  }

  @Test
  void resolveCustomer_unknownToken_isInvalidToken() {
    assertThatThrownBy(() -> seller.resolveCustomer(ResolveCustomerRequest.of("nope")))
        .satisfies(code("InvalidTokenException"));
  }

  @Test
  void resolveCustomer_tokenOfAnotherSellersProduct_isInvalidToken() {
    assertThatThrownBy(() -> seller.resolveCustomer(ResolveCustomerRequest.of(OTHER_TOKEN)))
        .satisfies(code("InvalidTokenException"));
  }

  @Test
  void resolveCustomer_expiredToken_isExpiredToken() {
    assertThatThrownBy(() -> seller.resolveCustomer(ResolveCustomerRequest.of(EXPIRED_TOKEN)))
        .satisfies(code("ExpiredTokenException"));
  }

  @Test
  void resolveCustomer_afterItsLifetime_isExpiredToken() {
    server.clock().shift(Duration.ofHours(5));

    assertThatThrownBy(() -> seller.resolveCustomer(ResolveCustomerRequest.of(TOKEN)))
        .satisfies(code("ExpiredTokenException"));
  }

}
