package io.meterbridge.gateway;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which ledger records to list: every filter is optional; {@code from} and {@code to} bound the usage
 * hour ({@code from} inclusive, {@code to} exclusive). Records come in id order, {@code limit} at a
 * time; pass a page's cursor as {@code after} for the next.
 *
 * <pre>{@code
 * RecordQuery q = RecordQuery.builder().productCode("prod-saas").state(RecordState.SENT).limit(500).build();
 * }</pre>
 */
public record RecordQuery(
    Optional<String> productCode,
    Optional<String> customer,
    Optional<Instant> from,
    Optional<Instant> to,
    Optional<RecordState> state,
    long after,
    int limit) {

  /** The most records one page holds. */
  public static final int MAX_LIMIT = 1000;

  public RecordQuery {
    productCode = Objects.requireNonNullElse(productCode, Optional.empty());
    customer = Objects.requireNonNullElse(customer, Optional.empty());
    from = Objects.requireNonNullElse(from, Optional.empty());
    to = Objects.requireNonNullElse(to, Optional.empty());
    state = Objects.requireNonNullElse(state, Optional.empty());
    if (after < 0) {
      throw new IllegalArgumentException("after must not be negative: " + after);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ": " + limit);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RecordQuery}; the default limit is 100. */
  public static final class Builder {
    private String productCode;
    private String customer;
    private Instant from;
    private Instant to;
    private RecordState state;
    private long after;
    private int limit = 100;

    private Builder() {}

    public Builder productCode(String productCode) {
      this.productCode = productCode;
      return this;
    }

    /** A customer account id or customer identifier. */
    public Builder customer(String customer) {
      this.customer = customer;
      return this;
    }

    public Builder from(Instant from) {
      this.from = from;
      return this;
    }

    public Builder to(Instant to) {
      this.to = to;
      return this;
    }

    public Builder state(RecordState state) {
      this.state = state;
      return this;
    }

    /** The cursor of the previous page. */
    public Builder after(long after) {
      this.after = after;
      return this;
    }

    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    public RecordQuery build() {
      return new RecordQuery(Optional.ofNullable(productCode), Optional.ofNullable(customer),
          Optional.ofNullable(from), Optional.ofNullable(to), Optional.ofNullable(state), after, limit);
    }
  }
}
