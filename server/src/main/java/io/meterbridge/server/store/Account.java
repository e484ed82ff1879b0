package io.meterbridge.server.store;

/**
 * An AWS account known to the server: a seller that calls the metering API, or a buyer.
 *
 * @param accountId the 12-digit account id
 * @param name a display name
 */
public record Account(String accountId, String name) {
  public Account {
    Require.text(accountId, "accountId");
    Require.present(name, "name");
  }
}
