package io.meterbridge.client.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.client.MeteringClient;
import io.meterbridge.client.TransportException;
import io.meterbridge.exception.ExpiredTokenException;
import io.meterbridge.exception.IdempotencyConflictException;
import io.meterbridge.exception.InvalidRequestException;
import io.meterbridge.exception.MeteringClientException;
import io.meterbridge.exception.MeteringServiceException;
import io.meterbridge.exception.ThrottlingException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.Operation;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResult;
import io.meterbridge.model.UsageRecordResultStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class StubMeteringClientTest {
  static final Instant HOUR = Instant.parse("2026-08-01T10:00:00Z");

  /** Code under test in a seller's project: it only knows the MeteringClient interface. */
  static String reportHour(MeteringClient metering, int vcpus) {
    return metering.meterUsage(b -> b.productCode("prod-ami").timestamp(HOUR)
        .usageDimension("vcpu_hours").usageQuantity(vcpus)).meteringRecordId().orElseThrow();
  }

  static UsageRecord record(String account) {
    return UsageRecord.builder().timestamp(HOUR).customerAwsAccountId(account).dimension("api_calls")
        .quantity(3).build();
  }

  @Test
  void meterUsage_nothingStubbed_answersWithARandomRecordId() {
    StubMeteringClient stub = StubMeteringClient.create();

    String first = reportHour(stub, 4);
    String second = reportHour(stub, 4);

    assertThat(first).matches("[0-9a-f-]{36}").isNotEqualTo(second);
  }

  @Test
  void batchMeterUsage_nothingStubbed_answersSuccessForEveryRecord() {
    StubMeteringClient stub = StubMeteringClient.create();

    BatchMeterUsageResponse response = stub.batchMeterUsage(b -> b.productCode("prod-saas")
        .usageRecords(record("111122223333"), record("444455556666")));

    assertThat(response.results()).hasSize(2).allSatisfy(r -> {
      assertThat(r.status()).contains(UsageRecordResultStatus.SUCCESS);
      assertThat(r.meteringRecordId()).isPresent();
    });
    assertThat(response.results()).extracting(r -> r.usageRecord().orElseThrow().customerAwsAccountId().orElseThrow())
        .containsExactly("111122223333", "444455556666");
    assertThat(response.unprocessedRecords()).isEmpty();
  }

  @Test
  void registerUsageAndResolveCustomer_nothingStubbed_answerPlausibleData() {
    StubMeteringClient stub = StubMeteringClient.create();

    assertThat(stub.registerUsage(b -> b.productCode("prod-c").publicKeyVersion(1)).signature().orElseThrow())
        .matches("[^.]+\\.[^.]+\\.[^.]+");
    assertThat(stub.resolveCustomer("token").customerAwsAccountId()).contains("123456789012");
  }

  @Test
  void stubResponse_sequence_isAnsweredInOrderAndTheLastRepeats() {
    StubMeteringClient stub = StubMeteringClient.create()
        .stubResponse(Operation.METER_USAGE, MeterUsageResponse.of("one"), MeterUsageResponse.of("two"));

    assertThat(List.of(reportHour(stub, 1), reportHour(stub, 1), reportHour(stub, 1)))
        .containsExactly("one", "two", "two");
  }

  @Test
  void stubError_thenResponse_throwsTheTypedErrorThenAnswers() {
    StubMeteringClient stub = StubMeteringClient.create()
        .stubError(Operation.METER_USAGE, "ThrottlingException", "Rate exceeded")
        .stubResponse(Operation.METER_USAGE, MeterUsageResponse.of("after"));

    assertThatThrownBy(() -> reportHour(stub, 1))
        .isInstanceOf(ThrottlingException.class)
        .hasMessage("ThrottlingException: Rate exceeded (status 400, request stub-request-id)");
    assertThat(reportHour(stub, 1)).isEqualTo("after");
  }

  @Test
  void stubError_codeWithItsOwnStatus_usesThatStatus() {
    StubMeteringClient stub = StubMeteringClient.create()
        .stubError(Operation.METER_USAGE, "IdempotencyConflictException", "conflict");

    assertThatThrownBy(() -> reportHour(stub, 1))
        .isInstanceOfSatisfying(IdempotencyConflictException.class, e -> assertThat(e.statusCode()).isEqualTo(409));
  }

  @Test
  void stubError_unknownCode_throwsTheServiceBaseClass() {
    StubMeteringClient stub = StubMeteringClient.create()
        .stubError(Operation.RESOLVE_CUSTOMER, "SomethingNewException", "new");

    assertThatThrownBy(() -> stub.resolveCustomer("t"))
        .isExactlyInstanceOf(MeteringServiceException.class)
        .hasMessageStartingWith("SomethingNewException: new");
  }

  @Test
  void stubError_clientSideException_isThrownAsGiven() {
    TransportException reset = new TransportException("connection reset", new IOException("reset"));
    StubMeteringClient stub = StubMeteringClient.create().stubError(Operation.METER_USAGE, reset);

    assertThatThrownBy(() -> reportHour(stub, 1)).isSameAs(reset);
  }

  @Test
  void stubResponse_function_answersFromTheRequest() {
    StubMeteringClient stub = StubMeteringClient.create()
        .stubResponse(Operation.BATCH_METER_USAGE, request -> new BatchMeterUsageResponse(
            request.usageRecords().stream()
                .map(r -> UsageRecordResult.of(r, null, UsageRecordResultStatus.CUSTOMER_NOT_SUBSCRIBED))
                .toList(),
            List.of()));

    BatchMeterUsageResponse response = stub.batchMeterUsage(BatchMeterUsageRequest.of("p", List.of(record("1"))));

    assertThat(response.results()).singleElement()
        .satisfies(r -> assertThat(r.status()).contains(UsageRecordResultStatus.CUSTOMER_NOT_SUBSCRIBED));
  }

  @Test
  void apiRequests_recordEveryCallInOrderWithTheGeneratedClientToken() {
    StubMeteringClient stub = StubMeteringClient.create().stubError(Operation.RESOLVE_CUSTOMER, "ExpiredTokenException", "x");

    reportHour(stub, 7);
    assertThatThrownBy(() -> stub.resolveCustomer("tok")).isInstanceOf(ExpiredTokenException.class);

    assertThat(stub.apiRequests()).extracting(StubMeteringClient.ApiRequest::operation)
        .containsExactly(Operation.METER_USAGE, Operation.RESOLVE_CUSTOMER);
    MeterUsageRequest sent = stub.apiRequests(Operation.METER_USAGE).get(0);
    assertThat(sent.usageQuantity()).isEqualTo(7);
    assertThat(sent.clientToken()).isPresent();
    assertThat(stub.apiRequests(Operation.RESOLVE_CUSTOMER).get(0).registrationToken()).isEqualTo("tok");
  }

  @Test
  void invalidRequest_isRejectedAndNotRecorded() {
    StubMeteringClient stub = StubMeteringClient.create();

    assertThatThrownBy(() -> stub.meterUsage(b -> b.productCode("p").usageDimension("d")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("1 validation error detected: timestamp: is required");
    assertThat(stub.apiRequests()).isEmpty();
  }

  @Test
  void async_sharesStubsAndRecordsAndFailsFuturesWithTheStubbedError() {
    StubMeteringClient stub = StubMeteringClient.create()
        .stubError(Operation.METER_USAGE, "ThrottlingException", "slow down");

    CompletableFuture<MeterUsageResponse> future = stub.async().meterUsage(b -> b.productCode("p")
        .timestamp(HOUR).usageDimension("d"));

    assertThat(future).isCompletedExceptionally();
    assertThat(future.handle((r, e) -> e).join()).isInstanceOf(ThrottlingException.class);
    assertThat(stub.apiRequests()).hasSize(1);
  }

  @Test
  void reset_forgetsStubsAndRequests() {
    StubMeteringClient stub = StubMeteringClient.create()
        .stubResponse(Operation.METER_USAGE, MeterUsageResponse.of("stubbed"));
    reportHour(stub, 1);

    stub.reset();

    assertThat(stub.apiRequests()).isEmpty();
    assertThat(reportHour(stub, 1)).isNotEqualTo("stubbed");
  }

  @Test
  void close_thenCall_failsAsAClosedClientDoes() {
    StubMeteringClient stub = StubMeteringClient.create();
    stub.close();

    assertThatThrownBy(() -> reportHour(stub, 1)).isInstanceOf(MeteringClientException.class)
        .hasMessage("The client is closed");
  }

  @Test
  void toBuilder_onTheStub_isUnsupported() {
    MeteringClient stub = StubMeteringClient.create();

    assertThatThrownBy(stub::toBuilder).isInstanceOf(UnsupportedOperationException.class)
        .hasMessage("io.meterbridge.client.testing.StubMeteringClient was not built by MeteringClient.builder()");
  }

  @Test
  void stubHttpResponse_proxyHtml502_becomesTheServiceExceptionTheRealClientThrows() {
    StubMeteringClient metering = StubMeteringClient.create()
        .stubHttpResponse(Operation.METER_USAGE, 502, java.util.Map.of("Content-Type", "text/html"),
            "<html><body>Bad Gateway</body></html>");

    assertThatThrownBy(() -> metering.meterUsage(b -> b.productCode("p").timestamp(Instant.now())
        .usageDimension("d").usageQuantity(1)))
        .isInstanceOfSatisfying(MeteringServiceException.class, e -> {
          assertThat(e.errorCode()).isEqualTo("Http502");
          assertThat(e.statusCode()).isEqualTo(502);
          assertThat(e.retryable()).isTrue();
        });
  }

  @Test
  void stubHttpResponse_errorTypeHeader_mapsToItsExceptionClass() {
    StubMeteringClient metering = StubMeteringClient.create()
        .stubHttpResponse(Operation.RESOLVE_CUSTOMER, 400,
            java.util.Map.of("x-amzn-ErrorType", "ExpiredTokenException:http://internal.amazon.com/",
                "x-amzn-RequestId", "req-9"),
            "{\"message\":\"Token expired\"}");

    assertThatThrownBy(() -> metering.resolveCustomer(b -> b.registrationToken("t")))
        .isInstanceOfSatisfying(ExpiredTokenException.class, e -> {
          assertThat(e.requestId()).contains("req-9");
          assertThat(e.serviceMessage()).isEqualTo("Token expired");
        });
  }

  @Test
  void stubHttpResponse_malformedSuccessBody_failsAsTheRealCodecDoes() {
    StubMeteringClient metering = StubMeteringClient.create()
        .stubHttpResponse(Operation.METER_USAGE, 200, java.util.Map.of(), "{\"MeteringRecordId\": ");

    assertThatThrownBy(() -> metering.meterUsage(b -> b.productCode("p").timestamp(Instant.now())
        .usageDimension("d").usageQuantity(1)))
        .isInstanceOf(MeteringClientException.class);
  }

  @Test
  void stubHttpResponse_wellFormedBody_isDecoded_thenRepeats() {
    StubMeteringClient metering = StubMeteringClient.create()
        .stubHttpResponse(Operation.METER_USAGE, 200, java.util.Map.of(),
            "{\"MeteringRecordId\":\"raw-1\",\"Unknown\":[1,2]}");

    for (int i = 0; i < 2; i++) {
      assertThat(metering.meterUsage(b -> b.productCode("p").timestamp(Instant.now())
          .usageDimension("d").usageQuantity(1)).meteringRecordId()).contains("raw-1");
    }
  }

  @Test
  void stubHttpResponse_statusOutOfRange_isRefused() {
    assertThatThrownBy(() -> StubMeteringClient.create()
        .stubHttpResponse(Operation.METER_USAGE, 600, java.util.Map.of(), ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("status must be 100 to 599, was 600");
  }
}
