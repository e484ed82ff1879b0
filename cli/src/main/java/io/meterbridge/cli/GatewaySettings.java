package io.meterbridge.cli;

import io.meterbridge.gateway.Gateway;
import io.meterbridge.server.MeterbridgeServerConfigException;
import io.meterbridge.server.MeterbridgeServerConfigException.Problem;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of {@code meterbridge gateway}, by the same rules as {@code serve}'s ({@link Settings}):
 * one name for the flag, the {@code METERBRIDGE_*} variable and the config file's key.
 */
final class GatewaySettings {
  static final String PORT = "port";
  static final String BIND = "bind";
  static final String DATA = "data";
  static final String DB = "db";
  static final String CATALOG = "catalog";
  static final String UPSTREAM_ENDPOINT = "upstream-endpoint";
  static final String REGION = "region";
  static final String INGEST_TOKEN = "ingest-token";
  static final String ADMIN_TOKEN = "admin-token";
  static final String WINDOW = "window";
  static final String CLOSE_DELAY = "close-delay";
  static final String ALERT_BEFORE = "alert-before";
  static final String ZERO_HOURS = "zero-hours";
  static final String QUOTA = "quota";
  static final String ACCOUNT = "account";
  static final String WORKERS = "workers";

  /** Every setting, in the order they are documented. */
  static final List<String> NAMES = List.of(PORT, BIND, DATA, DB, CATALOG, UPSTREAM_ENDPOINT, REGION, INGEST_TOKEN,
      ADMIN_TOKEN, WINDOW, CLOSE_DELAY, ALERT_BEFORE, ZERO_HOURS, QUOTA, ACCOUNT, WORKERS);

  /** The port when none is given: beside a local server on 8080. */
  static final int DEFAULT_PORT = 8090;

  private GatewaySettings() {}

  /**
   * A gateway builder with every setting applied.
   *
   * @throws MeterbridgeServerConfigException naming every invalid setting and where its value came from
   */
  static Gateway.Builder toBuilder(Settings settings) {
    List<Problem> problems = new ArrayList<>(settings.problems());
    Gateway.Builder b = Gateway.builder().port(DEFAULT_PORT).region("us-east-1");
    settings.with(PORT, problems, (v, text) -> b.port(Settings.integer(text, "a port number from 0 to 65535")));
    settings.with(BIND, problems, (v, text) -> b.bind(text));
    settings.with(DATA, problems, (v, text) -> b.dataDir(v.base().resolve(text).normalize()));
    settings.with(DB, problems, (v, text) -> b.postgres(text));
    settings.with(CATALOG, problems, (v, text) -> b.catalog(v.base().resolve(text).normalize()));
    settings.with(UPSTREAM_ENDPOINT, problems, (v, text) -> {
      try {
        b.upstreamEndpoint(new URI(text));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("'" + text + "' is not a URL such as http://127.0.0.1:8080");
      }
    });
    settings.with(REGION, problems, (v, text) -> b.region(text));
    settings.with(INGEST_TOKEN, problems, (v, text) -> b.ingestToken(text));
    settings.with(ADMIN_TOKEN, problems, (v, text) -> b.adminToken(text));
    settings.with(WINDOW, problems, (v, text) -> b.window(text));
    settings.with(CLOSE_DELAY, problems, (v, text) -> b.closeDelay(Settings.duration(text)));
    settings.with(ALERT_BEFORE, problems, (v, text) -> b.alertBefore(Settings.duration(text)));
    settings.with(ZERO_HOURS, problems, (v, text) -> b.zeroHours(Settings.bool(text)));
    settings.with(QUOTA, problems, (v, text) -> {
      try {
        b.quota(Double.parseDouble(text));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not a number of calls a second");
      }
    });
    settings.with(ACCOUNT, problems, (v, text) -> b.account(text));
    settings.with(WORKERS, problems, (v, text) -> b.workers(Settings.integer(text, "a number of threads")));
    if (settings.value(INGEST_TOKEN).isEmpty()) {
      problems.add(new Problem(INGEST_TOKEN, "required: the bearer token of POST /v1/usage, 16 characters or more;"
          + " give it through " + Settings.envName(INGEST_TOKEN) + " or the config file"));
    }
    if (!problems.isEmpty()) {
      throw new MeterbridgeServerConfigException(problems);
    }
    return b;
  }
}
