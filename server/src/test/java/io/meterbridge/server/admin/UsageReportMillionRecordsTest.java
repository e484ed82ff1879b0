package io.meterbridge.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.server.store.BatchRow;
import io.meterbridge.server.store.Product;
import io.meterbridge.server.store.ProductType;
import io.meterbridge.server.store.Store;
import io.meterbridge.server.store.StoreConfig;
import io.meterbridge.server.store.Stores;
import io.meterbridge.server.store.Account;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A month of a million stored records exported through {@code GET /admin/reports/usage} by a server
 * whose heap is capped at {@value #HEAP}, far below the 60 MB of CSV it sends: the export completes
 * only if the rows really stream. The time taken and the server's peak heap are printed for
 * {@code docs/benchmarks.md}, not asserted.
 */
class UsageReportMillionRecordsTest {
  static final String HEAP = "-Xmx64m";
  static final int CUSTOMERS = 100;
  static final int DIMENSIONS = 14;
  static final int HOURS = 720; // 30 days
  static final int RECORDS = CUSTOMERS * DIMENSIONS * HOURS; // 1,008,000

  @TempDir
  Path dir;

  @Test
  void aMillionRecords_exportAsCsvFromAServerWithASmallHeap() throws Exception {
    Instant start = Instant.parse("2026-03-01T00:00:00Z");
    long seeding = System.nanoTime();
    seed(start);
    seeding = System.nanoTime() - seeding;

    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
        "-cp", System.getProperty("java.class.path"), ReportServerMain.class.getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
        .start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      PrintWriter in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
      String first = out.readLine();
      assertThat(first).as("the server's first line (see server.log)").startsWith("PORT ");
      int port = Integer.parseInt(first.substring(5));
      in.println("reset");
      out.readLine();

      HttpClient http = HttpClient.newHttpClient();
      long exporting = System.nanoTime();
      HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
              + "/admin/reports/usage?from=2026-03-01&to=2026-04-01&groupBy=hour,product,customer,dimension&format=csv"))
              .header("Authorization", "Bearer " + AdminTestServer.TOKEN).timeout(Duration.ofMinutes(5)).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      long lines = 0;
      long bytes = 0;
      long quantity = 0;
      try (BufferedReader csv = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String line = csv.readLine();
        assertThat(line).isEqualTo("usage_hour,product_code,customer_account_id,dimension_key,usage_quantity,record_count");
        bytes += line.length() + 2;
        while ((line = csv.readLine()) != null) {
          lines++;
          bytes += line.length() + 2;
          String[] cells = line.split(",");
          quantity += Long.parseLong(cells[4]);
        }
      }
      exporting = System.nanoTime() - exporting;
      in.println("peak");
      String peak = out.readLine();

      assertThat(lines).isEqualTo(RECORDS);
      assertThat(quantity).isEqualTo(expectedQuantity());
      System.out.printf("usage report: %,d records seeded in %.1f s; CSV export of %,d rows (%,d bytes) in %.1f s"
              + " by a server with %s, heap peak %s%n", RECORDS, seeding / 1e9, lines, bytes, exporting / 1e9, HEAP,
          peak);
    } finally {
      process.getOutputStream().close();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static long expectedQuantity() {
    long sum = 0;
    for (int i = 0; i < RECORDS; i++) {
      sum += i % 1000;
    }
    return sum;
  }

  /** Writes the records through the store's own write path, a group at a time. */
  private void seed(Instant start) {
    try (Store store = Stores.open(StoreConfig.sqlite(dir).build())) {
      store.upsertAccount(new Account("111111111111", "seller"));
      store.upsertProduct(new Product("prod-a", "111111111111", ProductType.SAAS, "us-east-1"));
      List<CompletableFuture<?>> pending = new ArrayList<>();
      List<BatchRow> group = new ArrayList<>();
      int n = 0;
      for (int h = 0; h < HOURS; h++) {
        Instant at = start.plusSeconds(3600L * h);
        for (int c = 0; c < CUSTOMERS; c++) {
          String customer = String.format("%012d", 100_000_000_000L + c);
          for (int d = 0; d < DIMENSIONS; d++) {
            group.add(BatchRow.builder().meteringRecordId("r" + n).productCode("prod-a").customerAccountId(customer)
                .dimension("dim" + d).timestamp(at).quantity(n % 1000).fingerprint("f").callerAccountId("111111111111")
                .receivedAt(at).build());
            n++;
            if (group.size() == 4000) {
              pending.add(store.meterBatch(group));
              group = new ArrayList<>();
              if (pending.size() == 8) {
                pending.forEach(CompletableFuture::join);
                pending.clear();
              }
            }
          }
        }
      }
      pending.add(store.meterBatch(group));
      pending.forEach(CompletableFuture::join);
    }
  }
}
