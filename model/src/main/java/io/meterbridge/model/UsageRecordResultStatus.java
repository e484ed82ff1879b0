package io.meterbridge.model;

/**
 * What BatchMeterUsage did with one record.
 *
 * <pre>{@code
 * if (result.status().orElse(UNKNOWN) == UsageRecordResultStatus.DUPLICATE_RECORD) { ... }
 * }</pre>
 */
public enum UsageRecordResultStatus {
  /** The record was accepted and will be billed (or was accepted before: an identical replay). */
  SUCCESS("Success"),
  /** The customer has no active subscription to the product; the record was not honoured. */
  CUSTOMER_NOT_SUBSCRIBED("CustomerNotSubscribed"),
  /** A record for the same customer, dimension and hour with a different quantity came first. */
  DUPLICATE_RECORD("DuplicateRecord"),
  /** A status this version of the client does not know. */
  UNKNOWN("");

  private final String wireValue;

  UsageRecordResultStatus(String wireValue) {
    this.wireValue = wireValue;
  }

  /** The value on the wire, such as {@code Success}. */
  public String wireValue() {
    return wireValue;
  }

  /** The status for a wire value; {@link #UNKNOWN} for one this version does not know. */
  public static UsageRecordResultStatus fromWire(String value) {
    for (UsageRecordResultStatus status : values()) {
      if (status != UNKNOWN && status.wireValue.equals(value)) {
        return status;
      }
    }
    return UNKNOWN;
  }
}
