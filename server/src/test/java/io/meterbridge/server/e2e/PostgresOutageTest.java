package io.meterbridge.server.e2e;

import static io.meterbridge.server.e2e.TestServer.AGENT;
import static io.meterbridge.server.e2e.TestServer.BUYER_KEY;
import static io.meterbridge.server.e2e.TestServer.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.MeteringClient;
import io.meterbridge.client.RetryPolicy;
import io.meterbridge.exception.MeteringServiceException;
import io.meterbridge.model.MeterUsageRequest;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * PostgreSQL drops the server's connections under load ({@code pg_terminate_backend}, as an
 * administrator, a failover or a restart would): every call in flight is answered promptly, with a
 * retriable error or a 200 for a record that is stored; the server recovers by itself; retries of
 * the failed calls then succeed; and no acknowledged record is missing or stored twice.
 *
 * <p>Only this test's connections are killed: the server's JDBC URL names an application of its
 * own, and the killer filters {@code pg_stat_activity} by it, so other tests and people sharing the
 * database are not hit.
 */
class PostgresOutageTest {
  private static final int CALLERS = 6;

  @Test
  void connectionsKilledUnderLoad_callsFailRetriably_serverRecovers_noAcknowledgedRecordIsLost() throws Exception {
    AtomicInteger terminated = new AtomicInteger();
    underLoad(application -> {
      // Again and again for a few seconds: new connections die soon after they are made.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
      while (System.nanoTime() < until) {
        terminated.addAndGet(terminate(application));
        Thread.sleep(150);
      }
    });
    assertThat(terminated.get()).as("connections terminated").isPositive();
  }

  /**
   * The whole cluster restarted under load. It disrupts everyone using this PostgreSQL, so it runs
   * only when asked: {@code -Dmeterbridge.test.restartPostgres=true} (as root, on a machine of your own).
   */
  @Test
  @Tag("disruptive")
  @EnabledIfSystemProperty(named = "meterbridge.test.restartPostgres", matches = "true")
  void postgresRestartedUnderLoad_callsFailRetriably_serverRecovers_noAcknowledgedRecordIsLost() throws Exception {
    underLoad(application -> {
      // Down for several seconds, longer than the store's own retries of a lost connection ride out
      // (a bare restart is over in about a second, and those retries absorb it without an error).
      cluster("stop");
      Thread.sleep(6_000);
      cluster("start");
    }, false);
  }

  private static void cluster(String action) throws Exception {
    Process p = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", action)
        .inheritIO().start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("pg_ctlcluster " + action).isZero();
  }

  /** Something done to the database while the server is under load; {@code application} names the server's connections. */
  interface Disruption {
    void run(String application) throws Exception;
  }

  private static void underLoad(Disruption disruption) throws Exception {
    underLoad(disruption, true);
  }

  /**
   * @param callsMustFail whether some call must have answered an error: a stopped cluster may instead
   *     only delay calls, which the store's connection timeout and retries then carry through
   */
  private static void underLoad(Disruption disruption, boolean callsMustFail) throws Exception {
    String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    String application = "mb-outage-" + suffix;
    String url = TestServer.POSTGRES_URL + "?ApplicationName=" + application;
    Instant at = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1)).plusSeconds(60);
    Map<String, String> acknowledged = new ConcurrentHashMap<>(); // ClientToken -> MeteringRecordId
    Set<String> failed = ConcurrentHashMap.newKeySet();
    List<String> unexpected = new ArrayList<>();
    try (TestServer server = TestServer.postgres(url, "mb_outage_" + suffix, true)) {
      assertThat(applicationConnections(application)).as("the server's connections carry the test's name").isPositive();
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
      List<Future<?>> callers = new ArrayList<>();
      for (int c = 0; c < CALLERS; c++) {
        int caller = c;
        callers.add(pool.submit(() -> {
          try (MeteringClient client = client(server)) {
            for (int i = 0; !stop.get(); i++) {
              String token = "c" + caller + "-" + i;
              try {
                acknowledged.put(token, client.meterUsage(report(at, token)).meteringRecordId().orElseThrow());
              } catch (MeteringServiceException e) {
                failed.add(token);
                boolean saysWhy = e.statusCode() == 500 && e.errorCode().equals("InternalServiceErrorException")
                    && e.getMessage().contains("The metering database is unavailable");
                boolean throttled = e.errorCode().equals("ThrottlingException"); // the write queue filled meanwhile
                if (!e.retryable() || !(saysWhy || throttled)) {
                  synchronized (unexpected) {
                    unexpected.add(e.statusCode() + " " + e.errorCode() + ": " + e.getMessage());
                  }
                }
              }
            }
          }
          return null;
        }));
      }
      waitFor(() -> acknowledged.size() >= 200, Duration.ofSeconds(30));
      disruption.run(application);
      int afterDisruption = acknowledged.size();
      // Recovered by itself: records are acknowledged again without anything being restarted.
      waitFor(() -> acknowledged.size() >= afterDisruption + 200, Duration.ofSeconds(60));
      stop.set(true);
      pool.shutdown();
      assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).as("no call hangs").isTrue();
      for (Future<?> f : callers) {
        f.get();
      }
      if (callsMustFail) {
        assertThat(failed).as("calls in flight when the database went away failed").isNotEmpty();
      }
      assertThat(unexpected).as("errors other than a retriable 'database unavailable' or throttling").isEmpty();

      int acknowledgedUnderLoad = acknowledged.size();
      // A retry of each failed call succeeds: stored now, or replayed if it was stored after all.
      try (MeteringClient client = client(server)) {
        for (String token : failed) {
          acknowledged.put(token, client.meterUsage(report(at, token)).meteringRecordId().orElseThrow());
        }
      }
      Map<String, String> stored = storedRecords("mb_outage_" + suffix);
      assertThat(stored).as("every acknowledged record is stored, once, under its id").isEqualTo(acknowledged);
      System.out.printf("Outage under load: %d calls acknowledged, %d answered a retriable error and were retried,"
          + " %d records stored%n", acknowledgedUnderLoad, failed.size(), stored.size());
    }
  }

  @Test
  void connectionKilledBetweenCalls_theNextCallIsServedOnAFreshConnection() throws Exception {
    String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    String application = "mb-outage-" + suffix;
    Instant at = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1)).plusSeconds(60);
    try (TestServer server = TestServer.postgres(TestServer.POSTGRES_URL + "?ApplicationName=" + application,
        "mb_outage_" + suffix, true);
         MeteringClient client = client(server)) {
      for (int i = 0; i < 20; i++) {
        // The pool hands out a connection used within the last half second without checking it,
        // so each call meets the connections the previous kill left dead.
        assertThat(client.meterUsage(report(at, "t-" + i)).meteringRecordId()).isPresent();
        assertThat(terminate(application)).isPositive();
      }
      assertThat(storedRecords("mb_outage_" + suffix)).hasSize(20);
    }
  }

  static MeterUsageRequest report(Instant at, String token) {
    return MeterUsageRequest.builder().productCode(AGENT).timestamp(at).usageDimension("invocations")
        .usageQuantity(1).clientToken(token).build();
  }

  static MeteringClient client(TestServer server) {
    return MeteringClient.builder().region("us-east-1").credentials(AwsCredentials.of(BUYER_KEY, SECRET))
        .endpointOverride(URI.create(server.endpoint())).retryPolicy(RetryPolicy.none())
        .apiCallTimeout(Duration.ofSeconds(60)).build();
  }

  /** Terminates the backends of {@code application}, from a connection of another name. */
  static int terminate(String application) throws Exception {
    try (Connection c = DriverManager.getConnection(TestServer.POSTGRES_URL + "?ApplicationName=mb-outage-killer",
        "postgres", "");
         PreparedStatement ps = c.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
             + " WHERE application_name = ? AND pid <> pg_backend_pid()")) {
      ps.setString(1, application);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  static int applicationConnections(String application) throws Exception {
    try (Connection c = DriverManager.getConnection(TestServer.POSTGRES_URL, "postgres", "");
         PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
      ps.setString(1, application);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** ClientToken to MeteringRecordId of every stored MeterUsage row; a token stored twice fails. */
  static Map<String, String> storedRecords(String schema) throws Exception {
    Map<String, String> stored = new java.util.HashMap<>();
    Set<String> ids = new HashSet<>();
    try (Connection c = DriverManager.getConnection(TestServer.POSTGRES_URL, "postgres", "");
         PreparedStatement ps = c.prepareStatement("SELECT client_token, id FROM " + schema + ".meter_usage");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        assertThat(stored.put(rs.getString(1), rs.getString(2))).as("token stored once").isNull();
        assertThat(ids.add(rs.getString(2))).as("id stored once").isTrue();
      }
    }
    return stored;
  }

  static void waitFor(java.util.function.BooleanSupplier condition, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within " + limit);
      }
      Thread.sleep(20);
    }
  }
}
