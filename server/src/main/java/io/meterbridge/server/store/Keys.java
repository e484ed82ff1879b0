package io.meterbridge.server.store;

/**
 * The writer's in-memory identities besides the rows' own keys ({@link BatchRow.Key}, {@link
 * MeterRow.Key}).
 */
final class Keys {
  private Keys() {}

  /** MeterUsage ClientToken: (caller account, token). */
  record Token(String callerAccountId, String clientToken) {
    /** The token key of a row, or null when it has no token. */
    static Token of(MeterRow r) {
      return r.clientToken().isEmpty() ? null : new Token(r.callerAccountId(), r.clientToken().get());
    }
  }

  /** What the writer needs to know about a row already stored under a key. */
  record Existing(String meteringRecordId, String fingerprint, String requestFingerprint) {}
}
