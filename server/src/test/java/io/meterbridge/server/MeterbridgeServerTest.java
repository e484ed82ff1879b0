package io.meterbridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.server.seed.DemoCatalog;
import io.meterbridge.server.seed.SeedException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.marketplacemetering.MarketplaceMeteringClient;

class MeterbridgeServerTest {
  static final String PG_URL = System.getenv().getOrDefault("MB_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");

  @TempDir
  Path dir;

  final HttpClient http = HttpClient.newHttpClient();

  MeterbridgeServerConfig.Builder insecure() {
    return MeterbridgeServerConfig.builder().port(0).dataDir(dir.resolve("data")).insecureAnyCredentials(true);
  }

  HttpResponse<String> call(URI endpoint, String operation, String body, String accessKeyId) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve("/"))
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("X-Amz-Target", "AWSMPMeteringService." + operation)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (accessKeyId != null) {
      request.header("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKeyId
          + "/20260101/us-east-1/aws-marketplace/aws4_request, SignedHeaders=host, Signature=00");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String batchOfOneUser(Instant at) {
    return "{\"ProductCode\":\"" + DemoCatalog.SAAS_PRODUCT + "\",\"UsageRecords\":[{\"Timestamp\":"
        + at.getEpochSecond() + ",\"CustomerIdentifier\":\"" + DemoCatalog.CUSTOMER_IDENTIFIER
        + "\",\"Dimension\":\"users\",\"Quantity\":1}]}";
  }

  @Test
  void start_emptyDatabase_loadsTheDemoCatalogAndServesIt() throws Exception {
    try (MeterbridgeServer meterbridge = MeterbridgeServer.start(insecure().build())) {
      assertThat(meterbridge.demo()).isPresent();
      assertThat(meterbridge.endpoint().toString()).isEqualTo("http://127.0.0.1:" + meterbridge.port());
      assertThat(Files.exists(dir.resolve("data/meterbridge.db"))).isTrue();

      HttpResponse<String> health = http.send(HttpRequest.newBuilder(meterbridge.endpoint().resolve("/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> batch = call(meterbridge.endpoint(), "BatchMeterUsage", batchOfOneUser(Instant.now()),
          DemoCatalog.SELLER_ACCESS_KEY_ID);

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
      assertThat(batch.body()).contains("\"Status\":\"Success\"");
    }
  }

  @Test
  void insecureMode_buyerKeyActsAsTheBuyer_soTheSellerOnlyCallIsDenied() throws Exception {
    try (MeterbridgeServer meterbridge = MeterbridgeServer.start(insecure().build())) {
      HttpResponse<String> asBuyer = call(meterbridge.endpoint(), "BatchMeterUsage", batchOfOneUser(Instant.now()),
          DemoCatalog.BUYER_ACCESS_KEY_ID);
      HttpResponse<String> meterAsBuyer = call(meterbridge.endpoint(), "MeterUsage",
          "{\"ProductCode\":\"demo-ami\",\"Timestamp\":" + Instant.now().getEpochSecond()
              + ",\"UsageDimension\":\"vcpu_hours\",\"UsageQuantity\":1}", DemoCatalog.BUYER_ACCESS_KEY_ID);

      assertThat(asBuyer.statusCode()).isEqualTo(400);
      assertThat(asBuyer.body()).contains("AccessDenied");
      assertThat(meterAsBuyer.statusCode()).as(meterAsBuyer.body()).isEqualTo(200);
    }
  }

  @Test
  void registerUsage_withoutNonce_returnsASignature() throws Exception {
    try (MeterbridgeServer meterbridge = MeterbridgeServer.start(insecure().build())) {
      HttpResponse<String> register = call(meterbridge.endpoint(), "RegisterUsage",
          "{\"ProductCode\":\"demo-container\",\"PublicKeyVersion\":1}", DemoCatalog.BUYER_ACCESS_KEY_ID);

      assertThat(register.statusCode()).as(register.body()).isEqualTo(200);
      assertThat(register.body()).contains("\"Signature\":\"");
    }
  }

  @Test
  void start_secondTime_keepsTheDatabaseAndDoesNotLoadTheDemoAgain() {
    try (MeterbridgeServer first = MeterbridgeServer.start(insecure().build())) {
      assertThat(first.demo()).isPresent();
    }
    try (MeterbridgeServer second = MeterbridgeServer.start(insecure().build())) {
      assertThat(second.demo()).isEmpty();
      assertThat(second.demoFromEarlierStart()).isTrue();
      assertThat(second.store().product(DemoCatalog.CONTAINER_PRODUCT)).isPresent();
    }
  }

  @Test
  void start_demoOff_leavesTheDatabaseEmpty() {
    try (MeterbridgeServer meterbridge = MeterbridgeServer.start(insecure().demo(false).build())) {
      assertThat(meterbridge.demo()).isEmpty();
      assertThat(meterbridge.store().products()).isEmpty();
    }
  }

  @Test
  void start_withSeed_loadsItInsteadOfTheDemoAndServesIt() throws Exception {
    Path seed = Files.writeString(dir.resolve("seed.json"), """
        {"accounts": [{"accountId": "111111111111",
                       "accessKeys": [{"accessKeyId": "AKIDSELLER", "secretAccessKey": "s"}]}],
         "products": [{"productCode": "p", "seller": "111111111111", "type": "SAAS", "dimensions": ["d"]}],
         "subscriptions": [{"productCode": "p", "customerAWSAccountId": "222222222222"}]}
        """);

    try (MeterbridgeServer meterbridge = MeterbridgeServer.start(insecure().seedFile(seed).build())) {
      assertThat(meterbridge.demo()).isEmpty();
      assertThat(meterbridge.seeded().orElseThrow().products()).isEqualTo(1);
      assertThat(meterbridge.store().products()).extracting(p -> p.productCode()).containsExactly("p");
      HttpResponse<String> batch = call(meterbridge.endpoint(), "BatchMeterUsage", "{\"ProductCode\":\"p\","
          + "\"UsageRecords\":[{\"Timestamp\":" + Instant.now().getEpochSecond()
          + ",\"CustomerAWSAccountId\":\"222222222222\",\"Dimension\":\"d\",\"Quantity\":3}]}", "AKIDSELLER");
      assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
      assertThat(batch.body()).contains("\"Status\":\"Success\"");
    }
  }

  @Test
  void meterUsage_withoutClientToken_isStored() throws Exception {
    try (MeterbridgeServer meterbridge = MeterbridgeServer.start(insecure().build())) {
      HttpResponse<String> meter = call(meterbridge.endpoint(), "MeterUsage",
          "{\"ProductCode\":\"demo-ami\",\"Timestamp\":" + Instant.now().getEpochSecond()
              + ",\"UsageDimension\":\"vcpu_hours\",\"UsageQuantity\":2}", DemoCatalog.BUYER_ACCESS_KEY_ID);

      assertThat(meter.statusCode()).as(meter.body()).isEqualTo(200);
      assertThat(meter.body()).contains("MeteringRecordId");
    }
  }

  @Test
  void start_invalidSeed_failsBeforeOpeningTheDatabase() throws Exception {
    Path seed = Files.writeString(dir.resolve("seed.json"), "{\"products\": [{\"type\": \"SASS\"}]}");

    assertThatThrownBy(() -> MeterbridgeServer.start(insecure().seedFile(seed).build()))
        .isInstanceOf(SeedException.class)
        .hasMessageContaining("products[0].type: 'SASS' is not one of SAAS, AMI, CONTAINER");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void sigV4_byDefault_theAwsSdkWithTheDemoKeysIsServed() {
    try (MeterbridgeServer meterbridge = MeterbridgeServer.start(insecure().insecureAnyCredentials(false).build());
        MarketplaceMeteringClient sdk = sdk(meterbridge.endpoint(), DemoCatalog.SELLER_SECRET_ACCESS_KEY)) {
      var response = sdk.batchMeterUsage(b -> b.productCode(DemoCatalog.SAAS_PRODUCT).usageRecords(r -> r
          .timestamp(Instant.now()).customerIdentifier(DemoCatalog.CUSTOMER_IDENTIFIER).dimension("users").quantity(1)));

      assertThat(response.results()).singleElement()
          .satisfies(result -> assertThat(result.statusAsString()).isEqualTo("Success"));
    }
  }

  @Test
  void sigV4_wrongSecretOrNoSignature_isRefused() throws Exception {
    try (MeterbridgeServer meterbridge = MeterbridgeServer.start(insecure().insecureAnyCredentials(false).build());
        MarketplaceMeteringClient sdk = sdk(meterbridge.endpoint(), "not-the-secret")) {
      assertThatThrownBy(() -> sdk.resolveCustomer(b -> b.registrationToken(DemoCatalog.REGISTRATION_TOKEN)))
          .isInstanceOfSatisfying(AwsServiceException.class, e ->
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException"));
      HttpResponse<String> unsigned = call(meterbridge.endpoint(), "ResolveCustomer",
          "{\"RegistrationToken\":\"" + DemoCatalog.REGISTRATION_TOKEN + "\"}", null);
      assertThat(unsigned.statusCode()).isEqualTo(403);
      assertThat(unsigned.body()).contains("MissingAuthenticationToken");
    }
  }

  static MarketplaceMeteringClient sdk(URI endpoint, String secret) {
    return MarketplaceMeteringClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(DemoCatalog.SELLER_ACCESS_KEY_ID, secret)))
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  @Test
  void start_portTaken_failsAndReleasesTheDatabase() {
    try (MeterbridgeServer first = MeterbridgeServer.start(insecure().build())) {
      MeterbridgeServerConfig clash = MeterbridgeServerConfig.builder().port(first.port()).dataDir(dir.resolve("other"))
          .insecureAnyCredentials(true).build();

      assertThatThrownBy(() -> MeterbridgeServer.start(clash)).hasMessageContaining("Could not listen on");
    }
  }

  @Test
  void start_onPostgres_usesTheJdbcUrl() throws Exception {
    String schema = "mb_cli_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    try (Connection c = DriverManager.getConnection(PG_URL, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    try {
      String url = PG_URL + "?user=postgres&currentSchema=" + schema;
      try (MeterbridgeServer meterbridge = MeterbridgeServer.start(insecure().databaseUrl(url).build())) {
        assertThat(meterbridge.demo()).isPresent();
        assertThat(meterbridge.databaseDescription()).startsWith("PostgreSQL jdbc:postgresql:");
        HttpResponse<String> batch = call(meterbridge.endpoint(), "BatchMeterUsage", batchOfOneUser(Instant.now()),
            DemoCatalog.SELLER_ACCESS_KEY_ID);
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
      }
      assertThat(dir.resolve("data")).doesNotExist();
    } finally {
      try (Connection c = DriverManager.getConnection(PG_URL, "postgres", "");
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }
}
