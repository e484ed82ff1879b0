package io.meterbridge.internal.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.exception.InvalidRequestException;
import io.meterbridge.exception.MeteringClientException;
import io.meterbridge.exception.SerializationException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.Operation;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.RegisterUsageResponse;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.model.ResolveCustomerResponse;
import io.meterbridge.model.Tag;
import io.meterbridge.model.UsageAllocation;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResult;
import io.meterbridge.model.UsageRecordResultStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
  private static final Instant T = Instant.parse("2026-08-01T10:00:00Z");

  private static String text(byte[] bytes) {
    return new String(bytes, UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static final UsageRecord RECORD = UsageRecord.builder()
      .timestamp(T)
      .customerAwsAccountId("111122223333")
      .licenseArn("arn:aws:license-manager::123456789012:license:l-0123456789abcdef0")
      .dimension("api_calls")
      .quantity(1500)
      .usageAllocations(UsageAllocation.of(1000, Tag.of("Dept", "IT")), UsageAllocation.of(500))
      .build();

  @Test
  void batchMeterUsageRequest_encodesModelMemberNamesAndOmitsAbsentMembers() {
    byte[] body = JsonCodec.encodeRequest(Operation.BATCH_METER_USAGE, BatchMeterUsageRequest.of("prod", List.of(RECORD)));

    assertThat(text(body)).isEqualTo("{\"UsageRecords\":[{\"Timestamp\":1785578400,\"Dimension\":\"api_calls\","
        + "\"Quantity\":1500,\"UsageAllocations\":[{\"AllocatedUsageQuantity\":1000,\"Tags\":[{\"Key\":\"Dept\","
        + "\"Value\":\"IT\"}]},{\"AllocatedUsageQuantity\":500}],\"CustomerAWSAccountId\":\"111122223333\","
        + "\"LicenseArn\":\"arn:aws:license-manager::123456789012:license:l-0123456789abcdef0\"}],\"ProductCode\":\"prod\"}");
  }

  @Test
  void everyRequest_roundTrips() {
    BatchMeterUsageRequest batch = BatchMeterUsageRequest.of("prod", List.of(RECORD));
    MeterUsageRequest meter = MeterUsageRequest.builder().productCode("p").timestamp(T.plusMillis(123))
        .usageDimension("d").usageQuantity(7).dryRun(true).clientToken("tok")
        .usageAllocations(UsageAllocation.of(7, Tag.of("a", "b"))).build();
    RegisterUsageRequest register = RegisterUsageRequest.builder().productCode("p").publicKeyVersion(2).nonce("n").build();
    ResolveCustomerRequest resolve = ResolveCustomerRequest.of("token");

    assertThat(roundTrip(Operation.BATCH_METER_USAGE, batch)).isEqualTo(batch);
    assertThat(roundTrip(Operation.METER_USAGE, meter)).isEqualTo(meter);
    assertThat(roundTrip(Operation.REGISTER_USAGE, register)).isEqualTo(register);
    assertThat(roundTrip(Operation.RESOLVE_CUSTOMER, resolve)).isEqualTo(resolve);
  }

  private static <I> I roundTrip(Operation<I, ?> op, I request) {
    return JsonCodec.decodeRequest(op, JsonCodec.encodeRequest(op, request));
  }

  @Test
  void everyResponse_roundTrips() {
    BatchMeterUsageResponse batch = new BatchMeterUsageResponse(
        List.of(UsageRecordResult.of(RECORD, "id-1", UsageRecordResultStatus.DUPLICATE_RECORD)), List.of(RECORD));
    RegisterUsageResponse register = new RegisterUsageResponse(Optional.of(T), Optional.of("a.b.c"));
    ResolveCustomerResponse resolve = new ResolveCustomerResponse(Optional.of("c"), Optional.of("p"),
        Optional.of("111122223333"), Optional.of("arn:aws:license-manager::1:license:l"));

    assertThat(JsonCodec.decodeResponse(Operation.BATCH_METER_USAGE, JsonCodec.encodeResponse(Operation.BATCH_METER_USAGE, batch)))
        .isEqualTo(batch);
    assertThat(JsonCodec.decodeResponse(Operation.METER_USAGE, JsonCodec.encodeResponse(Operation.METER_USAGE, MeterUsageResponse.of("x"))))
        .isEqualTo(MeterUsageResponse.of("x"));
    assertThat(JsonCodec.decodeResponse(Operation.REGISTER_USAGE, JsonCodec.encodeResponse(Operation.REGISTER_USAGE, register)))
        .isEqualTo(register);
    assertThat(JsonCodec.decodeResponse(Operation.RESOLVE_CUSTOMER, JsonCodec.encodeResponse(Operation.RESOLVE_CUSTOMER, resolve)))
        .isEqualTo(resolve);
  }

  @Test
  void timestamps_readIntegersFractionsAndExponents() {
    assertThat(meterAt("1785578400").timestamp()).isEqualTo(T);
    assertThat(meterAt("1785578400.5").timestamp()).isEqualTo(T.plusMillis(500));
    assertThat(meterAt("1.7855784e9").timestamp()).isEqualTo(T);
    assertThat(meterAt("1785578400.123456").timestamp()).isEqualTo(T.plusNanos(123_456_000));
  }

  @Test
  void timestamps_writeWholeSecondsAsIntegersAndMillisAsFractions() {
    MeterUsageRequest r = MeterUsageRequest.builder().productCode("p").timestamp(T.plusMillis(120))
        .usageDimension("d").build();

    assertThat(text(JsonCodec.encodeRequest(Operation.METER_USAGE, r))).contains("\"Timestamp\":1785578400.120");
  }

  @Test
  void timestamps_absurdExponent_isASerializationErrorNotAHang() {
    assertThatThrownBy(() -> meterAt("1e999999"))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("timestamp: 1e999999 is not a valid timestamp");
  }

  @Test
  void timestamps_hugeExponentsAndDigits_costTheirLengthAndFailOrReadAsWhatTheyAre() {
    assertThat(meterAt("1e-100000000").timestamp()).isEqualTo(Instant.EPOCH);
    assertThatThrownBy(() -> meterAt("1e100000000"))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("timestamp: 1e100000000 is not a valid timestamp: send epoch seconds between");
    assertThatThrownBy(() -> meterAt("1" + "0".repeat(5000)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Malformed JSON: Number value length (5001) exceeds the maximum allowed (64)");
  }

  @Test
  void decodeResponse_hugeExponentInATimestamp_isAClientExceptionAtOnce() {
    assertThatThrownBy(() -> JsonCodec.decodeResponse(Operation.REGISTER_USAGE,
        bytes("{\"PublicKeyRotationTimestamp\":1e100000000}")))
        .isInstanceOf(MeteringClientException.class)
        .hasMessageContaining("publicKeyRotationTimestamp: 1e100000000 is not a valid timestamp");
    assertThat(JsonCodec.decodeResponse(Operation.REGISTER_USAGE,
        bytes("{\"PublicKeyRotationTimestamp\":-1e-100000000}")).publicKeyRotationTimestamp())
        .contains(Instant.ofEpochSecond(-1, 999_999_999));
  }

  @Test
  void decodeRequest_emptyAllocationsOrTags_breakTheModelsMinimum() {
    assertThatThrownBy(() -> JsonCodec.decodeRequest(Operation.BATCH_METER_USAGE, bytes("{\"ProductCode\":\"p\","
        + "\"UsageRecords\":[{\"Timestamp\":1,\"CustomerIdentifier\":\"c\",\"Dimension\":\"d\",\"UsageAllocations\":[]}]}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("1 validation error detected: usageRecords[0].usageAllocations: 0 items is below the minimum 1");
    assertThatThrownBy(() -> JsonCodec.decodeRequest(Operation.METER_USAGE, bytes("{\"ProductCode\":\"p\",\"Timestamp\":1,"
        + "\"UsageDimension\":\"d\",\"UsageAllocations\":[{\"AllocatedUsageQuantity\":1,\"Tags\":[]}]}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("1 validation error detected: usageAllocations[0].tags: 0 items is below the minimum 1");
  }

  @Test
  void decodeRequest_quantityBelowTheIntRange_isReportedAgainstTheModelsMinimum() {
    assertThatThrownBy(() -> JsonCodec.decodeRequest(Operation.METER_USAGE, bytes(
        "{\"ProductCode\":\"p\",\"Timestamp\":1,\"UsageDimension\":\"d\",\"UsageQuantity\":-99999999999}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("1 validation error detected: usageQuantity: -99999999999 is below the minimum 0");
    assertThatThrownBy(() -> JsonCodec.decodeRequest(Operation.REGISTER_USAGE, bytes(
        "{\"ProductCode\":\"p\",\"PublicKeyVersion\":-99999999999}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("1 validation error detected: publicKeyVersion: -99999999999 is below the minimum 1");
  }

  @Test
  void decodeRequest_bodyNotWellFormedUtf8_isASerializationException() {
    assertThatThrownBy(() -> JsonCodec.decodeRequest(Operation.RESOLVE_CUSTOMER,
        new byte[] {'{', '"', 'R', 'e', 'g', 'i', 's', 't', 'r', 'a', 't', 'i', 'o', 'n', 'T', 'o', 'k', 'e', 'n', '"', ':',
            '"', '.', '.', (byte) 0xC0, (byte) 0xAF, '"', '}'}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Malformed request: the body is not well-formed UTF-8 JSON text: byte 0xC0");
    assertThatThrownBy(() -> JsonCodec.decodeRequest(Operation.RESOLVE_CUSTOMER,
        "{\"RegistrationToken\":\"t\"}".getBytes(java.nio.charset.StandardCharsets.UTF_16LE)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("an unescaped control character 0x00 at byte 1");
  }

  private static MeterUsageRequest meterAt(String timestamp) {
    return JsonCodec.decodeRequest(Operation.METER_USAGE,
        bytes("{\"ProductCode\":\"p\",\"UsageDimension\":\"d\",\"Timestamp\":" + timestamp + "}"));
  }

  @Test
  void decodeRequest_unknownMembersAreIgnored_andNullsAreAbsent() {
    MeterUsageRequest r = JsonCodec.decodeRequest(Operation.METER_USAGE, bytes(
        "{\"ProductCode\":\"p\",\"Future\":{\"x\":[1,2,{}]},\"UsageDimension\":\"d\",\"Timestamp\":1,\"ClientToken\":null}"));

    assertThat(r.clientToken()).isEmpty();
    assertThat(r.usageQuantity()).isZero();
  }

  @Test
  void decodeRequest_emptyBody_isAnEmptyObject() {
    assertThatThrownBy(() -> JsonCodec.decodeRequest(Operation.RESOLVE_CUSTOMER, new byte[0]))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("registrationToken: is required");
  }

  @Test
  void decodeRequest_malformedJson_isASerializationException() {
    assertThatThrownBy(() -> JsonCodec.decodeRequest(Operation.METER_USAGE, bytes("{\"ProductCode\":")))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(": Malformed JSON: Unexpected end-of-input");
    assertThatThrownBy(() -> JsonCodec.decodeRequest(Operation.METER_USAGE, bytes("[]")))
        .isInstanceOf(SerializationException.class)
        .hasMessage("SerializationException: Expected a JSON object but found an array (status 400)");
  }

  @Test
  void decodeRequest_wrongMemberType_namesTheMember() {
    assertThatThrownBy(() -> JsonCodec.decodeRequest(Operation.BATCH_METER_USAGE,
        bytes("{\"UsageRecords\":[{\"Timestamp\":1,\"Dimension\":\"d\",\"Quantity\":\"5\"}]}")))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("usageRecords[0].quantity: expected an integer but found a string");
  }

  @Test
  void decodeRequest_quantityBeyondInt_isAConstraintViolationWithPath() {
    assertThatThrownBy(() -> JsonCodec.decodeRequest(Operation.BATCH_METER_USAGE, bytes(
        "{\"ProductCode\":\"p\",\"UsageRecords\":[{\"Timestamp\":1,\"CustomerIdentifier\":\"c\",\"Dimension\":\"d\",\"Quantity\":3000000000}]}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("usageRecords[0].quantity: 3000000000 is above the maximum 2147483647");
  }

  @Test
  void decodeRequest_missingNestedRequiredMember_namesItsPath() {
    assertThatThrownBy(() -> JsonCodec.decodeRequest(Operation.BATCH_METER_USAGE,
        bytes("{\"UsageRecords\":[{\"CustomerIdentifier\":\"c\",\"Dimension\":\"d\"}]}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("1 validation error detected: usageRecords[0].timestamp: is required");
    assertThatThrownBy(() -> JsonCodec.decodeRequest(Operation.BATCH_METER_USAGE, bytes("{}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("1 validation error detected: usageRecords: is required");
  }

  @Test
  void decodeResponse_unknownStatus_isKeptAsUnknown() {
    BatchMeterUsageResponse r = JsonCodec.decodeResponse(Operation.BATCH_METER_USAGE,
        bytes("{\"Results\":[{\"MeteringRecordId\":\"x\",\"Status\":\"SomethingNew\"}]}"));

    assertThat(r.results().get(0).status()).contains(UsageRecordResultStatus.UNKNOWN);
    assertThat(r.unprocessedRecords()).isEmpty();
  }

  @Test
  void decodeResponse_emptyBody_isAnEmptyResponse() {
    assertThat(JsonCodec.decodeResponse(Operation.METER_USAGE, new byte[0]).meteringRecordId()).isEmpty();
  }

  @Test
  void decodeResponse_garbage_isAClientException() {
    assertThatThrownBy(() -> JsonCodec.decodeResponse(Operation.METER_USAGE, bytes("<html>")))
        .isInstanceOf(MeteringClientException.class)
        .hasMessageStartingWith("Could not read the MeterUsage response");
  }

  @Test
  void errors_encodeTypeAndMessage_andDecodeAnyKnownSpelling() {
    assertThat(text(JsonCodec.encodeError("ThrottlingException", "Rate exceeded")))
        .isEqualTo("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
    assertThat(JsonCodec.decodeError(bytes("{\"code\":\"X\",\"Message\":\"m\"}")))
        .isEqualTo(new JsonCodec.ErrorBody(Optional.of("X"), Optional.of("m")));
    assertThat(JsonCodec.decodeError(bytes("<html>502</html>")))
        .isEqualTo(new JsonCodec.ErrorBody(Optional.empty(), Optional.empty()));
  }
}
