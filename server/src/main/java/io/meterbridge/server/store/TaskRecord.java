package io.meterbridge.server.store;

import java.time.Instant;

/**
 * A container task or pod as RegisterUsage saw it: who it is, for which product, and the first and
 * last time it called.
 *
 * @param callerIdentity the task or pod (the caller's access key)
 * @param productCode the product it registered for
 * @param callerAccountId the buyer's account
 * @param firstSeen its first RegisterUsage call
 * @param lastSeen its latest RegisterUsage call
 * @param calls how many calls it made
 */
public record TaskRecord(
    String callerIdentity, String productCode, String callerAccountId, Instant firstSeen, Instant lastSeen, long calls) {
  public TaskRecord {
    Require.text(callerIdentity, "callerIdentity");
    Require.text(productCode, "productCode");
    Require.text(callerAccountId, "callerAccountId");
    Require.present(firstSeen, "firstSeen");
    Require.present(lastSeen, "lastSeen");
  }
}
