package io.meterbridge.gateway;

import io.meterbridge.model.Tag;
import java.util.List;
import java.util.Objects;

/**
 * The part of an event's quantity that belongs to one set of tags (AWS's vendor-metered tagging).
 * An event's allocations add up to its quantity and no two have the same tags; an allocation without
 * tags takes the untagged rest. The gateway sums allocations per tag set into the record's
 * {@code UsageAllocations}.
 *
 * <pre>{@code
 * Allocation it = Allocation.of(1000, Tag.of("Dept", "IT"));
 * }</pre>
 *
 * @param quantity the allocated quantity, at least 0
 * @param tags up to 5 tags; empty for the untagged bucket
 */
public record Allocation(long quantity, List<Tag> tags) {
  public Allocation {
    tags = List.copyOf(Objects.requireNonNull(tags, "tags"));
  }

  /** An allocation of {@code quantity} to {@code tags} (none for the untagged bucket). */
  public static Allocation of(long quantity, Tag... tags) {
    return new Allocation(quantity, List.of(tags));
  }
}
