package io.meterbridge.server.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.exception.InvalidTagException;
import io.meterbridge.exception.InvalidUsageAllocationsException;
import io.meterbridge.model.Tag;
import io.meterbridge.model.UsageAllocation;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllocationsTest {
  @Test
  void check_sumEqualsQuantity_passes() {
    Allocations.check("r", 1500, List.of(UsageAllocation.of(1000, Tag.of("Dept", "IT")), UsageAllocation.of(500)));
  }

  @Test
  void check_sumDiffers_isInvalidUsageAllocations() {
    assertThatThrownBy(() -> Allocations.check("usageRecords[1]", 10, List.of(UsageAllocation.of(4))))
        .isInstanceOf(InvalidUsageAllocationsException.class)
        .hasMessageContaining("usageRecords[1]: allocated quantities add up to 4 but the usage quantity is 10");
  }

  @Test
  void check_sameTagsInAnotherOrder_isInvalidUsageAllocations() {
    List<UsageAllocation> twice = List.of(
        UsageAllocation.of(1, Tag.of("a", "1"), Tag.of("b", "2")),
        UsageAllocation.of(1, Tag.of("b", "2"), Tag.of("a", "1")));
    assertThatThrownBy(() -> Allocations.check("r", 2, twice))
        .isInstanceOf(InvalidUsageAllocationsException.class)
        .hasMessageContaining("same tags");
  }

  @Test
  void check_twoUntaggedAllocations_areTheSameTagSet() {
    assertThatThrownBy(() -> Allocations.check("r", 2, List.of(UsageAllocation.of(1), UsageAllocation.of(1))))
        .isInstanceOf(InvalidUsageAllocationsException.class);
  }

  @Test
  void check_sixDistinctKeysAcrossAllocations_isInvalidTag() {
    List<UsageAllocation> six = List.of(
        UsageAllocation.of(1, Tag.of("k1", "v"), Tag.of("k2", "v"), Tag.of("k3", "v")),
        UsageAllocation.of(1, Tag.of("k4", "v"), Tag.of("k5", "v"), Tag.of("k6", "v")));
    assertThatThrownBy(() -> Allocations.check("r", 2, six))
        .isInstanceOf(InvalidTagException.class)
        .hasMessageContaining("6 distinct tag keys");
  }

  @Test
  void check_sameKeyTwiceInOneAllocation_isInvalidTag() {
    assertThatThrownBy(() -> Allocations.check("r", 1, List.of(UsageAllocation.of(1, Tag.of("k", "a"), Tag.of("k", "b")))))
        .isInstanceOf(InvalidTagException.class);
  }

  @Test
  void fingerprint_ignoresOrderButNotValues() {
    List<UsageAllocation> a = List.of(UsageAllocation.of(1, Tag.of("x", "1")), UsageAllocation.of(2));
    List<UsageAllocation> b = List.of(UsageAllocation.of(2), UsageAllocation.of(1, Tag.of("x", "1")));
    List<UsageAllocation> c = List.of(UsageAllocation.of(2, Tag.of("x", "1")), UsageAllocation.of(1));

    assertThat(Allocations.fingerprint(3, a)).isEqualTo(Allocations.fingerprint(3, b));
    assertThat(Allocations.fingerprint(3, a)).isNotEqualTo(Allocations.fingerprint(3, c));
    assertThat(Allocations.fingerprint(3, List.of())).isNotEqualTo(Allocations.fingerprint(4, List.of()));
  }

  @Test
  void fingerprint_isStable_becauseStoredRowsAreComparedWithIt() {
    // The first 32 hex digits of SHA-256("3\n"): rows written by earlier versions must still match.
    assertThat(Allocations.fingerprint(3, List.of())).isEqualTo("1121cfccd5913f0a63fec40a6ffd44ea");
  }

  @Test
  void fingerprint_ofPlainQuantities_isTheDigestOnBothSidesOfTheTable() {
    // Quantities under 1,024 come from a table, the rest are hashed: both must be the same function.
    for (long q : new long[] {0, 1, 1023, 1024, 1025, Integer.MAX_VALUE}) {
      assertThat(Allocations.fingerprint(q, List.of())).as("quantity %d", q)
          .isEqualTo(Allocations.sha256Prefix(q + "\n"));
    }
  }

  @Test
  void parse_readsTheCanonicalFormBack_evenWithSeparatorsInsideTags() {
    List<UsageAllocation> allocations = List.of(
        UsageAllocation.of(3, Tag.of("team", "a|b=c:d"), Tag.of("env", "prod")),
        UsageAllocation.of(2),
        UsageAllocation.of(5, Tag.of("team", "")));

    List<UsageAllocation> parsed = Allocations.parse(Allocations.canonical(allocations));

    assertThat(parsed).containsExactlyInAnyOrder(
        UsageAllocation.of(3, Tag.of("env", "prod"), Tag.of("team", "a|b=c:d")),
        UsageAllocation.of(2),
        UsageAllocation.of(5, Tag.of("team", "")));
    assertThat(Allocations.parse("")).isEmpty();
  }

  @Test
  void parse_somethingElse_isAnIllegalArgument() {
    assertThatThrownBy(() -> Allocations.parse("three|x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Allocations.parse("3|9:short=1:v")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Allocations.parse("3|1:k")).isInstanceOf(IllegalArgumentException.class);
  }
}
