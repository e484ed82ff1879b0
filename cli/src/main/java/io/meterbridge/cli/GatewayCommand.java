package io.meterbridge.cli;

import io.meterbridge.gateway.CatalogProduct;
import io.meterbridge.gateway.Gateway;
import io.meterbridge.gateway.GatewayException;
import io.meterbridge.server.MeterbridgeServerConfigException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code meterbridge gateway}: runs the metering gateway (see {@link Gateway}) until stopped
 * (SIGTERM, Ctrl-C, or {@link #stop()}), then shuts down cleanly.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs the metering gateway until stopped (Ctrl-C or SIGTERM): takes usage events on"
        + " POST /v1/usage, sums them per customer, dimension and hour, and sends each hour's records to"
        + " BatchMeterUsage once, on time, at the account's quota.",
        "",
        "Every setting can also come from an environment variable (METERBRIDGE_INGEST_TOKEN, METERBRIDGE_QUOTA, ...)"
            + " or a properties file (--config; keys: port, ingest-token, ...). Flags win over variables, variables"
            + " over the file, the file over the defaults. Upstream credentials come from the AWS default chain"
            + " (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, the profile, ECS/EKS, EC2)."},
    footer = {"", "Exit codes: 0 stopped cleanly, 1 failed to start or run, 2 invalid usage or settings."})
public final class GatewayCommand implements Callable<Integer> {
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(40);

  @Spec
  private CommandSpec spec;

  @Option(names = "--port", paramLabel = "N", description = "Port to listen on; 0 picks a free one. Default 8090.")
  String port;

  @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on. Default 127.0.0.1.")
  String bind;

  @Option(names = "--data", paramLabel = "DIR", description = "Directory of the SQLite database gateway.db. Default ./data.")
  String data;

  @Option(names = "--db", paramLabel = "JDBC-URL",
      description = "PostgreSQL instead of SQLite; several gateways may share it. Give a password through the"
          + " environment or the config file.")
  String db;

  @Option(names = "--catalog", paramLabel = "FILE",
      description = "Seed file whose products (code, type, dimensions) the gateway accepts usage for.")
  String catalog;

  @Option(names = "--upstream-endpoint", paramLabel = "URL",
      description = "Send to this endpoint instead of AWS's (another Meterbridge, such as http://127.0.0.1:8080).")
  String upstreamEndpoint;

  @Option(names = "--region", paramLabel = "R", description = "AWS region of the Metering Service. Default us-east-1.")
  String region;

  @Option(names = "--ingest-token", paramLabel = "T",
      description = "Bearer token of POST /v1/usage (16+ characters). Prefer METERBRIDGE_INGEST_TOKEN: ps shows flags.")
  String ingestToken;

  @Option(names = "--admin-token", paramLabel = "T",
      description = "Bearer token of the admin API (16+ characters). Prefer METERBRIDGE_ADMIN_TOKEN or"
          + " --admin-token-file: ps shows flags.")
  String adminToken;

  @Option(names = "--admin-token-file", paramLabel = "FILE",
      description = "File holding the admin token (trimmed), instead of --admin-token.")
  String adminTokenFile;

  @Option(names = "--window", paramLabel = "24h|6h",
      description = "AWS's window for a record: 24h (current, month-end cutoff 06:00 UTC) or 6h. Default 24h.")
  String window;

  @Option(names = "--close-delay", paramLabel = "DURATION",
      description = "How long after its end an hour closes, for late events. Default 10m.")
  String closeDelay;

  @Option(names = "--alert-before", paramLabel = "DURATION",
      description = "Alert (WARN, status count) on records unsent this long before their deadline. Default 1h.")
  String alertBefore;

  @Option(names = "--zero-hours", arity = "0..1", fallbackValue = "on", paramLabel = "on|off",
      description = "Send a zero record for every known customer and hour without usage. Default off.")
  String zeroHours;

  @Option(names = "--quota", paramLabel = "CALLS_PER_SECOND",
      description = "The account's BatchMeterUsage quota, shared by every gateway on the database. Default 10.")
  String quota;

  @Option(names = "--account", paramLabel = "NAME",
      description = "Name of the quota's account: gateways naming the same one share it. Default 'default'.")
  String account;

  @Option(names = "--workers", paramLabel = "N", description = "Forwarding threads. Default 4.")
  String workers;

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file with settings (keys as the flags).")
  String config;

  private final Map<String, String> env;
  private final Path workingDir;
  private final CleanStop stop;
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile Gateway running;

  GatewayCommand(Map<String, String> env, Path workingDir, boolean ownsJvm) {
    this.env = Map.copyOf(env);
    this.workingDir = workingDir;
    this.stop = new CleanStop(ownsJvm, SHUTDOWN_WAIT);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (adminToken != null && adminTokenFile != null) {
      err.println("meterbridge gateway: give the admin token once: --admin-token or --admin-token-file, not both");
      err.flush();
      return 2;
    }
    if (adminToken != null) {
      err.println("meterbridge gateway: " + TokenFile.visibleWarning("--admin-token", AdminEndpoint.TOKEN_VARIABLE));
    }
    String tokenFromFile = null;
    if (adminTokenFile != null) {
      try {
        tokenFromFile = TokenFile.read("--admin-token-file", workingDir, adminTokenFile);
      } catch (TokenFile.Unusable e) {
        err.println("meterbridge gateway: " + e.getMessage());
        err.flush();
        return 2;
      }
    }
    Settings settings = Settings.resolve(GatewaySettings.NAMES, flags(tokenFromFile), env, workingDir);
    settings.warnings().forEach(w -> err.println("meterbridge gateway: " + w));
    if (ingestToken != null) {
      err.println("meterbridge gateway: warning: --ingest-token is visible to every user of this machine (ps);"
          + " give it through " + Settings.envName(GatewaySettings.INGEST_TOKEN) + " or the config file");
    }
    Gateway.Builder builder;
    try {
      builder = GatewaySettings.toBuilder(settings);
    } catch (MeterbridgeServerConfigException e) {
      err.println("meterbridge gateway: invalid configuration");
      e.problems().forEach(p -> err.println("  " + p));
      err.println("Run 'meterbridge gateway --help' for the settings.");
      err.flush();
      return 2;
    }
    Gateway gateway;
    try {
      gateway = builder.start();
    } catch (GatewayException | UncheckedIOException | IllegalArgumentException e) {
      err.println("meterbridge gateway: could not start: " + e.getMessage());
      err.flush();
      return 1;
    } catch (RuntimeException e) {
      err.println("meterbridge gateway: could not start: " + e);
      e.printStackTrace(err);
      err.flush();
      return 1;
    }
    stop.install("meterbridge-gateway-shutdown");
    running = gateway;
    try {
      banner(out, gateway, settings);
      started.countDown();
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      running = null;
      gateway.close();
      out.println("Meterbridge gateway stopped.");
      out.flush();
      stop.done();
    }
    return 0;
  }

  /** Asks a running gateway to shut down; returns at once. */
  public void stop() {
    stop.request();
  }

  /** The running gateway, once started and until stopped. */
  public Optional<Gateway> running() {
    return Optional.ofNullable(running);
  }

  /** Waits until the gateway is listening; false if it did not start within the time. */
  public boolean awaitStarted(Duration timeout) throws InterruptedException {
    return started.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private Map<String, String> flags(String tokenFromFile) {
    Map<String, String> flags = new LinkedHashMap<>();
    put(flags, GatewaySettings.PORT, port);
    put(flags, GatewaySettings.BIND, bind);
    put(flags, GatewaySettings.DATA, data);
    put(flags, GatewaySettings.DB, db);
    put(flags, GatewaySettings.CATALOG, catalog);
    put(flags, GatewaySettings.UPSTREAM_ENDPOINT, upstreamEndpoint);
    put(flags, GatewaySettings.REGION, region);
    put(flags, GatewaySettings.INGEST_TOKEN, ingestToken);
    put(flags, GatewaySettings.ADMIN_TOKEN, tokenFromFile != null ? tokenFromFile : adminToken);
    put(flags, GatewaySettings.WINDOW, window);
    put(flags, GatewaySettings.CLOSE_DELAY, closeDelay);
    put(flags, GatewaySettings.ALERT_BEFORE, alertBefore);
    put(flags, GatewaySettings.ZERO_HOURS, zeroHours);
    put(flags, GatewaySettings.QUOTA, quota);
    put(flags, GatewaySettings.ACCOUNT, account);
    put(flags, GatewaySettings.WORKERS, workers);
    put(flags, Settings.CONFIG, config);
    return flags;
  }

  private static void put(Map<String, String> flags, String setting, String value) {
    if (value != null) {
      flags.put(setting, value);
    }
  }

  private static void banner(PrintWriter out, Gateway gateway, Settings settings) {
    String endpoint = "http://" + settings.value(GatewaySettings.BIND).map(Settings.Value::text).orElse("127.0.0.1")
        + ":" + gateway.port().orElseThrow();
    out.println("Meterbridge gateway " + MeterbridgeCommand.version() + " listening on " + endpoint);
    out.println("  database        " + gateway.databaseDescription());
    out.println("  upstream        " + settings.value(GatewaySettings.UPSTREAM_ENDPOINT).map(Settings.Value::text)
        .orElse("AWS Marketplace Metering in " + settings.value(GatewaySettings.REGION).map(Settings.Value::text)
            .orElse("us-east-1")) + " (credentials: the AWS default chain)");
    out.println("  catalog         " + gateway.products().stream().map(GatewayCommand::describe).toList());
    out.println("  ingest          POST " + endpoint + "/v1/usage (Authorization: Bearer <ingest-token>)");
    out.println("  ledger          GET " + endpoint + "/v1/usage/records, /v1/usage/events/{id}, /v1/usage/status");
    out.println("  admin API       " + (settings.value(GatewaySettings.ADMIN_TOKEN).isPresent()
        ? endpoint + "/admin/ (clock, products)" : "off (no --admin-token)"));
    out.println();
    out.println("Press Ctrl-C to stop.");
    out.flush();
  }

  private static String describe(CatalogProduct p) {
    return p.productCode() + " (" + p.type() + ": " + String.join(", ", p.dimensions()) + ")";
  }
}
