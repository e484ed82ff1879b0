package io.meterbridge.server.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * One BatchMeterUsage usage record as stored. Its dedup identity is its {@link Key}; the store
 * enforces it with a unique key.
 *
 * <p>The service layer supplies the {@code meteringRecordId} (a fresh UUID) and the
 * {@code fingerprint}, an opaque digest of quantity and allocations: two rows with the same key and
 * the same fingerprint are a replay, with a different fingerprint a conflict. Times are kept to the
 * millisecond. Build rows with {@link #builder()}, which computes the key once.
 *
 * @param meteringRecordId the id the caller is given
 * @param key the dedup identity; its hour must be the {@code timestamp}'s
 * @param timestamp the usage time as sent, to the millisecond
 * @param quantity the usage quantity
 * @param allocations the usage allocations in the canonical text form of {@code Allocations}, opaque to
 *     the store; empty for none
 * @param fingerprint the digest of quantity and allocations
 * @param licenseArn the customer's license, when the subscription has one
 * @param callerAccountId the seller account that called BatchMeterUsage
 * @param receivedAt when the server received the call, to the millisecond
 */
public record BatchRow(
    String meteringRecordId,
    Key key,
    Instant timestamp,
    int quantity,
    String allocations,
    String fingerprint,
    Optional<String> licenseArn,
    String callerAccountId,
    Instant receivedAt) {

  /**
   * The dedup identity of a BatchMeterUsage record: one per customer, dimension and hour.
   *
   * @param hour the usage hour, in epoch seconds
   * @param productCode the metered product
   * @param customerAccountId the customer's AWS account id (a record naming a CustomerIdentifier is
   *     stored under the account of the subscription it names)
   * @param dimension the dimension
   */
  public record Key(long hour, String productCode, String customerAccountId, String dimension)
      implements Comparable<Key> {
    public Key {
      Require.text(productCode, "productCode");
      Require.text(customerAccountId, "customerAccountId");
      Require.text(dimension, "dimension");
    }

    @Override
    public int compareTo(Key o) {
      int c = Long.compare(hour, o.hour);
      if (c == 0) c = productCode.compareTo(o.productCode);
      if (c == 0) c = customerAccountId.compareTo(o.customerAccountId);
      if (c == 0) c = dimension.compareTo(o.dimension);
      return c;
    }
  }

  public BatchRow {
    Require.text(meteringRecordId, "meteringRecordId");
    Require.present(key, "key");
    timestamp = Require.present(timestamp, "timestamp").truncatedTo(ChronoUnit.MILLIS);
    Require.hourOf(key.hour(), timestamp);
    Require.present(allocations, "allocations");
    Require.text(fingerprint, "fingerprint");
    Require.present(licenseArn, "licenseArn");
    Require.text(callerAccountId, "callerAccountId");
    receivedAt = Require.present(receivedAt, "receivedAt").truncatedTo(ChronoUnit.MILLIS);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder()
        .meteringRecordId(meteringRecordId)
        .productCode(key.productCode())
        .customerAccountId(key.customerAccountId())
        .dimension(key.dimension())
        .timestamp(timestamp)
        .quantity(quantity)
        .allocations(allocations)
        .fingerprint(fingerprint)
        .callerAccountId(callerAccountId)
        .receivedAt(receivedAt);
    b.licenseArn = licenseArn;
    return b;
  }

  public String productCode() {
    return key.productCode();
  }

  /** The customer's AWS account id. */
  public String customerAccountId() {
    return key.customerAccountId();
  }

  public String dimension() {
    return key.dimension();
  }

  /** The timestamp floored to the hour: the dedup hour. */
  public Instant hour() {
    return Instant.ofEpochSecond(key.hour());
  }

  /** Builds a {@link BatchRow}; {@code allocations} defaults to the empty string. */
  public static final class Builder {
    private String meteringRecordId;
    private String productCode;
    private String customerAccountId;
    private String dimension;
    private Instant timestamp;
    private int quantity;
    private String allocations = "";
    private String fingerprint;
    private Optional<String> licenseArn = Optional.empty();
    private String callerAccountId;
    private Instant receivedAt;

    private Builder() {}

    public Builder meteringRecordId(String meteringRecordId) {
      this.meteringRecordId = meteringRecordId;
      return this;
    }

    public Builder productCode(String productCode) {
      this.productCode = productCode;
      return this;
    }

    public Builder customerAccountId(String customerAccountId) {
      this.customerAccountId = customerAccountId;
      return this;
    }

    public Builder dimension(String dimension) {
      this.dimension = dimension;
      return this;
    }

    public Builder timestamp(Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    public Builder quantity(int quantity) {
      this.quantity = quantity;
      return this;
    }

    public Builder allocations(String allocations) {
      this.allocations = allocations;
      return this;
    }

    public Builder fingerprint(String fingerprint) {
      this.fingerprint = fingerprint;
      return this;
    }

    public Builder licenseArn(String licenseArn) {
      this.licenseArn = Optional.of(Require.text(licenseArn, "licenseArn"));
      return this;
    }

    public Builder callerAccountId(String callerAccountId) {
      this.callerAccountId = callerAccountId;
      return this;
    }

    public Builder receivedAt(Instant receivedAt) {
      this.receivedAt = receivedAt;
      return this;
    }

    public BatchRow build() {
      Require.present(timestamp, "timestamp");
      Key key = new Key(Require.epochHour(timestamp), productCode, customerAccountId, dimension);
      return new BatchRow(meteringRecordId, key, timestamp, quantity, allocations, fingerprint, licenseArn,
          callerAccountId, receivedAt);
    }
  }
}
