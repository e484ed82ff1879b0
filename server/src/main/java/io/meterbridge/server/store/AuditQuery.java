package io.meterbridge.server.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A filter over the audit trail, newest first: a time range {@code [from, to)}, and optionally an
 * operation, an account, an outcome and a request id; keyset pagination with the cursor of the
 * previous {@link Page}.
 *
 * <p>An outcome is {@code success} (2xx), {@code failure} (anything else), an HTTP status
 * ({@code 429}) or an error code ({@code ThrottlingException}).
 */
public final class AuditQuery {
  /** The largest page the store hands out, whatever {@code limit} asks. */
  public static final int MAX_LIMIT = 1000;

  private final Instant from;
  private final Instant to;
  private final String operation;
  private final String accountId;
  private final String outcome;
  private final String requestId;
  private final long before;
  private final int limit;

  private AuditQuery(Builder b) {
    this.from = b.from;
    this.to = b.to;
    this.operation = b.operation;
    this.accountId = b.accountId;
    this.outcome = b.outcome;
    this.requestId = b.requestId;
    this.before = b.before;
    this.limit = Math.min(Require.positive(b.limit, "limit"), MAX_LIMIT);
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from must be before to but was " + from + " >= " + to);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Instant from() {
    return from;
  }

  public Instant to() {
    return to;
  }

  public Optional<String> operation() {
    return Optional.ofNullable(operation);
  }

  public Optional<String> accountId() {
    return Optional.ofNullable(accountId);
  }

  public Optional<String> outcome() {
    return Optional.ofNullable(outcome);
  }

  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  public int limit() {
    return limit;
  }

  /** The row id the page starts below; {@code Long.MAX_VALUE} for the first page. */
  long beforeId() {
    return before;
  }

  /** Builds an {@link AuditQuery}; by default all time, everything, 100 per page. */
  public static final class Builder {
    private Instant from = Instant.EPOCH;
    private Instant to = Instant.parse("9999-12-31T23:59:59Z");
    private String operation;
    private String accountId;
    private String outcome;
    private String requestId;
    private long before = Long.MAX_VALUE;
    private int limit = 100;

    private Builder() {}

    public Builder from(Instant from) {
      this.from = Require.present(from, "from");
      return this;
    }

    public Builder to(Instant to) {
      this.to = Require.present(to, "to");
      return this;
    }

    public Builder operation(String operation) {
      this.operation = Require.text(operation, "operation");
      return this;
    }

    public Builder accountId(String accountId) {
      this.accountId = Require.text(accountId, "accountId");
      return this;
    }

    /** {@code success}, {@code failure}, an HTTP status or an error code. */
    public Builder outcome(String outcome) {
      this.outcome = Require.text(outcome, "outcome");
      return this;
    }

    public Builder requestId(String requestId) {
      this.requestId = Require.text(requestId, "requestId");
      return this;
    }

    /**
     * Continues after the page whose {@link Page#cursor()} this is.
     *
     * @throws IllegalArgumentException if it is not a cursor this store handed out
     */
    public Builder after(String cursor) {
      Require.text(cursor, "cursor");
      try {
        this.before = Long.parseLong(cursor);
      } catch (NumberFormatException e) {
        this.before = -1;
      }
      if (before < 1) {
        throw new IllegalArgumentException("cursor '" + cursor + "' is not one this server handed out: pass the "
            + "nextCursor of the previous page as it was");
      }
      return this;
    }

    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    public AuditQuery build() {
      return new AuditQuery(this);
    }
  }
}
