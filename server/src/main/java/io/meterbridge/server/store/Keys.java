package io.meterbridge.server.store;

/** The dedup identities, as the writer compares them in memory. */
final class Keys {
  private Keys() {}

  /** BatchMeterUsage: (hour, product, customer, dimension). Hour in epoch seconds. */
  record Batch(long hour, String productCode, String customerKey, String dimension)
      implements Comparable<Batch> {
    static Batch of(BatchRow r) {
      return new Batch(r.hour().getEpochSecond(), r.productCode(), r.customerKey(), r.dimension());
    }

    @Override
    public int compareTo(Batch o) {
      int c = Long.compare(hour, o.hour);
      if (c == 0) c = productCode.compareTo(o.productCode);
      if (c == 0) c = customerKey.compareTo(o.customerKey);
      if (c == 0) c = dimension.compareTo(o.dimension);
      return c;
    }
  }

  /** MeterUsage once-per-hour: (hour, caller identity, product, dimension). Hour in epoch seconds. */
  record Hour(long hour, String callerIdentity, String productCode, String dimension)
      implements Comparable<Hour> {
    static Hour of(MeterRow r) {
      return new Hour(r.hour().getEpochSecond(), r.callerIdentity(), r.productCode(), r.dimension());
    }

    @Override
    public int compareTo(Hour o) {
      int c = Long.compare(hour, o.hour);
      if (c == 0) c = callerIdentity.compareTo(o.callerIdentity);
      if (c == 0) c = productCode.compareTo(o.productCode);
      if (c == 0) c = dimension.compareTo(o.dimension);
      return c;
    }
  }

  /** MeterUsage ClientToken: (caller account, token). */
  record Token(String callerAccountId, String clientToken) {
    /** The token key of a row, or null when it has no token. */
    static Token of(MeterRow r) {
      String t = r.clientTokenOrNull();
      return t == null ? null : new Token(r.callerAccountId(), t);
    }
  }

  /** What the writer needs to know about a row already stored under a key. */
  record Existing(String meteringRecordId, String fingerprint, String requestFingerprint) {}
}
