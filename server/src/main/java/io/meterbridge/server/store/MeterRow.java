package io.meterbridge.server.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * One MeterUsage record as stored. Its dedup identity is (caller identity, product, dimension,
 * {@link #hour()}); a present client token is a second identity, unique per caller account.
 *
 * <p>The caller identity stands for the EC2 instance, ECS task or EKS pod; the service layer derives
 * it. {@code fingerprint} digests quantity and allocations (hour-key replay vs conflict);
 * {@code requestFingerprint} digests every request parameter (ClientToken replay vs
 * IdempotencyConflict). For AgentCore, where several reports per hour are legal, the service layer
 * must make the caller identity unique per token, since the store always enforces the hour key.
 */
public final class MeterRow {
  private final String meteringRecordId;
  private final String callerIdentity;
  private final String callerAccountId;
  private final String productCode;
  private final String dimension;
  private final Instant timestamp;
  private final int quantity;
  private final String allocations;
  private final String fingerprint;
  private final String clientToken;
  private final String requestFingerprint;
  private final Instant receivedAt;

  private MeterRow(Builder b) {
    this.meteringRecordId = Require.text(b.meteringRecordId, "meteringRecordId");
    this.callerIdentity = Require.text(b.callerIdentity, "callerIdentity");
    this.callerAccountId = Require.text(b.callerAccountId, "callerAccountId");
    this.productCode = Require.text(b.productCode, "productCode");
    this.dimension = Require.text(b.dimension, "dimension");
    this.timestamp = Require.present(b.timestamp, "timestamp").truncatedTo(ChronoUnit.MILLIS);
    this.quantity = b.quantity;
    this.allocations = Require.present(b.allocations, "allocations");
    this.fingerprint = Require.text(b.fingerprint, "fingerprint");
    this.clientToken = b.clientToken;
    this.requestFingerprint = Require.text(b.requestFingerprint, "requestFingerprint");
    this.receivedAt = Require.present(b.receivedAt, "receivedAt").truncatedTo(ChronoUnit.MILLIS);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .meteringRecordId(meteringRecordId)
        .callerIdentity(callerIdentity)
        .callerAccountId(callerAccountId)
        .productCode(productCode)
        .dimension(dimension)
        .timestamp(timestamp)
        .quantity(quantity)
        .allocations(allocations)
        .fingerprint(fingerprint)
        .clientTokenOrNone(clientToken)
        .requestFingerprint(requestFingerprint)
        .receivedAt(receivedAt);
  }

  public String meteringRecordId() {
    return meteringRecordId;
  }

  /** The instance, task or pod that called. */
  public String callerIdentity() {
    return callerIdentity;
  }

  /** The buyer account that called MeterUsage. */
  public String callerAccountId() {
    return callerAccountId;
  }

  public String productCode() {
    return productCode;
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

  public Optional<String> clientToken() {
    return Optional.ofNullable(clientToken);
  }

  public String requestFingerprint() {
    return requestFingerprint;
  }

  public Instant receivedAt() {
    return receivedAt;
  }

  String clientTokenOrNull() {
    return clientToken;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MeterRow r
        && meteringRecordId.equals(r.meteringRecordId)
        && callerIdentity.equals(r.callerIdentity)
        && callerAccountId.equals(r.callerAccountId)
        && productCode.equals(r.productCode)
        && dimension.equals(r.dimension)
        && timestamp.equals(r.timestamp)
        && quantity == r.quantity
        && allocations.equals(r.allocations)
        && fingerprint.equals(r.fingerprint)
        && Objects.equals(clientToken, r.clientToken)
        && requestFingerprint.equals(r.requestFingerprint)
        && receivedAt.equals(r.receivedAt);
  }

  @Override
  public int hashCode() {
    return meteringRecordId.hashCode();
  }

  @Override
  public String toString() {
    return "MeterRow[meteringRecordId=" + meteringRecordId + ", callerIdentity=" + callerIdentity
        + ", callerAccountId=" + callerAccountId + ", productCode=" + productCode
        + ", dimension=" + dimension + ", timestamp=" + timestamp + ", quantity=" + quantity
        + ", allocations=" + allocations + ", fingerprint=" + fingerprint
        + ", clientToken=" + clientToken + ", requestFingerprint=" + requestFingerprint
        + ", receivedAt=" + receivedAt + "]";
  }

  /** Builds a {@link MeterRow}; {@code allocations} defaults to the empty string. */
  public static final class Builder {
    private String meteringRecordId;
    private String callerIdentity;
    private String callerAccountId;
    private String productCode;
    private String dimension;
    private Instant timestamp;
    private int quantity;
    private String allocations = "";
    private String fingerprint;
    private String clientToken;
    private String requestFingerprint;
    private Instant receivedAt;

    private Builder() {}

    public Builder meteringRecordId(String meteringRecordId) {
      this.meteringRecordId = meteringRecordId;
      return this;
    }

    public Builder callerIdentity(String callerIdentity) {
      this.callerIdentity = callerIdentity;
      return this;
    }

    public Builder callerAccountId(String callerAccountId) {
      this.callerAccountId = callerAccountId;
      return this;
    }

    public Builder productCode(String productCode) {
      this.productCode = productCode;
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

    public Builder clientToken(String clientToken) {
      this.clientToken = Require.text(clientToken, "clientToken");
      return this;
    }

    Builder clientTokenOrNone(String clientToken) {
      this.clientToken = clientToken;
      return this;
    }

    public Builder requestFingerprint(String requestFingerprint) {
      this.requestFingerprint = requestFingerprint;
      return this;
    }

    public Builder receivedAt(Instant receivedAt) {
      this.receivedAt = receivedAt;
      return this;
    }

    public MeterRow build() {
      return new MeterRow(this);
    }
  }
}
