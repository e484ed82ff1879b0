package io.meterbridge.server.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * One BatchMeterUsage usage record as stored. Its dedup identity is (product, customer key,
 * dimension, {@link #hour()}); the store enforces it with a unique key.
 *
 * <p>The service layer supplies the {@code meteringRecordId} (a fresh UUID) and the
 * {@code fingerprint}, an opaque digest of quantity and allocations: two rows with the same key and
 * the same fingerprint are a replay, with a different fingerprint a conflict. Times are kept to the
 * millisecond.
 */
public final class BatchRow {
  private final String meteringRecordId;
  private final String productCode;
  private final String customerKey;
  private final String dimension;
  private final Instant timestamp;
  private final int quantity;
  private final String allocations;
  private final String fingerprint;
  private final String licenseArn;
  private final String callerAccountId;
  private final Instant receivedAt;

  private BatchRow(Builder b) {
    this.meteringRecordId = Require.text(b.meteringRecordId, "meteringRecordId");
    this.productCode = Require.text(b.productCode, "productCode");
    this.customerKey = Require.text(b.customerKey, "customerKey");
    this.dimension = Require.text(b.dimension, "dimension");
    this.timestamp = Require.present(b.timestamp, "timestamp").truncatedTo(ChronoUnit.MILLIS);
    this.quantity = b.quantity;
    this.allocations = Require.present(b.allocations, "allocations");
    this.fingerprint = Require.text(b.fingerprint, "fingerprint");
    this.licenseArn = b.licenseArn;
    this.callerAccountId = Require.text(b.callerAccountId, "callerAccountId");
    this.receivedAt = Require.present(b.receivedAt, "receivedAt").truncatedTo(ChronoUnit.MILLIS);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .meteringRecordId(meteringRecordId)
        .productCode(productCode)
        .customerKey(customerKey)
        .dimension(dimension)
        .timestamp(timestamp)
        .quantity(quantity)
        .allocations(allocations)
        .fingerprint(fingerprint)
        .licenseArnOrNone(licenseArn)
        .callerAccountId(callerAccountId)
        .receivedAt(receivedAt);
  }

  public String meteringRecordId() {
    return meteringRecordId;
  }

  public String productCode() {
    return productCode;
  }

  /** The CustomerIdentifier or the CustomerAWSAccountId, whichever the record named. */
  public String customerKey() {
    return customerKey;
  }

  public String dimension() {
    return dimension;
  }

  /** The usage time as sent, to the millisecond. */
  public Instant timestamp() {
    return timestamp;
  }

  /** The timestamp floored to the hour: the dedup hour. */
  public Instant hour() {
    return timestamp.truncatedTo(ChronoUnit.HOURS);
  }

  public int quantity() {
    return quantity;
  }

  /** Canonical JSON of the usage allocations, opaque to the store. */
  public String allocations() {
    return allocations;
  }

  public String fingerprint() {
    return fingerprint;
  }

  public Optional<String> licenseArn() {
    return Optional.ofNullable(licenseArn);
  }

  /** The seller account that called BatchMeterUsage. */
  public String callerAccountId() {
    return callerAccountId;
  }

  public Instant receivedAt() {
    return receivedAt;
  }

  String licenseArnOrNull() {
    return licenseArn;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchRow r
        && meteringRecordId.equals(r.meteringRecordId)
        && productCode.equals(r.productCode)
        && customerKey.equals(r.customerKey)
        && dimension.equals(r.dimension)
        && timestamp.equals(r.timestamp)
        && quantity == r.quantity
        && allocations.equals(r.allocations)
        && fingerprint.equals(r.fingerprint)
        && Objects.equals(licenseArn, r.licenseArn)
        && callerAccountId.equals(r.callerAccountId)
        && receivedAt.equals(r.receivedAt);
  }

  @Override
  public int hashCode() {
    return meteringRecordId.hashCode();
  }

  @Override
  public String toString() {
    return "BatchRow[meteringRecordId=" + meteringRecordId + ", productCode=" + productCode
        + ", customerKey=" + customerKey + ", dimension=" + dimension + ", timestamp=" + timestamp
        + ", quantity=" + quantity + ", allocations=" + allocations + ", fingerprint=" + fingerprint
        + ", licenseArn=" + licenseArn + ", callerAccountId=" + callerAccountId
        + ", receivedAt=" + receivedAt + "]";
  }

  /** Builds a {@link BatchRow}; {@code allocations} defaults to the empty string. */
  public static final class Builder {
    private String meteringRecordId;
    private String productCode;
    private String customerKey;
    private String dimension;
    private Instant timestamp;
    private int quantity;
    private String allocations = "";
    private String fingerprint;
    private String licenseArn;
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

    public Builder customerKey(String customerKey) {
      this.customerKey = customerKey;
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
      this.licenseArn = Require.text(licenseArn, "licenseArn");
      return this;
    }

    Builder licenseArnOrNone(String licenseArn) {
      this.licenseArn = licenseArn;
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
      return new BatchRow(this);
    }
  }
}
