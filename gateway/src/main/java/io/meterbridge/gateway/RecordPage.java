package io.meterbridge.gateway;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One page of ledger records.
 *
 * @param records the records, in id order
 * @param nextCursor pass as {@link RecordQuery#after()} for the next page; empty on the last
 */
public record RecordPage(List<LedgerRecord> records, OptionalLong nextCursor) {
  public RecordPage {
    records = List.copyOf(records);
    Objects.requireNonNull(nextCursor, "nextCursor");
  }
}
