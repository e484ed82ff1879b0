package io.meterbridge.server.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * One MeterUsage record as stored. Its dedup identity is its {@link Key}; a present client token is
 * a second identity, unique per caller account.
 *
 * <p>The caller identity stands for the EC2 instance, ECS task or EKS pod; the service layer derives
 * it. {@code fingerprint} digests quantity and allocations (hour-key replay vs conflict);
 * {@code requestFingerprint} digests every request parameter (ClientToken replay vs
 * IdempotencyConflict). For AgentCore, where several reports per hour are legal, the service layer
 * must make the caller identity unique per token, since the store always enforces the hour key.
 * Build rows with {@link #builder()}, which computes the key once.
 *
 * @param meteringRecordId the id the caller is given
 * @param key the once-per-hour identity; its hour must be the {@code timestamp}'s
 * @param callerAccountId the buyer account that called MeterUsage
 * @param timestamp the usage time as sent, to the millisecond
 * @param quantity the usage quantity
 * @param allocations the usage allocations in the canonical text form of {@code Allocations}, opaque to
 *     the store; empty for none
 * @param fingerprint the digest of quantity and allocations
 * @param clientToken the request's ClientToken
 * @param requestFingerprint the digest of every request parameter
 * @param receivedAt when the server received the call, to the millisecond
 */
public record MeterRow(
    String meteringRecordId,
    Key key,
    String callerAccountId,
    Instant timestamp,
    int quantity,
    String allocations,
    String fingerprint,
    Optional<String> clientToken,
    String requestFingerprint,
    Instant receivedAt) {

  /**
   * The once-per-hour identity of a MeterUsage record.
   *
   * @param hour the usage hour, in epoch seconds
   * @param callerIdentity the instance, task or pod that called
   * @param productCode the metered product
   * @param dimension the dimension
   */
  public record Key(long hour, String callerIdentity, String productCode, String dimension)
      implements Comparable<Key> {
    public Key {
      Require.text(callerIdentity, "callerIdentity");
      Require.text(productCode, "productCode");
      Require.text(dimension, "dimension");
    }

    @Override
    public int compareTo(Key o) {
      int c = Long.compare(hour, o.hour);
      if (c == 0) c = callerIdentity.compareTo(o.callerIdentity);
      if (c == 0) c = productCode.compareTo(o.productCode);
      if (c == 0) c = dimension.compareTo(o.dimension);
      return c;
    }
  }

  public MeterRow {
    Require.text(meteringRecordId, "meteringRecordId");
    Require.present(key, "key");
    Require.text(callerAccountId, "callerAccountId");
    timestamp = Require.present(timestamp, "timestamp").truncatedTo(ChronoUnit.MILLIS);
    Require.hourOf(key.hour(), timestamp);
    Require.present(allocations, "allocations");
    Require.text(fingerprint, "fingerprint");
    Require.present(clientToken, "clientToken");
    Require.text(requestFingerprint, "requestFingerprint");
    receivedAt = Require.present(receivedAt, "receivedAt").truncatedTo(ChronoUnit.MILLIS);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder()
        .meteringRecordId(meteringRecordId)
        .callerIdentity(key.callerIdentity())
        .callerAccountId(callerAccountId)
        .productCode(key.productCode())
        .dimension(key.dimension())
        .timestamp(timestamp)
        .quantity(quantity)
        .allocations(allocations)
        .fingerprint(fingerprint)
        .requestFingerprint(requestFingerprint)
        .receivedAt(receivedAt);
    b.clientToken = clientToken;
    return b;
  }

  /** The instance, task or pod that called. */
  public String callerIdentity() {
    return key.callerIdentity();
  }

  public String productCode() {
    return key.productCode();
  }

  public String dimension() {
    return key.dimension();
  }

  /** The timestamp floored to the hour: the dedup hour. */
  public Instant hour() {
    return Instant.ofEpochSecond(key.hour());
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
    private Optional<String> clientToken = Optional.empty();
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
      this.clientToken = Optional.of(Require.text(clientToken, "clientToken"));
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
      Require.present(timestamp, "timestamp");
      Key key = new Key(Require.epochHour(timestamp), callerIdentity, productCode, dimension);
      return new MeterRow(meteringRecordId, key, callerAccountId, timestamp, quantity, allocations, fingerprint,
          clientToken, requestFingerprint, receivedAt);
    }
  }
}
