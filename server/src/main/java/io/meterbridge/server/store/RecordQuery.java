package io.meterbridge.server.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A filter for listing stored metering records: optionally one product, a usage-time range
 * {@code [from, to)}, and keyset pagination with a cursor from the previous {@link Page}.
 */
public final class RecordQuery {
  /** The largest page the store hands out, whatever {@code limit} asks. */
  public static final int MAX_LIMIT = 1000;

  private final String productCode;
  private final Instant from;
  private final Instant to;
  private final long after;
  /** Whether the cursor was a record's ref ({@code r<ref>}, batch pages since V7) rather than a seq. */
  private final boolean afterRef;
  private final int limit;

  private RecordQuery(Builder b) {
    this.productCode = b.productCode;
    this.from = b.from;
    this.to = b.to;
    this.after = b.after;
    this.afterRef = b.afterRef;
    this.limit = Math.min(Require.positive(b.limit, "limit"), MAX_LIMIT);
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from must be before to but was " + from + " >= " + to);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Everything, first page of 100. */
  public static RecordQuery all() {
    return builder().build();
  }

  public Optional<String> productCode() {
    return Optional.ofNullable(productCode);
  }

  public Instant from() {
    return from;
  }

  public Instant to() {
    return to;
  }

  public int limit() {
    return limit;
  }

  long afterSeq() {
    return after;
  }

  /**
   * Where a page of batch records starts: after this {@code batch_record.ref}. A bare number is a
   * cursor handed out before V7, a record's seq then; V7 made that record slot 0 of the call with
   * the same seq, so the page goes on after every slot of that call.
   */
  long afterRef() {
    return afterRef ? after : after == 0 ? 0 : after * Tables.SLOTS + Tables.SLOTS - 1;
  }

  /** The cursor that continues after the batch record stored at {@code ref}. */
  static String refCursor(long ref) {
    return "r" + ref;
  }

  /** Builds a {@link RecordQuery}; by default all products, all time, 100 per page. */
  public static final class Builder {
    private String productCode;
    private Instant from = Instant.EPOCH;
    private Instant to = Instant.ofEpochMilli(Long.MAX_VALUE);
    private long after;
    private boolean afterRef;
    private int limit = 100;

    private Builder() {}

    public Builder productCode(String productCode) {
      this.productCode = Require.text(productCode, "productCode");
      return this;
    }

    public Builder from(Instant from) {
      this.from = Require.present(from, "from");
      return this;
    }

    public Builder to(Instant to) {
      this.to = Require.present(to, "to");
      return this;
    }

    /** Continue after the page that returned this cursor. */
    public Builder after(String cursor) {
      Require.text(cursor, "cursor");
      boolean ref = cursor.startsWith("r");
      try {
        long at = Long.parseLong(ref ? cursor.substring(1) : cursor);
        if (at < 0) {
          throw new NumberFormatException("negative");
        }
        this.after = at;
        this.afterRef = ref;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a cursor this store handed out: " + cursor, e);
      }
      return this;
    }

    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    public RecordQuery build() {
      return new RecordQuery(this);
    }
  }
}
