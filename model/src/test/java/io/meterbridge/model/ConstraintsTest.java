package io.meterbridge.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.exception.InvalidRequestException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConstraintsTest {
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private static UsageRecord.Builder record() {
    return UsageRecord.builder().timestamp(NOW).customerAwsAccountId("111122223333").dimension("users").quantity(1);
  }

  private static InvalidRequestException violation(Runnable build) {
    try {
      build.run();
    } catch (InvalidRequestException e) {
      return e;
    }
    throw new AssertionError("expected an InvalidRequestException");
  }

  @Test
  void batchMeterUsage_negativeQuantityInFourthRecord_namesPathValueAndMinimum() {
    List<UsageRecord> records = new ArrayList<>(Collections.nCopies(3, record().build()));
    records.add(record().quantity(-1).build());

    InvalidRequestException e = violation(() -> BatchMeterUsageRequest.of("prod", records));

    assertThat(e.violations()).containsExactly("usageRecords[3].quantity: -1 is below the minimum 0");
    assertThat(e).hasMessage("1 validation error detected: usageRecords[3].quantity: -1 is below the minimum 0");
  }

  @Test
  void batchMeterUsage_26Records_isRejectedWithTheListLimit() {
    List<UsageRecord> records = Collections.nCopies(26, record().build());

    assertThat(violation(() -> BatchMeterUsageRequest.of("prod", records)).violations())
        .containsExactly("usageRecords: 26 items is above the maximum 25");
  }

  @Test
  void batchMeterUsage_25RecordsAndNone_areAccepted() {
    assertThat(BatchMeterUsageRequest.of("prod", Collections.nCopies(25, record().build())).usageRecords()).hasSize(25);
    assertThat(BatchMeterUsageRequest.of("prod", List.of()).usageRecords()).isEmpty();
  }

  @Test
  void usageRecord_bothCustomerIdentifierAndAccountId_areMutuallyExclusive() {
    UsageRecord both = record().customerIdentifier("cust-1").build();

    assertThat(violation(() -> BatchMeterUsageRequest.of("prod", List.of(both))).violations())
        .containsExactly("usageRecords[0]: customerIdentifier and customerAwsAccountId are mutually exclusive; set only one");
  }

  @Test
  void usageRecord_noCustomer_isRejected() {
    UsageRecord none = UsageRecord.builder().timestamp(NOW).dimension("users").build();

    assertThat(violation(() -> BatchMeterUsageRequest.of("prod", List.of(none))).violations())
        .containsExactly("usageRecords[0]: one of customerAwsAccountId or customerIdentifier is required");
  }

  @Test
  void usageRecord_emptyCustomerIdentifier_countsAsAbsent() {
    UsageRecord r = record().customerIdentifier("").build();

    assertThat(r.customerIdentifier()).isEmpty();
    assertThat(BatchMeterUsageRequest.of("prod", List.of(r)).usageRecords()).containsExactly(r);
  }

  @Test
  void usageRecord_missingTimestampAndDimension_areRequired() {
    assertThat(violation(() -> UsageRecord.builder().customerIdentifier("c").build()).violations())
        .containsExactly("timestamp: is required", "dimension: is required");
  }

  @Test
  void usageRecord_patternsAndLengths_followTheModel() {
    UsageRecord bad = UsageRecord.builder().timestamp(NOW).dimension("")
        .customerAwsAccountId("12ab").licenseArn("arn:nope").build();

    assertThat(violation(() -> BatchMeterUsageRequest.of("prod", List.of(bad))).violations()).containsExactly(
        "usageRecords[0].dimension: '' is shorter than the minimum length 1",
        "usageRecords[0].customerAwsAccountId: '12ab' does not match the pattern ^[0-9]+$",
        "usageRecords[0].licenseArn: 'arn:nope' does not match the pattern " + Constraints.LICENSE_ARN.pattern().replace("\\z", "$"));
  }

  @Test
  void productCode_withSpace_breaksThePattern() {
    assertThat(violation(() -> BatchMeterUsageRequest.of("prod code", List.of())).violations())
        .containsExactly("productCode: 'prod code' does not match the pattern ^[-a-zA-Z0-9/=:_.@]*$");
  }

  @Test
  void tags_useTheModelRegexIncludingTheSpaceToEqualsRange() {
    // ' -=' is a range: '!' and '#' pass, as they do against the real service's model regex.
    UsageAllocation odd = UsageAllocation.of(1, Tag.of("a!b#c", "v"));
    UsageAllocation bad = UsageAllocation.of(1, Tag.of("k", "v~"));

    MeterUsageRequest ok = meter().usageQuantity(1).usageAllocations(odd).build();
    assertThat(ok.usageAllocations()).containsExactly(odd);
    assertThat(violation(() -> meter().usageQuantity(1).usageAllocations(bad).build()).violations())
        .containsExactly("usageAllocations[0].tags[0].value: 'v~' does not match the pattern ^[a-zA-Z0-9+ -=._:\\/@]+$");
  }

  @Test
  void patterns_endOfInputIsTheEnd_soATrailingNewlineIsRefused() {
    // Java's '$' would accept "prod\n"; the model's patterns follow ECMA-262, where it does not.
    assertThat(violation(() -> BatchMeterUsageRequest.of("prod\n", List.of())).violations())
        .singleElement().asString().startsWith("productCode: 'prod\n' does not match");
    assertThat(violation(() -> meter().usageAllocations(UsageAllocation.of(0, Tag.of("k\n", "v"))).build()).violations())
        .singleElement().asString().startsWith("usageAllocations[0].tags[0].key:");
  }

  @Test
  void tags_moreThanFiveOnOneAllocation_breakTheListLimit() {
    Tag[] six = new Tag[6];
    for (int i = 0; i < 6; i++) {
      six[i] = Tag.of("k" + i, "v");
    }

    assertThat(violation(() -> meter().usageQuantity(1).usageAllocations(UsageAllocation.of(1, six)).build()).violations())
        .containsExactly("usageAllocations[0].tags: 6 items is above the maximum 5");
  }

  @Test
  void meterUsage_missingRequiredMembers_areAllReported() {
    assertThat(violation(() -> MeterUsageRequest.builder().build()).violations())
        .containsExactly("productCode: is required", "timestamp: is required", "usageDimension: is required");
  }

  @Test
  void meterUsage_clientTokenLongerThan64_isRejected() {
    assertThat(violation(() -> meter().clientToken("x".repeat(65)).build()).violations())
        .containsExactly("clientToken: length 65 is above the maximum length 64");
  }

  @Test
  void registerUsage_publicKeyVersionZero_isBelowTheMinimum() {
    assertThat(violation(() -> RegisterUsageRequest.builder().productCode("p").publicKeyVersion(0).build()).violations())
        .containsExactly("publicKeyVersion: 0 is below the minimum 1");
  }

  @Test
  void registerUsage_nonceOf256CodePoints_isTooLong() {
    assertThatThrownBy(() -> RegisterUsageRequest.builder().productCode("p").publicKeyVersion(1).nonce("é".repeat(256)).build())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("nonce: length 256 is above the maximum length 255");
  }

  @Test
  void resolveCustomer_emptyToken_isRejected() {
    assertThatThrownBy(() -> ResolveCustomerRequest.of(""))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("1 validation error detected: registrationToken: '' is shorter than the minimum length 1");
  }

  @Test
  void builders_toBuilder_roundTrips() {
    MeterUsageRequest m = meter().usageQuantity(3).dryRun(true).clientToken("t").build();
    assertThat(m.toBuilder().build()).isEqualTo(m);
    UsageRecord r = record().licenseArn("arn:aws:license-manager::123456789012:license:l-1").build();
    assertThat(r.toBuilder().build()).isEqualTo(r);
  }

  private static MeterUsageRequest.Builder meter() {
    return MeterUsageRequest.builder().productCode("prod").timestamp(NOW).usageDimension("d");
  }
}
