package io.meterbridge.server.seed;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.server.store.Store;
import io.meterbridge.server.store.StoreConfig;
import io.meterbridge.server.store.Stores;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bulk path: a seed file with 100,000 subscriptions. Prints the time; asserts nothing about it. */
class SeedLoadPerformanceTest {
  static final int SUBSCRIPTIONS = 100_000;

  @TempDir
  Path dir;

  @Test
  void load_100kSubscriptions_loadsThemAll() throws Exception {
    Path file = dir.resolve("seed.json");
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      out.write("{\"accounts\": [{\"accountId\": \"111111111111\", \"name\": \"seller\", \"accessKeys\":"
          + " [{\"accessKeyId\": \"AKIDSELLER\", \"secretAccessKey\": \"s\"}]}],\n");
      out.write("\"products\": [{\"productCode\": \"prod-saas\", \"seller\": \"111111111111\", \"type\": \"SAAS\","
          + " \"dimensions\": [\"users\"]}],\n");
      out.write("\"subscriptions\": [\n");
      for (int i = 0; i < SUBSCRIPTIONS; i++) {
        out.write(String.format("%s{\"productCode\": \"prod-saas\", \"customerIdentifier\": \"cust-%d\","
                + " \"customerAWSAccountId\": \"%012d\", \"licenseArn\":"
                + " \"arn:aws:license-manager::111111111111:license:l-%d\", \"since\": \"2026-01-01T00:00:00Z\"}\n",
            i == 0 ? "" : ",", i, 200_000_000_000L + i, i));
      }
      out.write("]}\n");
    }

    try (Store store = Stores.open(StoreConfig.sqlite(dir.resolve("data")).build())) {
      long start = System.nanoTime();
      SeedFile seed = SeedFile.read(file);
      long parsed = System.nanoTime();
      SeedSummary summary = seed.load(store, Instant.now(), Duration.ofHours(4), "us-east-1");
      long loaded = System.nanoTime();
      System.out.printf("Seed of %d subscriptions (%d MB): parsed in %d ms, loaded in %d ms%n", SUBSCRIPTIONS,
          Files.size(file) >> 20, (parsed - start) / 1_000_000, (loaded - parsed) / 1_000_000);

      assertThat(summary.subscriptions()).isEqualTo(SUBSCRIPTIONS);
      assertThat(store.counts().subscriptions()).isEqualTo(SUBSCRIPTIONS);
      assertThat(store.subscriptionByCustomerIdentifier("prod-saas", "cust-99999")).isPresent();
    }
  }
}
