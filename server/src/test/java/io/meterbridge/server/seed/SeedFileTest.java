package io.meterbridge.server.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.server.store.ProductType;
import io.meterbridge.server.store.Store;
import io.meterbridge.server.store.StoreConfig;
import io.meterbridge.server.store.Stores;
import io.meterbridge.server.store.Subscription;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedFileTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final String VALID = """
      {"accounts": [{"accountId": "111111111111", "name": "seller",
                     "accessKeys": [{"accessKeyId": "AKIDSELLER", "secretAccessKey": "s3cret"}]}],
       "products": [{"productCode": "prod-saas", "seller": "111111111111", "type": "SAAS",
                     "dimensions": ["users", "storage_gb"], "publicKeyVersions": [1], "region": "us-east-1"},
                    {"productCode": "prod-box", "seller": "111111111111", "type": "container",
                     "dimensions": ["pods"], "publicKeyVersions": [1, 2]}],
       "subscriptions": [{"productCode": "prod-saas", "customerIdentifier": "cust-1",
                          "customerAWSAccountId": "222222222222",
                          "licenseArn": "arn:aws:license-manager::111111111111:license:l-1",
                          "active": true, "since": "2026-01-01T00:00:00Z"},
                         {"productCode": "prod-box", "customerAWSAccountId": "222222222222", "active": false}],
       "registrationTokens": [{"token": "tok-1", "productCode": "prod-saas", "customerIdentifier": "cust-1",
                               "customerAWSAccountId": "222222222222", "expiresAt": "2030-01-01T00:00:00Z"},
                              {"token": "tok-2", "productCode": "prod-saas", "customerAWSAccountId": "222222222222"}]}
      """;

  @TempDir
  Path dir;
  Store store;

  @BeforeEach
  void open() {
    store = Stores.open(StoreConfig.sqlite(dir.resolve("data")).build());
  }

  @AfterEach
  void close() {
    store.close();
  }

  static SeedFile parse(String json) {
    return SeedFile.parse("seed.json", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  static String problemsOf(String json) {
    try {
      parse(json);
    } catch (SeedException e) {
      return String.join("\n", e.problems());
    }
    throw new AssertionError("expected a SeedException");
  }

  @Test
  void load_validFile_writesEverythingWithDefaults() {
    SeedSummary summary = parse(VALID).load(store, NOW, Duration.ofHours(4), "eu-west-1");

    assertThat(summary.accounts()).isEqualTo(1);
    assertThat(summary.accessKeys()).isEqualTo(1);
    assertThat(summary.products()).isEqualTo(2);
    assertThat(summary.signingKeysGenerated()).isEqualTo(3);
    assertThat(summary.subscriptions()).isEqualTo(2);
    assertThat(summary.registrationTokens()).isEqualTo(2);
    assertThat(store.accessKey("AKIDSELLER").orElseThrow().accountId()).isEqualTo("111111111111");
    assertThat(store.product("prod-box").orElseThrow().type()).isEqualTo(ProductType.CONTAINER);
    assertThat(store.product("prod-box").orElseThrow().region()).isEqualTo("eu-west-1");
    assertThat(store.dimensions("prod-saas")).containsExactlyInAnyOrder("users", "storage_gb");
    assertThat(store.signingKeys("prod-box")).extracting(k -> k.version()).containsExactly(1, 2);
    Subscription inactive = store.subscriptionByCustomerAccount("prod-box", "222222222222").orElseThrow();
    assertThat(inactive.active()).isFalse();
    assertThat(inactive.since()).isEqualTo(SeedFile.DEFAULT_SINCE);
    assertThat(store.subscriptionByCustomerIdentifier("prod-saas", "cust-1").orElseThrow().licenseArn())
        .contains("arn:aws:license-manager::111111111111:license:l-1");
    assertThat(store.token("tok-1").orElseThrow().expiresAt()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(store.token("tok-2").orElseThrow().expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(4)));
  }

  @Test
  void load_twice_keepsExistingSigningKeysAndGeneratesNone() {
    parse(VALID).load(store, NOW, Duration.ofHours(4), "us-east-1");
    byte[] before = store.signingKey("prod-saas", 1).orElseThrow().publicKey();

    SeedSummary again = parse(VALID).load(store, NOW.plusSeconds(60), Duration.ofHours(4), "us-east-1");

    assertThat(again.signingKeysGenerated()).isZero();
    assertThat(store.signingKey("prod-saas", 1).orElseThrow().publicKey()).isEqualTo(before);
  }

  @Test
  void parse_misspelledProductType_namesThePathAndTheChoices() {
    String json = """
        {"products": [
          {"productCode": "a", "seller": "111111111111", "type": "SAAS"},
          {"productCode": "b", "seller": "111111111111", "type": "AMI"},
          {"productCode": "c", "seller": "111111111111", "type": "SASS"}]}
        """;

    assertThat(problemsOf(json)).isEqualTo("products[2].type: 'SASS' is not one of SAAS, AMI, CONTAINER");
  }

  @Test
  void parse_missingAndMistypedFields_areAllReportedWithPaths() {
    String json = """
        {"accounts": [{"accountId": "12345", "accessKeys": [{"accessKeyId": "AK"}]}],
         "subscriptions": [{"productCode": "p", "customerAWSAccountId": 222222222222, "active": "yes",
                            "since": "yesterday", "customerAwsAccountId": "x"}],
         "registrationTokens": [{"productCode": "p", "customerAWSAccountId": "222222222222"}],
         "product": []}
        """;

    assertThat(problemsOf(json).split("\n")).containsExactlyInAnyOrder(
        "accounts[0].accountId: '12345' is not 12 digits",
        "accounts[0].accessKeys[0].secretAccessKey: is required",
        "subscriptions[0].customerAwsAccountId: unknown field; expected one of productCode, customerAWSAccountId,"
            + " customerIdentifier, licenseArn, active, since",
        "subscriptions[0].customerAWSAccountId: expected a string, found a number",
        "subscriptions[0].active: expected true or false, found a string",
        "subscriptions[0].since: expected a UTC time such as \"2026-01-01T00:00:00Z\", found 'yesterday'",
        "registrationTokens[0].token: is required",
        "product: unknown field; expected accounts, products, subscriptions or registrationTokens");
  }

  @Test
  void parse_accessKeyIdWithAnUnderscore_isValid_asInTheAdminApi() {
    String json = """
        {"accounts": [{"accountId": "111111111111",
                       "accessKeys": [{"accessKeyId": "AKID_SELLER", "secretAccessKey": "s3cret"}]}]}
        """;

    parse(json).load(store, NOW, Duration.ofHours(4), "us-east-1");

    assertThat(store.accessKey("AKID_SELLER").orElseThrow().accountId()).isEqualTo("111111111111");
  }

  @Test
  void load_accessKeysWithAResourceId_standForThatResource_othersForThemselves() {
    parse("""
        {"accounts": [{"accountId": "222222222222",
                       "accessKeys": [{"accessKeyId": "AKIDROLE1", "secretAccessKey": "s", "resourceId": "i-0abc"},
                                      {"accessKeyId": "AKIDROLE2", "secretAccessKey": "s", "resourceId": "i-0abc"},
                                      {"accessKeyId": "AKIDPLAIN", "secretAccessKey": "s"}]}]}
        """).load(store, NOW, Duration.ofHours(4), "us-east-1");

    assertThat(store.accessKey("AKIDROLE1").orElseThrow().resource()).isEqualTo("i-0abc");
    assertThat(store.accessKey("AKIDROLE2").orElseThrow().resource()).isEqualTo("i-0abc");
    assertThat(store.accessKey("AKIDPLAIN").orElseThrow().resourceId()).isEmpty();
    assertThat(store.accessKey("AKIDPLAIN").orElseThrow().resource()).isEqualTo("AKIDPLAIN");
  }

  @Test
  void load_agentCoreProduct_isMarked_andASaasOneIsRefused() {
    String seller = """
        {"accounts": [{"accountId": "111111111111"}],
         "products": [{"productCode": "prod-agent", "seller": "111111111111", "type": "CONTAINER", "agentCore": true},
                      {"productCode": "prod-box", "seller": "111111111111", "type": "CONTAINER"}]}
        """;
    parse(seller).load(store, NOW, Duration.ofHours(4), "us-east-1");

    assertThat(store.product("prod-agent").orElseThrow().agentCore()).isTrue();
    assertThat(store.product("prod-box").orElseThrow().agentCore()).isFalse();
    assertThat(problemsOf("""
        {"products": [{"productCode": "prod-s", "seller": "111111111111", "type": "SAAS", "agentCore": true}]}
        """)).contains("products[0].agentCore: a SAAS product is metered by BatchMeterUsage");
  }

  @Test
  void load_platformsOfProductsAndKeys_areStored_defaultingToAwsOnes() {
    parse("""
        {"accounts": [{"accountId": "111111111111",
                       "accessKeys": [{"accessKeyId": "AKIDPOD", "secretAccessKey": "s", "platform": "eks"}]}],
         "products": [{"productCode": "prod-eks", "seller": "111111111111", "type": "CONTAINER", "platforms": ["EKS"]},
                      {"productCode": "prod-box", "seller": "111111111111", "type": "CONTAINER"}]}
        """).load(store, NOW, Duration.ofHours(4), "us-east-1");

    assertThat(store.accessKey("AKIDPOD").orElseThrow().platform()).contains(io.meterbridge.server.store.Platform.EKS);
    assertThat(store.product("prod-eks").orElseThrow().platforms()).containsExactly(io.meterbridge.server.store.Platform.EKS);
    assertThat(store.product("prod-box").orElseThrow().platforms())
        .isEqualTo(io.meterbridge.server.store.Platform.REGISTER_USAGE_DEFAULT);
    assertThat(problemsOf("""
        {"products": [{"productCode": "p", "seller": "111111111111", "type": "CONTAINER", "platforms": ["K8S", "EKS", "eks"]},
                      {"productCode": "q", "seller": "111111111111", "type": "CONTAINER", "platforms": []}]}
        """)).contains("products[0].platforms[0]: 'K8S' is not a platform: one of ECS, EKS, FARGATE, EC2, OTHER")
        .contains("products[0].platforms[2]: 'eks' is listed twice")
        .contains("products[1].platforms: must list at least one platform");
  }

  @Test
  void parse_resourceIdWithSpaces_isRefusedWithItsPath() {
    assertThat(problemsOf("""
        {"accounts": [{"accountId": "222222222222",
                       "accessKeys": [{"accessKeyId": "AKIDROLE1", "secretAccessKey": "s", "resourceId": "i 0abc"}]}]}
        """)).contains("accounts[0].accessKeys[0].resourceId: 'i 0abc' is not a resource id");
  }

  @Test
  void parse_wrongShapesAndNullsInLists_areReportedWithTheirPaths() {
    String json = """
        {"accounts": {"accountId": "111111111111"},
         "products": [{"productCode": "p", "seller": "111111111111", "type": "AMI",
                       "dimensions": ["d", null, 3], "publicKeyVersions": [1, "2", 0, 1.5]},
                      "not a product"]}
        """;

    assertThat(problemsOf(json).split("\n")).containsExactlyInAnyOrder(
        "accounts: expected an array, found an object",
        "products[0].dimensions[1]: expected a string, found null",
        "products[0].dimensions[2]: expected a string, found a number",
        "products[0].publicKeyVersions[1]: expected a whole number, found '2'",
        "products[0].publicKeyVersions[2]: expected a version number from 1 to 1000, found 0",
        "products[0].publicKeyVersions[3]: expected a whole number, found 1.5",
        "products[1]: expected an object, found a string");
  }

  @Test
  void parse_duplicates_pointToTheFirstOccurrence() {
    String json = """
        {"subscriptions": [
          {"productCode": "p", "customerAWSAccountId": "222222222222", "customerIdentifier": "c"},
          {"productCode": "p", "customerAWSAccountId": "333333333333", "customerIdentifier": "c"},
          {"productCode": "p", "customerAWSAccountId": "222222222222"}]}
        """;

    assertThat(problemsOf(json).split("\n")).containsExactly(
        "subscriptions[1].customerIdentifier: duplicate customerIdentifier 'c' for product p, first at"
            + " subscriptions[0].customerIdentifier",
        "subscriptions[2]: duplicate subscription of customer 222222222222 to p, first at subscriptions[0]");
  }

  @Test
  void parse_malformedJson_saysWhere() {
    assertThatThrownBy(() -> parse("{\"accounts\": [\n  {\"accountId\": \"111111111111\",}\n]}"))
        .isInstanceOf(SeedException.class)
        .hasMessageStartingWith("seed.json: line 2, column 32: not valid JSON:");
  }

  @Test
  void parse_topLevelArray_isRefused() {
    assertThat(problemsOf("[]")).isEqualTo("expected a JSON object at the top, found an array");
  }

  @Test
  void load_subscriptionToUnknownProduct_isRefusedAndNothingIsWritten() {
    String json = """
        {"accounts": [{"accountId": "111111111111"}],
         "subscriptions": [{"productCode": "nope", "customerAWSAccountId": "222222222222"}]}
        """;

    assertThatThrownBy(() -> parse(json).load(store, NOW, Duration.ofHours(4), "us-east-1"))
        .isInstanceOf(SeedException.class)
        .hasMessageContaining("subscriptions[0].productCode: 'nope' is neither in this file's products nor in the"
            + " database");
    assertThat(store.account("111111111111")).isEmpty();
  }

  @Test
  void load_referencesIntoTheDatabase_areAccepted() {
    parse(VALID).load(store, NOW, Duration.ofHours(4), "us-east-1");
    String json = """
        {"products": [{"productCode": "prod-ami", "seller": "111111111111", "type": "AMI"}],
         "subscriptions": [{"productCode": "prod-saas", "customerAWSAccountId": "333333333333"}]}
        """;

    parse(json).load(store, NOW, Duration.ofHours(4), "us-east-1");

    assertThat(store.subscriptionByCustomerAccount("prod-saas", "333333333333")).isPresent();
    assertThat(store.product("prod-ami")).isPresent();
  }

  @Test
  void load_unknownSellerAndTokenForAnAmi_areRefused() {
    String json = """
        {"products": [{"productCode": "prod-ami", "seller": "999999999999", "type": "AMI"}],
         "registrationTokens": [{"token": "t", "productCode": "prod-box", "customerAWSAccountId": "222222222222"}]}
        """;
    parse(VALID).load(store, NOW, Duration.ofHours(4), "us-east-1");

    assertThatThrownBy(() -> parse(json).load(store, NOW, Duration.ofHours(4), "us-east-1"))
        .hasMessageContaining("products[0].seller: account '999999999999' is neither in this file's accounts nor"
            + " in the database")
        .hasMessageContaining("registrationTokens[0].productCode: 'prod-box' is a CONTAINER product; registration"
            + " tokens (ResolveCustomer) are for SAAS products");
  }

  @Test
  void load_accessKeyOfAnotherAccount_isRefusedRatherThanMoved() {
    parse(VALID).load(store, NOW, Duration.ofHours(4), "us-east-1");
    String json = """
        {"accounts": [{"accountId": "333333333333",
                       "accessKeys": [{"accessKeyId": "AKIDSELLER", "secretAccessKey": "x"}]}]}
        """;

    assertThatThrownBy(() -> parse(json).load(store, NOW, Duration.ofHours(4), "us-east-1"))
        .hasMessageContaining("accounts[0].accessKeys: 'AKIDSELLER' already belongs to account 111111111111");
  }

  @Test
  void read_missingFile_saysSo() {
    assertThatThrownBy(() -> SeedFile.read(dir.resolve("nope.json")))
        .isInstanceOf(SeedException.class)
        .hasMessageEndingWith("nope.json: no such file");
  }

  @Test
  void exampleSeedFile_inTheRepository_loads() throws Exception {
    Path example = Path.of(System.getProperty("user.dir")).resolveSibling("examples").resolve("seed.json");
    assertThat(example).exists();

    SeedSummary summary = SeedFile.read(example).load(store, NOW, Duration.ofHours(4), "us-east-1");

    assertThat(summary.products()).isPositive();
    assertThat(Files.size(example)).isPositive();
  }
}
