package io.meterbridge.server.seed;

import java.time.Duration;

/**
 * What loading a seed file (or the demo catalog) wrote.
 *
 * @param accounts accounts upserted
 * @param accessKeys access keys upserted
 * @param products products upserted
 * @param signingKeysGenerated RSA key pairs generated for public key versions the database lacked
 * @param subscriptions subscriptions upserted
 * @param registrationTokens registration tokens upserted
 * @param elapsed how long reading, checking and writing took
 */
public record SeedSummary(
    int accounts, int accessKeys, int products, int signingKeysGenerated, int subscriptions,
    int registrationTokens, Duration elapsed) {

  @Override
  public String toString() {
    return accounts + " accounts, " + accessKeys + " access keys, " + products + " products ("
        + signingKeysGenerated + " signing keys generated), " + subscriptions + " subscriptions, "
        + registrationTokens + " registration tokens in " + elapsed.toMillis() + " ms";
  }
}
