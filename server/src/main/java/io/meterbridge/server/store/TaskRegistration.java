package io.meterbridge.server.store;

import java.time.Instant;

/**
 * What the store knows about one running task or pod that called RegisterUsage for a product.
 *
 * @param first whether the call that returned this record created it (the entitlement-checked first call)
 * @param firstSeen when the task first registered
 * @param lastSeen the latest registration time seen
 * @param calls how many registrations were recorded, including the first
 */
public record TaskRegistration(boolean first, Instant firstSeen, Instant lastSeen, long calls) {
  public TaskRegistration {
    Require.present(firstSeen, "firstSeen");
    Require.present(lastSeen, "lastSeen");
  }
}
