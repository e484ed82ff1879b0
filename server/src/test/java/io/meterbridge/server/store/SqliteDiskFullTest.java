package io.meterbridge.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.MeteringClient;
import io.meterbridge.client.RetryPolicy;
import io.meterbridge.exception.MeteringServiceException;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.server.ServerClock;
import io.meterbridge.server.auth.SigV4Authenticator;
import io.meterbridge.server.http.HttpServer;
import io.meterbridge.server.http.HttpServerConfig;
import io.meterbridge.server.metering.Catalog;
import io.meterbridge.server.metering.MeteringOperations;
import io.meterbridge.server.throttle.Throttling;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's disk fills while a server takes MeterUsage calls: each call that cannot be stored is
 * answered at once with a retriable error that says the disk is full, nothing is acknowledged that
 * is not stored, and once there is room again the server stores the retries without a restart.
 *
 * <p>A full disk without root: {@code PRAGMA max_page_count} on the writer's connection caps the
 * database where it stands, and SQLite then fails a write that needs a new page with SQLITE_FULL,
 * as it does when the file system is full. Raising the cap is the disk getting room again.
 */
class SqliteDiskFullTest {
  private static final String BUYER = "222222222222";
  private static final String KEY = "AKIDBUYER";
  private static final String SECRET = "secret-for-tests";
  private static final String AGENT = "prod-agent";

  @TempDir Path dir;
  private JdbcStore store;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private HttpServer server;
  private MeteringClient client;

  @BeforeEach
  void start() {
    store = (JdbcStore) Stores.open(StoreConfig.sqlite(dir).build());
    store.apply(CatalogChanges.builder()
        .account(new Account("111111111111", "seller"))
        .account(new Account(BUYER, "buyer"))
        .accessKey(new AccessKey(KEY, BUYER, SECRET))
        .product(new Product(AGENT, "111111111111", ProductType.CONTAINER, "us-east-1", true))
        .dimensions(AGENT, List.of("invocations"))
        .subscription(Subscription.builder().productCode(AGENT).customerAccountId(BUYER).active(true)
            .since(Instant.EPOCH).build())
        .build());
    Catalog catalog = new Catalog(store, Duration.ofMinutes(1));
    server = HttpServer.builder()
        .config(HttpServerConfig.builder().bindAddress("127.0.0.1").port(0).regions("us-east-1")
            .throttling(Throttling.off()).build())
        .service(MeteringOperations.builder().catalog(catalog).clock(ServerClock.system()).executor(executor).build())
        .authenticator(SigV4Authenticator.builder().regions("us-east-1").keys(catalog.accessKeys()).build())
        .build()
        .start();
    client = MeteringClient.builder().region("us-east-1").credentials(AwsCredentials.of(KEY, SECRET))
        .endpointOverride(URI.create("http://127.0.0.1:" + server.port())).retryPolicy(RetryPolicy.none())
        .apiCallTimeout(Duration.ofSeconds(30)).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
    executor.shutdownNow();
    store.close();
  }

  @Test
  void diskFull_callsAnswerARetriableDiskFullError_andRetriesAreStoredOnceThereIsRoom() throws Exception {
    Instant at = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1)).plusSeconds(60);
    Map<String, String> acknowledged = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      acknowledged.put("before-" + i, meter(at, "before-" + i));
    }
    long pages = writerPragma("PRAGMA page_count");
    writerPragma("PRAGMA max_page_count = " + pages);

    List<String> failed = new ArrayList<>();
    for (int i = 0; i < 5_000 && failed.size() < 20; i++) {
      String token = "full-" + i;
      try {
        acknowledged.put(token, meter(at, token));
      } catch (MeteringServiceException e) {
        assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(500);
        assertThat(e.errorCode()).isEqualTo("InternalServiceErrorException");
        assertThat(e.getMessage()).contains("The metering database is unavailable: the disk is full");
        assertThat(e.retryable()).isTrue();
        failed.add(token);
      }
    }
    assertThat(failed).as("calls once the database could not grow").hasSize(20);

    writerPragma("PRAGMA max_page_count = 1073741823");
    for (String token : failed) {
      acknowledged.put(token, meter(at, token));
    }
    acknowledged.put("after", meter(at, "after"));

    assertThat(stored()).isEqualTo(acknowledged);
  }

  private String meter(Instant at, String token) {
    return client.meterUsage(MeterUsageRequest.builder().productCode(AGENT).timestamp(at)
        .usageDimension("invocations").usageQuantity(1).clientToken(token).build()).meteringRecordId().orElseThrow();
  }

  /** Runs a pragma on the writer's own connection (max_page_count is per connection) and returns its number. */
  private long writerPragma(String pragma) throws Exception {
    try (Connection c = store.writerPool().getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(pragma)) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  /** ClientToken to MeteringRecordId of every stored row, through the store's own listing. */
  private Map<String, String> stored() {
    Map<String, String> all = new HashMap<>();
    Optional<String> cursor = Optional.empty();
    do {
      RecordQuery.Builder query = RecordQuery.builder().limit(1000);
      cursor.ifPresent(query::after);
      Page<MeterRow> page = store.meterRecords(query.build());
      for (MeterRow row : page.items()) {
        assertThat(all.put(row.clientToken().orElseThrow(), row.meteringRecordId())).as("stored once").isNull();
      }
      cursor = page.cursor();
    } while (cursor.isPresent());
    return all;
  }
}
