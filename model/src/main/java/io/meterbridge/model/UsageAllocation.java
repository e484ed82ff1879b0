package io.meterbridge.model;

import java.util.List;

/**
 * The part of a record's quantity that belongs to one set of tags. Allocations of a record add
 * up to its quantity, and no two have the same tags; the allocation without tags takes the rest.
 *
 * <pre>{@code
 * UsageAllocation it = UsageAllocation.of(1000, Tag.of("Dept", "IT"));
 * UsageAllocation untagged = UsageAllocation.of(500);
 * }</pre>
 *
 * @param allocatedUsageQuantity the quantity, 0 to 2147483647
 * @param tags 1 to 5 tags, or empty for the untagged bucket
 */
public record UsageAllocation(int allocatedUsageQuantity, List<Tag> tags) {
  /** Copies the tags; none when null. */
  public UsageAllocation {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** An allocation of {@code quantity} to the given tags (none for the untagged bucket). */
  public static UsageAllocation of(int quantity, Tag... tags) {
    return new UsageAllocation(quantity, List.of(tags));
  }
}
