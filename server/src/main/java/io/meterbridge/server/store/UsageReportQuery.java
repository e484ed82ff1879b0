package io.meterbridge.server.store;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a usage report sums: the stored records (BatchMeterUsage and MeterUsage) whose hour lies in
 * {@code [from, to)}, optionally of one product, customer and dimension, summed per the chosen
 * {@link Key}s and per {@link Period}. A record's customer is its customer account
 * (BatchMeterUsage) or its caller account (MeterUsage: the buyer's account that runs the software).
 */
public final class UsageReportQuery {
  /** What rows may be grouped by, besides the period. */
  public enum Key {
    PRODUCT, CUSTOMER, DIMENSION, LICENSE, REGION
  }

  /** The time bucket of a row, in UTC. */
  public enum Period {
    HOUR, DAY, MONTH
  }

  private final Instant from;
  private final Instant to;
  private final String productCode;
  private final String customer;
  private final String dimension;
  private final Set<Key> keys;
  private final Period period;

  private UsageReportQuery(Builder b) {
    this.from = b.from;
    this.to = b.to;
    this.productCode = b.productCode;
    this.customer = b.customer;
    this.dimension = b.dimension;
    this.keys = Set.copyOf(b.keys);
    this.period = b.period;
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from must be before to but was " + from + " >= " + to);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The first hour included (records whose hour starts at or after it). */
  public Instant from() {
    return from;
  }

  /** The end, excluded. */
  public Instant to() {
    return to;
  }

  public Optional<String> productCode() {
    return Optional.ofNullable(productCode);
  }

  public Optional<String> customer() {
    return Optional.ofNullable(customer);
  }

  public Optional<String> dimension() {
    return Optional.ofNullable(dimension);
  }

  /** The keys rows are grouped by; empty: one row per period (or one row in all). */
  public Set<Key> keys() {
    return keys;
  }

  public boolean groups(Key key) {
    return keys.contains(key);
  }

  /** The period rows are summed over; empty: the whole range. */
  public Optional<Period> period() {
    return Optional.ofNullable(period);
  }

  @Override
  public String toString() {
    return "UsageReportQuery[from=" + from + ", to=" + to + ", productCode=" + productCode + ", customer=" + customer
        + ", dimension=" + dimension + ", keys=" + keys + ", period=" + period + "]";
  }

  /** Builds a {@link UsageReportQuery}; by default all time, everything, grouped by nothing. */
  public static final class Builder {
    private Instant from = Instant.EPOCH;
    private Instant to = Instant.ofEpochSecond(253402300799L); // 9999-12-31T23:59:59Z
    private String productCode;
    private String customer;
    private String dimension;
    private final Set<Key> keys = EnumSet.noneOf(Key.class);
    private Period period;

    private Builder() {}

    public Builder from(Instant from) {
      this.from = Require.present(from, "from");
      return this;
    }

    public Builder to(Instant to) {
      this.to = Require.present(to, "to");
      return this;
    }

    public Builder productCode(String productCode) {
      this.productCode = Require.text(productCode, "productCode");
      return this;
    }

    public Builder customer(String customer) {
      this.customer = Require.text(customer, "customer");
      return this;
    }

    public Builder dimension(String dimension) {
      this.dimension = Require.text(dimension, "dimension");
      return this;
    }

    public Builder groupBy(Key key) {
      keys.add(Require.present(key, "key"));
      return this;
    }

    public Builder period(Period period) {
      this.period = Require.present(period, "period");
      return this;
    }

    public UsageReportQuery build() {
      return new UsageReportQuery(this);
    }
  }
}
