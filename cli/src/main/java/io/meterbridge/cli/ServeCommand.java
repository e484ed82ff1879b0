package io.meterbridge.cli;

import static io.meterbridge.server.MeterbridgeServerConfig.ADMIN_TOKEN;
import static io.meterbridge.server.MeterbridgeServerConfig.BIND;
import static io.meterbridge.server.MeterbridgeServerConfig.DATA;
import static io.meterbridge.server.MeterbridgeServerConfig.DB;
import static io.meterbridge.server.MeterbridgeServerConfig.DEMO;
import static io.meterbridge.server.MeterbridgeServerConfig.DISABLED_REGIONS;
import static io.meterbridge.server.MeterbridgeServerConfig.INSECURE_ANY_CREDENTIALS;
import static io.meterbridge.server.MeterbridgeServerConfig.MAX_CONNECTIONS;
import static io.meterbridge.server.MeterbridgeServerConfig.MAX_CONNECTIONS_PER_ADDRESS;
import static io.meterbridge.server.MeterbridgeServerConfig.PORT;
import static io.meterbridge.server.MeterbridgeServerConfig.RATES;
import static io.meterbridge.server.MeterbridgeServerConfig.REGION;
import static io.meterbridge.server.MeterbridgeServerConfig.REGISTRATION_TOKEN_TTL;
import static io.meterbridge.server.MeterbridgeServerConfig.FAULTS;
import static io.meterbridge.server.MeterbridgeServerConfig.REQUEST_HEAD_TIMEOUT;
import static io.meterbridge.server.MeterbridgeServerConfig.ACCESS_LOG;
import static io.meterbridge.server.MeterbridgeServerConfig.AUDIT;
import static io.meterbridge.server.MeterbridgeServerConfig.AUDIT_RETENTION;
import static io.meterbridge.server.MeterbridgeServerConfig.SEED;
import static io.meterbridge.server.MeterbridgeServerConfig.THROTTLING;
import static io.meterbridge.server.MeterbridgeServerConfig.TIME_WINDOW;
import static io.meterbridge.server.MeterbridgeServerConfig.TLS_CERT;
import static io.meterbridge.server.MeterbridgeServerConfig.TLS_KEY;

import io.meterbridge.model.Operation;
import io.meterbridge.server.MeterbridgeServer;
import io.meterbridge.server.MeterbridgeServerConfig;
import io.meterbridge.server.MeterbridgeServerConfigException;
import io.meterbridge.server.faults.FaultPlanException;
import io.meterbridge.server.seed.SeedException;
import io.meterbridge.server.store.StoreException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
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
 * {@code meterbridge serve}: starts the server and runs until stopped (SIGTERM, Ctrl-C, or {@link
 * #stop()}), then shuts down cleanly.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs the metering service until stopped (Ctrl-C or SIGTERM).",
        "",
        "Every setting can also come from an environment variable (METERBRIDGE_PORT, METERBRIDGE_TIME_WINDOW, ...)"
            + " or a properties file (--config; keys: port, time-window, ...). Flags win over variables, variables"
            + " over the file, the file over the defaults."},
    footer = {"", "Exit codes: 0 stopped cleanly, 1 failed to start or run, 2 invalid usage or settings."})
public final class ServeCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--port", paramLabel = "N", description = "Port to listen on; 0 picks a free one. Default 8080.")
  String port;

  @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on. Default 127.0.0.1.")
  String bind;

  @Option(names = "--data", paramLabel = "DIR", description = "Directory of the SQLite database. Default ./data.")
  String data;

  @Option(names = "--db", paramLabel = "JDBC-URL",
      description = "PostgreSQL instead of SQLite, such as jdbc:postgresql://localhost:5432/meterbridge?user=me.")
  String db;

  @Option(names = "--seed", paramLabel = "FILE", description = "Seed file (JSON) loaded at start; see README.")
  String seed;

  @Option(names = "--region", paramLabel = "R", split = ",",
      description = "Region(s) served, comma-separated or repeated; the first is the default. Default us-east-1.")
  List<String> regions;

  @Option(names = "--time-window", paramLabel = "24h|6h",
      description = "BatchMeterUsage time window: 24h (current) or 6h (legacy). Default 24h.")
  String timeWindow;

  @Option(names = "--throttling", paramLabel = "on|off",
      description = "Published per-account quotas (on) or none (off). Default on.")
  String throttling;

  @Option(names = "--rate", paramLabel = "OPERATION=N", split = ",",
      description = "Per-account quota of an operation in calls a second, such as BatchMeterUsage=100.")
  List<String> rates;

  @Option(names = "--insecure-any-credentials", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "INSECURE: do not check signatures; known access keys act as their account. Local demos only.")
  String insecureAnyCredentials;

  @Option(names = "--admin-token", paramLabel = "T",
      description = "Bearer token of the admin API (16+ characters). Prefer METERBRIDGE_ADMIN_TOKEN or"
          + " --admin-token-file: ps shows flags.")
  String adminToken;

  @Option(names = "--admin-token-file", paramLabel = "FILE",
      description = "File holding the admin token (trimmed), instead of --admin-token.")
  String adminTokenFile;

  @Option(names = "--registration-token-ttl", paramLabel = "DURATION",
      description = "Lifetime of registration tokens that give none, such as 4h or 30m. Default 4h.")
  String registrationTokenTtl;

  @Option(names = "--demo", paramLabel = "on|off",
      description = "Load the demo catalog into an empty database when there is no seed file. Default on.")
  String demo;

  @Option(names = "--disabled-regions", paramLabel = "R", split = ",",
      description = "Region(s) whose calls are answered DisabledApiException, as where AWS has the API switched off.")
  List<String> disabledRegions;

  @Option(names = "--tls-cert", paramLabel = "PEM",
      description = "Serve HTTPS with this PEM certificate chain (reloaded when it changes); needs --tls-key.")
  String tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM",
      description = "The PEM PKCS#8 private key (BEGIN PRIVATE KEY) of --tls-cert.")
  String tlsKey;

  @Option(names = "--max-connections", paramLabel = "N",
      description = "Connections beyond this many are reset at accept. Default 10000.")
  String maxConnections;

  @Option(names = "--max-connections-per-address", paramLabel = "N",
      description = "Connections from one source address beyond this many are reset at accept. Default 1000.")
  String maxConnectionsPerAddress;

  @Option(names = "--request-head-timeout", paramLabel = "DURATION",
      description = "Time a request's line and headers may take to arrive, in all, such as 10s. Default 10s.")
  String requestHeadTimeout;

  @Option(names = "--faults", paramLabel = "FILE",
      description = "Fault injection from the start: a JSON fault plan, as POST /admin/faults takes (see docs/admin-api.md).")
  String faults;

  @Option(names = "--audit", paramLabel = "on|off",
      description = "Record every call and admin request in the audit trail (GET /admin/audit). Default on.")
  String audit;

  @Option(names = "--audit-retention", paramLabel = "DURATION",
      description = "How long audit entries are kept, such as 30d or 12h; older ones are deleted hourly. Default 30d.")
  String auditRetention;

  @Option(names = "--access-log", paramLabel = "off|stdout|FILE",
      description = "One line per call (format in docs/admin-api.md) to standard output or appended to FILE. Default off.")
  String accessLog;

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file with settings (keys as the flags).")
  String config;

  private final Map<String, String> env;
  private final Path workingDir;
  private final CleanStop stop;
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile MeterbridgeServer running;

  ServeCommand(Map<String, String> env, Path workingDir, boolean ownsJvm) {
    this.env = Map.copyOf(env);
    this.workingDir = workingDir;
    this.stop = new CleanStop(ownsJvm, Duration.ofSeconds(30));
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (adminToken != null && adminTokenFile != null) {
      err.println("meterbridge serve: give the admin token once: --admin-token or --admin-token-file, not both");
      err.flush();
      return 2;
    }
    if (adminToken != null) {
      err.println("meterbridge serve: " + TokenFile.visibleWarning("--admin-token", AdminEndpoint.TOKEN_VARIABLE));
    }
    String tokenFromFile = null;
    if (adminTokenFile != null) {
      try {
        tokenFromFile = TokenFile.read("--admin-token-file", workingDir, adminTokenFile);
      } catch (TokenFile.Unusable e) {
        err.println("meterbridge serve: " + e.getMessage());
        err.flush();
        return 2;
      }
    }
    Settings settings = Settings.resolve(flags(tokenFromFile), env, workingDir);
    settings.warnings().forEach(w -> err.println("meterbridge serve: " + w));
    MeterbridgeServerConfig configuration;
    try {
      configuration = settings.toConfig();
    } catch (MeterbridgeServerConfigException e) {
      err.println("meterbridge serve: invalid configuration");
      e.problems().forEach(p -> err.println("  " + p));
      err.println("Run 'meterbridge serve --help' for the settings.");
      err.flush();
      return 2;
    }

    boolean uncallable = !configuration.demo() && configuration.seedFile().isEmpty()
        && configuration.adminToken().isEmpty();
    if (uncallable && configuration.databaseUrl().isEmpty()
        && !java.nio.file.Files.exists(configuration.dataDir().resolve("meterbridge.db"))) {
      return refuseUncallable(err);
    }
    MeterbridgeServer meterbridge;
    try {
      meterbridge = MeterbridgeServer.start(configuration);
    } catch (RuntimeException e) {
      err.println("meterbridge serve: could not start: " + describe(e));
      err.flush();
      return 1;
    }
    if (uncallable && meterbridge.store().products().isEmpty()) {
      meterbridge.close();
      return refuseUncallable(err);
    }
    stop.install("meterbridge-shutdown");
    running = meterbridge;
    try {
      banner(out, meterbridge);
      started.countDown();
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      running = null;
      meterbridge.close();
      out.println("Meterbridge stopped.");
      out.flush();
      stop.done();
    }
    return 0;
  }

  /** An empty catalog and no way to fill it: a server no one could call. */
  private static int refuseUncallable(PrintWriter err) {
    err.println("meterbridge serve: will not start: the demo is off, there is no seed file and no admin token,"
        + " and the database has no products, so no one could call this server. Give a seed file (--seed),"
        + " an admin token to build the catalog over the admin API (METERBRIDGE_ADMIN_TOKEN), or leave the demo on.");
    err.flush();
    return 2;
  }

  /** Asks a running {@code serve} to shut down; returns at once. */
  public void stop() {
    stop.request();
  }

  /** The running MeterbridgeServer, once started and until stopped. */
  public Optional<MeterbridgeServer> running() {
    return Optional.ofNullable(running);
  }

  /** Waits until the server is listening; false if it did not start within the time. */
  public boolean awaitStarted(Duration timeout) throws InterruptedException {
    return started.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The message of an expected failure; type and causes of anything else, which is a bug to report. */
  private static String describe(RuntimeException e) {
    if (e instanceof UncheckedIOException && e.getCause() instanceof java.net.BindException) {
      return e.getMessage() + "\n  Another program (another meterbridge?) listens there: stop it, choose another"
          + " --port, or --port 0 for a free one (the banner shows which).";
    }
    if (e instanceof SeedException || e instanceof StoreException || e instanceof UncheckedIOException
        || e instanceof FaultPlanException) {
      return e.getMessage();
    }
    StringBuilder text = new StringBuilder(e.toString());
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      text.append("\n  caused by ").append(cause);
    }
    return text.toString();
  }

  private Map<String, String> flags(String tokenFromFile) {
    Map<String, String> flags = new LinkedHashMap<>();
    put(flags, PORT, port);
    put(flags, BIND, bind);
    put(flags, DATA, data);
    put(flags, DB, db);
    put(flags, SEED, seed);
    put(flags, FAULTS, faults);
    put(flags, REGION, regions == null ? null : String.join(",", regions));
    put(flags, TIME_WINDOW, timeWindow);
    put(flags, THROTTLING, throttling);
    put(flags, RATES, rates == null ? null : String.join(",", rates));
    put(flags, INSECURE_ANY_CREDENTIALS, insecureAnyCredentials);
    put(flags, ADMIN_TOKEN, tokenFromFile != null ? tokenFromFile : adminToken);
    put(flags, REGISTRATION_TOKEN_TTL, registrationTokenTtl);
    put(flags, DEMO, demo);
    put(flags, DISABLED_REGIONS, disabledRegions == null ? null : String.join(",", disabledRegions));
    put(flags, TLS_CERT, tlsCert);
    put(flags, TLS_KEY, tlsKey);
    put(flags, MAX_CONNECTIONS, maxConnections);
    put(flags, MAX_CONNECTIONS_PER_ADDRESS, maxConnectionsPerAddress);
    put(flags, REQUEST_HEAD_TIMEOUT, requestHeadTimeout);
    put(flags, AUDIT, audit);
    put(flags, AUDIT_RETENTION, auditRetention);
    put(flags, ACCESS_LOG, accessLog);
    put(flags, Settings.CONFIG, config);
    return flags;
  }

  private static void put(Map<String, String> flags, String setting, String value) {
    if (value != null) {
      flags.put(setting, value);
    }
  }

  private static String quotas(MeterbridgeServerConfig c) {
    if (!c.throttling().enabled()) {
      return "off";
    }
    StringBuilder text = new StringBuilder("per account:");
    for (Operation<?, ?> operation : Operation.values()) {
      text.append(' ').append(operation.name()).append(' ')
          .append(c.throttling().limit(operation).map(l -> BigDecimal.valueOf(l.perSecond()).stripTrailingZeros()
              .toPlainString() + "/s").orElse("unlimited"));
      text.append(',');
    }
    return text.substring(0, text.length() - 1);
  }

  private static boolean loopback(String host) {
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static void banner(PrintWriter out, MeterbridgeServer meterbridge) {
    MeterbridgeServerConfig c = meterbridge.config();
    out.println("Meterbridge " + MeterbridgeCommand.version() + " listening on " + meterbridge.endpoint());
    out.println("  database        " + meterbridge.databaseDescription());
    out.println("  regions         " + String.join(", ", c.regions()) + "   (BatchMeterUsage window "
        + c.timeWindow().name() + ")");
    out.println("  throttling      " + quotas(c));
    if (!c.disabledRegions().isEmpty()) {
      out.println("  disabled        " + String.join(", ", new java.util.TreeSet<>(c.disabledRegions()))
          + "   (DisabledApiException)");
    }
    out.println("  tls             " + c.tlsCertificate().map(cert -> cert + " (reloaded when it changes)")
        .orElse(loopback(c.bindAddress()) ? "off" : "off -- WARNING: " + c.bindAddress()
            + " is reachable from other machines and traffic is in clear text; set --tls-cert and --tls-key"));
    out.println("  connections     at most " + c.maxConnections() + ", " + c.maxConnectionsPerAddress()
        + " per address; request head within " + c.requestHeadTimeout().toMillis() / 1000.0 + " s");
    out.println("  authentication  " + (c.insecureAnyCredentials()
        ? "INSECURE: signatures are not checked (--insecure-any-credentials)"
        : "SigV4, with the access keys in the database"));
    out.println("  admin API       " + (c.adminToken().isPresent()
        ? meterbridge.endpoint() + "/admin/ (Authorization: Bearer <admin-token>; see docs/admin-api.md)"
        : "off (no --admin-token)"));
    out.println("  public keys     " + meterbridge.endpoint() + "/keys/{productCode}/{version}.pem");
    out.println("  audit trail     " + (c.audit() ? "on, kept " + c.auditRetention().toDays() + " days"
        + (c.auditRetention().toDays() == 0 ? " (" + c.auditRetention() + ")" : "") : "off")
        + "; access log " + c.accessLog());
    meterbridge.seeded().ifPresent(s -> out.println("  seed            " + c.seedFile().orElseThrow() + ": " + s));
    c.faultsFile().ifPresent(f -> out.println("  FAULTS          " + meterbridge.faults().plan().rules().size()
        + " rule(s) from " + f + " (fault injection: see GET /admin/faults)"));
    out.println();
    meterbridge.demo().ifPresent(d -> out.println(d.instructions(meterbridge.endpoint(), meterbridge.startedAt())));
    if (meterbridge.demoFromEarlierStart()) {
      out.println("The database holds the demo catalog of an earlier start: 'meterbridge demo' prints its keys and"
          + " commands with fresh timestamps.");
      out.println();
    }
    out.println("Press Ctrl-C to stop.");
    out.flush();
  }
}
