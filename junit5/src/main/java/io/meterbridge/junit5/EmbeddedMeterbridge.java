package io.meterbridge.junit5;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.MeteringAsyncClient;
import io.meterbridge.client.MeteringClient;
import io.meterbridge.server.MeterbridgeServer;
import io.meterbridge.server.MeterbridgeServerConfig;
import io.meterbridge.server.ServerClock;
import io.meterbridge.server.faults.FaultPlan;
import io.meterbridge.server.faults.Faults;
import io.meterbridge.server.seed.DemoCatalog;
import io.meterbridge.server.seed.SeedFile;
import io.meterbridge.server.store.AccessKey;
import io.meterbridge.server.store.BatchRow;
import io.meterbridge.server.store.CatalogChanges;
import io.meterbridge.server.store.MeterRow;
import io.meterbridge.server.store.Page;
import io.meterbridge.server.store.RecordQuery;
import io.meterbridge.server.store.Store;
import io.meterbridge.server.store.TaskRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * An embedded Meterbridge server started by {@link MeterbridgeExtension} for a test class, and what
 * a test needs to drive it: clients signed with the catalog's keys, the server's clock, its faults,
 * its stored records and its catalog. Inject it as a parameter of a test or lifecycle method.
 *
 * <pre>{@code
 * @Test
 * void lateUsage_isRefused(MeteringClient client, EmbeddedMeterbridge meterbridge) {
 *   Instant now = meterbridge.now();
 *   meterbridge.shiftClock(Duration.ofHours(25));
 *   assertThat(client.batchMeterUsage(...).unprocessedRecords()) ...
 * }
 * }</pre>
 *
 * <p>Everything goes through the server's Java API, in the test's JVM; no admin token is needed.
 * While it runs, the server's logs are kept off the console (the extension prints them for a
 * failing test).
 * Catalog changes take effect at once (the server's catalog cache is dropped after each).
 * Thread-safe, as the server is; {@link #reset()} must not run while calls are in flight.
 */
public final class EmbeddedMeterbridge implements AutoCloseable {
  private static final String BIND = "127.0.0.1";

  private final Settings settings;
  private final Path directory;
  private final Optional<Path> seedFile;
  private final List<AutoCloseable> clients = new ArrayList<>();
  private MeterbridgeServer server;
  private Optional<String> schema = Optional.empty();
  private int starts;
  private AccessKey defaultKey;
  private MeteringClient client;
  private MeteringAsyncClient asyncClient;
  private boolean closed;

  private EmbeddedMeterbridge(Settings settings, Path directory, Optional<Path> seedFile) {
    this.settings = settings;
    this.directory = directory;
    this.seedFile = seedFile;
  }

  /** Starts a server as {@code settings} say, in a new temporary directory. */
  static EmbeddedMeterbridge start(Settings settings) {
    Path directory;
    try {
      directory = Files.createTempDirectory("meterbridge-test-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for the test server's database: "
          + e.getMessage(), e);
    }
    EmbeddedMeterbridge meterbridge = null;
    LogCapture.hold();
    try {
      meterbridge = new EmbeddedMeterbridge(settings, directory, seedFile(settings, directory));
      meterbridge.open(0);
      meterbridge.defaultKey = meterbridge.findDefaultKey();
      return meterbridge;
    } catch (RuntimeException | Error e) {
      if (meterbridge != null) {
        meterbridge.close();
      } else {
        delete(directory);
        LogCapture.release();
      }
      throw e;
    }
  }

  private static Optional<Path> seedFile(Settings settings, Path directory) {
    if (settings.catalog().isPresent()) {
      Path file = directory.resolve("catalog.json");
      write(file, settings.catalog().get().toSeedJson());
      return Optional.of(file);
    }
    if (settings.seed().isEmpty()) {
      return Optional.empty();
    }
    String name = settings.seed().get();
    ClassLoader loader = Optional.ofNullable(Thread.currentThread().getContextClassLoader())
        .orElse(EmbeddedMeterbridge.class.getClassLoader());
    URL resource = loader.getResource(name.startsWith("/") ? name.substring(1) : name);
    if (resource != null) {
      Path file = directory.resolve("seed.json");
      try (InputStream in = resource.openStream()) {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the seed resource " + resource + ": " + e.getMessage(), e);
      }
      return Optional.of(file);
    }
    Path file = Path.of(name);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("seed '" + name + "' is neither a class path resource nor a file"
          + " (relative paths start at " + Path.of("").toAbsolutePath() + "); put it in src/test/resources"
          + " or give a path to an existing file");
    }
    return Optional.of(file);
  }

  private void open(int port) {
    starts++;
    MeterbridgeServerConfig.Builder config = MeterbridgeServerConfig.builder();
    settings.server().accept(config);
    config.port(port).bindAddress(BIND).dataDir(directory.resolve("data-" + starts)).demo(true);
    seedFile.ifPresent(config::seedFile);
    if (settings.database().isPresent()) {
      String name = "meterbridge_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
      sql(settings.database().get(), "CREATE SCHEMA " + name);
      schema = Optional.of(name);
      config.databaseUrl(withSchema(settings.database().get(), name));
    }
    server = MeterbridgeServer.start(config.build());
  }

  private AccessKey findDefaultKey() {
    Store store = server.store();
    if (settings.accessKeyId().isPresent()) {
      String id = settings.accessKeyId().get();
      return store.accessKey(id).orElseThrow(() -> new IllegalArgumentException(
          "accessKeyId '" + id + "' is not in the catalog; add it to the catalog or seed file, or leave it empty"
              + " for the key of the first product's seller"));
    }
    if (settings.catalog().isPresent()) {
      return settings.catalog().get().sellerAccessKeyId().flatMap(store::accessKey).orElse(null);
    }
    if (seedFile.isPresent()) {
      SeedFile seed = SeedFile.read(seedFile.get());
      List<AccessKey> keys = seed.accessKeys();
      return seed.sellers().stream()
          .flatMap(seller -> keys.stream().filter(k -> k.accountId().equals(seller)))
          .findFirst()
          .orElse(keys.isEmpty() ? null : keys.get(0));
    }
    return store.accessKey(DemoCatalog.SELLER_ACCESS_KEY_ID).orElse(null);
  }

  // ---- the server ----

  /** The URL clients call: {@code http://127.0.0.1:<port>}. The port stays the same across {@link #reset()}. */
  public URI endpoint() {
    return server.endpoint();
  }

  /** The server's first (default) region, {@code us-east-1} unless configured otherwise. */
  public String region() {
    return server.config().regions().get(0);
  }

  /** The running server, for what this class does not cover. A {@link #reset()} replaces it. */
  public MeterbridgeServer server() {
    return server;
  }

  /**
   * A fresh start: the server is stopped and started again on the same port with a new, empty
   * database, into which the catalog is loaded again; the clock is back to real time and no faults
   * are set. Clients given out before keep working.
   */
  public synchronized void reset() {
    int port = server.port();
    server.close();
    dropSchema();
    open(port);
  }

  // ---- clients ----

  /**
   * The client signed with the catalog's seller key (or the key named by {@code accessKeyId}),
   * pointed at this server. Closed by the extension after the test class.
   *
   * @throws IllegalStateException if the catalog has no access key
   */
  public synchronized MeteringClient client() {
    if (client == null) {
      client = clientBuilder().build();
    }
    return client;
  }

  /** The asynchronous twin of {@link #client()}. */
  public synchronized MeteringAsyncClient asyncClient() {
    if (asyncClient == null) {
      asyncClient = MeteringAsyncClient.builder()
          .region(region())
          .endpointOverride(endpoint())
          .credentials(credentials(defaultKey()))
          .build();
    }
    return asyncClient;
  }

  /**
   * A client signed with another key of the catalog, such as a buyer's for MeterUsage and
   * RegisterUsage. Closed by the extension after the test class.
   *
   * @throws IllegalArgumentException if the key is not in the catalog
   */
  public synchronized MeteringClient client(String accessKeyId) {
    AccessKey key = server.store().accessKey(accessKeyId).orElseThrow(() -> new IllegalArgumentException(
        "access key '" + accessKeyId + "' is not in the catalog; load it first (load(TestCatalog) or the seed file)"));
    MeteringClient other = MeteringClient.builder()
        .region(region())
        .endpointOverride(endpoint())
        .credentials(credentials(key))
        .build();
    clients.add(other);
    return other;
  }

  /**
   * A client builder already pointed at this server, with its region and the default key, for
   * clients with other settings (retries, timeouts, interceptors). Close what you build.
   */
  public MeteringClient.Builder clientBuilder() {
    return MeteringClient.builder()
        .region(region())
        .endpointOverride(endpoint())
        .credentials(credentials(defaultKey()));
  }

  /** The access key id of {@link #client()}. */
  public String accessKeyId() {
    return defaultKey().accessKeyId();
  }

  private AccessKey defaultKey() {
    if (defaultKey == null) {
      throw new IllegalStateException("the catalog has no access key to sign the client with: give an account"
          + " a key (TestCatalog.Builder.account(accountId, accessKeyId, secret), or accessKeys in the seed file)");
    }
    return defaultKey;
  }

  private static AwsCredentials credentials(AccessKey key) {
    return AwsCredentials.of(key.accessKeyId(), key.secretAccessKey());
  }

  // ---- time ----

  /** The server's clock: {@link ServerClock#shift}, {@link ServerClock#set}, {@link ServerClock#reset}. */
  public ServerClock clock() {
    return server.clock();
  }

  /** The server's current time (real time plus any shift). */
  public Instant now() {
    return server.clock().instant();
  }

  /**
   * Moves the server's time by {@code delta}, as {@code POST /admin/clock} does: a shift of 25 hours
   * makes the records of now fall out of BatchMeterUsage's window, and expires registration tokens.
   */
  public void shiftClock(Duration delta) {
    server.clock().shift(delta);
  }

  // ---- faults ----

  /**
   * Sets the faults to inject, as JSON in the format of {@code POST /admin/faults}, replacing any
   * earlier ones: {@code {"rules": [{"operation": "BatchMeterUsage", "kind": "throttle", "count": 2}]}}.
   *
   * @throws io.meterbridge.server.faults.FaultPlanException listing every problem of the plan
   */
  public void faults(String json) {
    server.faults().apply(FaultPlan.parse(json.getBytes(StandardCharsets.UTF_8)));
  }

  /** No faults any more. */
  public void clearFaults() {
    server.faults().clear();
  }

  /** The faults in force, and how often each rule fired. */
  public Faults faults() {
    return server.faults();
  }

  // ---- records ----

  /** Every stored BatchMeterUsage record of {@code productCode}, in storage order. */
  public List<BatchRow> batchRecords(String productCode) {
    return all(query -> server.store().batchRecords(query), productCode);
  }

  /** Every stored MeterUsage record of {@code productCode}, in storage order. */
  public List<MeterRow> meterRecords(String productCode) {
    return all(query -> server.store().meterRecords(query), productCode);
  }

  /** Every task or pod registered for {@code productCode} (RegisterUsage), by first call. */
  public List<TaskRecord> tasks(String productCode) {
    return server.store().tasks(productCode);
  }

  private static <T> List<T> all(Function<RecordQuery, Page<T>> read, String productCode) {
    List<T> all = new ArrayList<>();
    RecordQuery.Builder query = RecordQuery.builder().productCode(productCode).limit(RecordQuery.MAX_LIMIT);
    while (true) {
      Page<T> page = read.apply(query.build());
      all.addAll(page.items());
      if (page.cursor().isEmpty()) {
        return all;
      }
      query.after(page.cursor().get());
    }
  }

  // ---- catalog ----

  /**
   * Adds (or updates) what {@code catalog} holds, checked as a seed file is.
   *
   * @throws io.meterbridge.server.seed.SeedException naming every problem; nothing is loaded then
   */
  public void load(TestCatalog catalog) {
    byte[] json = catalog.toSeedJson().getBytes(StandardCharsets.UTF_8);
    load(SeedFile.parse("the test catalog", new ByteArrayInputStream(json)));
  }

  /**
   * Adds (or updates) what the seed file holds.
   *
   * @throws io.meterbridge.server.seed.SeedException naming every problem; nothing is loaded then
   */
  public void load(Path seedFile) {
    load(SeedFile.read(seedFile));
  }

  private void load(SeedFile seed) {
    seed.load(server.store(), now(), server.config().registrationTokenTtl(), region());
    server.catalog().invalidate();
  }

  /** Applies catalog changes in one transaction (the store's bulk upsert). */
  public void apply(CatalogChanges changes) {
    server.store().apply(changes);
    server.catalog().invalidate();
  }

  /** Ends a customer's subscription: its calls are then refused as not entitled. False if there is none. */
  public boolean unsubscribe(String productCode, String customerAccountId) {
    boolean changed = server.store().deactivateSubscription(productCode, customerAccountId);
    server.catalog().invalidate();
    return changed;
  }

  /** Activates a customer's subscription again. False if there is none. */
  public boolean subscribe(String productCode, String customerAccountId) {
    boolean changed = server.store().activateSubscription(productCode, customerAccountId);
    server.catalog().invalidate();
    return changed;
  }

  /** The store, for reads and changes not covered here; call {@code server().catalog().invalidate()} after changing it. */
  public Store store() {
    return server.store();
  }

  /** Stops the clients and the server, drops the PostgreSQL schema and deletes the temporary files. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<AutoCloseable> all = new ArrayList<>(clients);
    all.add(client);
    all.add(asyncClient);
    for (AutoCloseable c : all) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // A client that fails to close holds nothing the next test needs.
      }
    }
    if (server != null) {
      server.close();
    }
    try {
      dropSchema();
    } finally {
      delete(directory);
      LogCapture.release();
    }
  }

  @Override
  public String toString() {
    return "EmbeddedMeterbridge[" + (server == null ? "not started" : server.endpoint() + ", "
        + server.databaseDescription()) + "]";
  }

  private void dropSchema() {
    if (schema.isPresent()) {
      sql(settings.database().orElseThrow(), "DROP SCHEMA IF EXISTS " + schema.get() + " CASCADE");
      schema = Optional.empty();
    }
  }

  /** The URL with {@code currentSchema} set to {@code schema}, replacing any given. */
  static String withSchema(String url, String schema) {
    String without = url.replaceAll("(?i)([?&])currentSchema=[^&]*&?", "$1").replaceAll("[?&]$", "");
    return without + (without.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private static void sql(String url, String statement) {
    try (Connection connection = DriverManager.getConnection(url); Statement s = connection.createStatement()) {
      s.execute(statement);
    } catch (SQLException e) {
      String shown = url.replaceAll("(?i)(password=)[^&;]*", "$1***");
      throw new IllegalStateException("cannot run '" + statement.toLowerCase(Locale.ROOT).split(" ")[0]
          + " schema' on " + shown + " for the test server: " + e.getMessage()
          + " (give a PostgreSQL URL whose user may create schemas, such as"
          + " jdbc:postgresql://127.0.0.1:5432/test?user=postgres)", e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void delete(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Left in the temporary directory, which the system cleans.
    }
  }
}
