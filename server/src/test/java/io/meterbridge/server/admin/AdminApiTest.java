package io.meterbridge.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meterbridge.auth.RsaKeys;
import io.meterbridge.server.admin.AdminTestServer.Reply;
import io.meterbridge.server.store.BatchRow;
import io.meterbridge.server.store.MeterRow;
import io.meterbridge.server.store.SigningKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every admin endpoint over HTTP on a real server (SQLite): happy paths and the main errors. */
class AdminApiTest {
  static final String SELLER = "111111111111";
  static final String BUYER = "222222222222";

  @TempDir
  Path dir;
  AdminTestServer server;

  @BeforeEach
  void start() {
    server = AdminTestServer.sqlite(dir);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  void seller() {
    assertThat(server.post("/admin/accounts", "{\"accountId\":\"" + SELLER + "\",\"name\":\"seller\","
        + "\"accessKeys\":[{\"accessKeyId\":\"AKIDSELLER\",\"secretAccessKey\":\"s3cret\"}]}").status()).isEqualTo(201);
  }

  void product(String code, String type) {
    Reply r = server.post("/admin/products", "{\"productCode\":\"" + code + "\",\"seller\":\"" + SELLER
        + "\",\"type\":\"" + type + "\",\"region\":\"us-east-1\",\"dimensions\":[\"users\"]}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  static void assertError(Reply reply, int status, String error, String messagePart) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    assertThat(reply.header("Content-Type")).isEqualTo("application/json");
    assertThat(reply.text("error")).isEqualTo(error);
    assertThat(reply.text("message")).contains(messagePart);
  }

  // ------------------------------------------------------------------------------ auth, routing

  @Test
  void adminRequest_withoutToken_is401WithAJsonErrorAndABearerChallenge() {
    Reply reply = server.send("GET", "/admin/products", null, null);

    assertError(reply, 401, "Unauthorized", "Missing Authorization header");
    assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
  }

  @Test
  void adminRequest_withWrongToken_is401() {
    assertError(server.send("GET", "/admin/products", null, "Bearer not-the-token"), 401, "Unauthorized",
        "not valid");
    assertError(server.send("GET", "/admin/products", null, "Basic " + AdminTestServer.TOKEN), 401, "Unauthorized",
        "Bearer");
  }

  @Test
  void adminRequest_unknownPath_withoutToken_is401_notA404() {
    assertThat(server.send("GET", "/admin/nothing-here", null, null).status()).isEqualTo(401);
  }

  @Test
  void adminRequest_unknownPath_is404() {
    assertError(server.get("/admin/nothing-here"), 404, "NotFound", "/admin/nothing-here");
  }

  @Test
  void adminRequest_wrongMethod_is405NamingTheAllowedMethods() {
    Reply reply = server.send("DELETE", "/admin/products", null, "Bearer " + AdminTestServer.TOKEN);

    assertError(reply, 405, "MethodNotAllowed", "GET, POST");
    assertThat(reply.header("Allow")).isEqualTo("GET, POST");
  }

  @Test
  void adminRequest_routesByPatternAndMethod() {
    Reply wrongMethod = server.send("DELETE", "/admin/products/prod-a", null, "Bearer " + AdminTestServer.TOKEN);
    assertError(wrongMethod, 405, "MethodNotAllowed", "use GET");
    assertThat(wrongMethod.header("Allow")).isEqualTo("GET");
    assertError(server.get("/admin/products/prod-a/nothing"), 404, "NotFound", "/admin/products/prod-a/nothing");
    assertError(server.get("/admin/products//keys"), 404, "NotFound", "No admin endpoint");
  }

  @Test
  void adminRequest_malformedJson_is400() {
    assertError(server.post("/admin/accounts", "{\"accountId\": "), 400, "InvalidRequest", "not valid JSON");
    assertError(server.post("/admin/accounts", "[1,2]"), 400, "InvalidRequest", "JSON object");
  }

  @Test
  void adminRequest_misspeltField_is400NamingIt() {
    assertError(server.post("/admin/accounts", "{\"accountID\":\"" + SELLER + "\"}"), 400, "InvalidRequest",
        "accountID: is not a known field");
  }

  @Test
  void adminResponses_carryARequestIdAndAreNotCached() {
    Reply reply = server.get("/admin/stats");

    assertThat(reply.header("x-amzn-RequestId")).isNotBlank();
    assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
  }

  // ---------------------------------------------------------------------------------- accounts

  @Test
  void createAccount_withoutAccessKeys_generatesOneAndShowsItsSecretOnce() {
    Reply created = server.post("/admin/accounts", "{\"accountId\":\"" + SELLER + "\",\"name\":\"Seller Inc\"}");

    assertThat(created.status()).isEqualTo(201);
    Map<String, Object> key = created.list("accessKeys").get(0);
    assertThat((String) key.get("accessKeyId")).matches("AKIA[A-Z2-7]{16}");
    assertThat((String) key.get("secretAccessKey")).hasSize(40);
    assertThat(server.store().accessKey((String) key.get("accessKeyId")).orElseThrow().secretAccessKey())
        .isEqualTo(key.get("secretAccessKey"));
    Reply again = server.post("/admin/accounts", "{\"accountId\":\"" + SELLER + "\",\"name\":\"Seller Ltd\"}");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.list("accessKeys")).isEmpty();
    assertThat(server.get("/admin/accounts/" + SELLER).text("name")).isEqualTo("Seller Ltd");
  }

  @Test
  void createAccount_givenAccessKeys_storesThemWithoutEchoingTheSecret() {
    seller();

    assertThat(server.store().accessKey("AKIDSELLER").orElseThrow().secretAccessKey()).isEqualTo("s3cret");
    assertThat(server.post("/admin/accounts", "{\"accountId\":\"" + SELLER + "\"}").body()).doesNotContain("s3cret");
  }

  @Test
  void createAccount_badAccountId_is400NamingAccountId() {
    assertError(server.post("/admin/accounts", "{\"accountId\":\"12345\"}"), 400, "InvalidRequest",
        "accountId: '12345' is not a 12-digit AWS account id");
    assertError(server.post("/admin/accounts", "{\"name\":\"x\"}"), 400, "InvalidRequest", "accountId: is required");
  }

  @Test
  void createAccount_accessKeyOfAnotherAccount_is409() {
    seller();

    assertError(server.post("/admin/accounts", "{\"accountId\":\"" + BUYER + "\",\"accessKeys\":"
        + "[{\"accessKeyId\":\"AKIDSELLER\",\"secretAccessKey\":\"x\"}]}"), 409, "Conflict", "belongs to account " + SELLER);
  }

  @Test
  void createAccount_accessKeyWithoutSecret_is400NamingTheNestedField() {
    assertError(server.post("/admin/accounts", "{\"accountId\":\"" + BUYER + "\",\"accessKeys\":"
        + "[{\"accessKeyId\":\"AKIDBUYER\"}]}"), 400, "InvalidRequest", "accessKeys[0].secretAccessKey: is required");
  }

  @Test
  void account_unknown_is404() {
    assertError(server.get("/admin/accounts/999999999999"), 404, "NotFound", "999999999999");
  }

  // ---------------------------------------------------------------------------------- products

  @Test
  void createProduct_thenListAndGetIt() {
    seller();
    Reply created = server.post("/admin/products", "{\"productCode\":\"prod-a\",\"seller\":\"" + SELLER
        + "\",\"type\":\"saas\",\"region\":\"eu-west-1\",\"dimensions\":[\"users\",\"storage_gb\"]}");

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json()).containsEntry("productCode", "prod-a").containsEntry("type", "SAAS")
        .containsEntry("region", "eu-west-1").containsEntry("seller", SELLER)
        .containsEntry("dimensions", List.of("storage_gb", "users")).containsEntry("publicKeyVersions", List.of());
    assertThat(server.get("/admin/products").list("products")).extracting(p -> p.get("productCode"))
        .containsExactly("prod-a");
    assertThat(server.get("/admin/products/prod-a").json()).isEqualTo(created.json());
  }

  @Test
  void createProduct_container_getsAnRsa2048KeyVersion1_andAskedVersionsAreGenerated() {
    seller();
    product("prod-c", "CONTAINER");
    Reply more = server.post("/admin/products", "{\"productCode\":\"prod-c\",\"seller\":\"" + SELLER
        + "\",\"type\":\"CONTAINER\",\"region\":\"us-east-1\",\"publicKeyVersions\":[1,2]}");

    assertThat(more.status()).isEqualTo(200);
    assertThat(more.json().get("publicKeyVersions")).isEqualTo(List.of(1L, 2L));
    List<SigningKey> keys = server.store().signingKeys("prod-c");
    assertThat(keys).hasSize(2);
    assertThat(RsaKeys.publicKeyFromDer(keys.get(0).publicKey()).getModulus().bitLength()).isEqualTo(2048);
  }

  @Test
  void createProduct_sameAgain_is200_butAnotherTypeIs409() {
    seller();
    product("prod-a", "SAAS");

    assertThat(server.post("/admin/products", "{\"productCode\":\"prod-a\",\"seller\":\"" + SELLER
        + "\",\"type\":\"SAAS\",\"dimensions\":[\"more\"]}").json().get("dimensions")).isEqualTo(List.of("more", "users"));
    assertError(server.post("/admin/products", "{\"productCode\":\"prod-a\",\"seller\":\"" + SELLER
        + "\",\"type\":\"AMI\"}"), 409, "Conflict", "cannot change");
  }

  @Test
  void createProduct_badInput_is400NamingTheField() {
    seller();
    String base = "\"productCode\":\"prod-a\",\"seller\":\"" + SELLER + "\"";

    assertError(server.post("/admin/products", "{" + base + ",\"type\":\"VM\"}"), 400, "InvalidRequest",
        "type: 'VM' is not one of SAAS, AMI, CONTAINER");
    assertError(server.post("/admin/products", "{" + base + "}"), 400, "InvalidRequest", "type: is required");
    assertError(server.post("/admin/products", "{\"productCode\":\"a/b\",\"seller\":\"" + SELLER
        + "\",\"type\":\"AMI\"}"), 400, "InvalidRequest", "productCode:");
    assertError(server.post("/admin/products", "{" + base + ",\"type\":\"AMI\",\"region\":\"mars\"}"), 400,
        "InvalidRequest", "region:");
    assertError(server.post("/admin/products", "{" + base + ",\"type\":\"AMI\",\"dimensions\":[\"ok\",7]}"), 400,
        "InvalidRequest", "dimensions[1]:");
    assertError(server.post("/admin/products", "{" + base + ",\"type\":\"AMI\",\"publicKeyVersions\":[0]}"), 400,
        "InvalidRequest", "publicKeyVersions[0]:");
    assertError(server.post("/admin/products", "{" + base + ",\"type\":\"AMI\",\"dimensions\":\"users\"}"), 400,
        "InvalidRequest", "dimensions: must be a list");
  }

  @Test
  void createProduct_severalBadFields_isOne400NamingEveryProblem() {
    Reply reply = server.post("/admin/products", "{\"productCode\":\"a/b\",\"seller\":\"1234\",\"type\":\"VM\","
        + "\"region\":\"mars\",\"dimensions\":[\"ok\",7],\"publicKeyVersions\":[0],\"colour\":\"red\"}");

    assertError(reply, 400, "InvalidRequest", "productCode: 'a/b' is not 1 to 255 letters, digits or -=:_.@");
    assertThat(reply.json().get("problems")).asList().containsExactlyInAnyOrder(
        "productCode: 'a/b' is not 1 to 255 letters, digits or -=:_.@",
        "seller: '1234' is not a 12-digit AWS account id",
        "type: 'VM' is not one of SAAS, AMI, CONTAINER",
        "region: 'mars' is not a region name such as us-east-1",
        "dimensions[1]: must be a string",
        "publicKeyVersions[0]: must be a whole number between 1 and 1000",
        "colour: is not a known field; expected some of [agentCore, dimensions, platforms, productCode,"
            + " publicKeyVersions, region, seller, type]");
    assertThat(reply.text("message")).contains("; seller: '1234' is not a 12-digit AWS account id");
    assertThat(server.store().products()).isEmpty();
  }

  @Test
  void createAccount_accessKeyIdWithAnUnderscore_isValid_asInASeedFile() {
    Reply reply = server.post("/admin/accounts", "{\"accountId\":\"" + SELLER + "\",\"accessKeys\":"
        + "[{\"accessKeyId\":\"AKID_SELLER\",\"secretAccessKey\":\"s3cret\"}]}");

    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    assertThat(server.store().accessKey("AKID_SELLER")).isPresent();
  }

  @Test
  void createProduct_unknownSeller_is400NamingSeller() {
    assertError(server.post("/admin/products", "{\"productCode\":\"prod-a\",\"seller\":\"" + SELLER
        + "\",\"type\":\"AMI\"}"), 400, "InvalidRequest", "seller: no account " + SELLER);
  }

  @Test
  void addDimensions_addsToTheProduct() {
    seller();
    product("prod-a", "AMI");

    Reply reply = server.post("/admin/products/prod-a/dimensions", "{\"dimensions\":[\"vcpu_hours\"]}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("dimensions")).isEqualTo(List.of("users", "vcpu_hours"));
  }

  @Test
  void addDimensions_unknownProduct_is404_andNoDimensionsIs400() {
    assertError(server.post("/admin/products/prod-x/dimensions", "{\"dimensions\":[\"d\"]}"), 404, "NotFound",
        "No product prod-x");
    seller();
    product("prod-a", "AMI");
    assertError(server.post("/admin/products/prod-a/dimensions", "{}"), 400, "InvalidRequest", "dimensions:");
  }

  @Test
  void product_unknown_is404() {
    assertError(server.get("/admin/products/prod-x"), 404, "NotFound", "No product prod-x");
  }

  // ------------------------------------------------------------------------------ signing keys

  @Test
  void rotateKey_addsTheNextVersion_andExpiresTheOldOnesNow() {
    seller();
    product("prod-c", "CONTAINER");

    Reply rotated = server.post("/admin/products/prod-c/keys/rotate", "");

    assertThat(rotated.status()).isEqualTo(201);
    assertThat(rotated.json()).containsEntry("version", 2L).containsEntry("current", true);
    List<Map<String, Object>> keys = server.get("/admin/products/prod-c/keys").list("keys");
    assertThat(keys).extracting(k -> k.get("version")).containsExactly(1L, 2L);
    assertThat(keys.get(0)).containsEntry("current", false);
    assertThat(Instant.parse((String) keys.get(0).get("expiresAt")))
        .isCloseTo(server.clock().instant(), within(1, ChronoUnit.MINUTES));
    assertThat(keys.get(1)).doesNotContainKey("expiresAt").containsEntry("current", true);
    assertThat(RsaKeys.publicKeyFromPem((String) keys.get(1).get("publicKeyPem")).getModulus().bitLength())
        .isEqualTo(2048);
    assertThat(keys.get(1).get("publicKeyPem")).isEqualTo(rotated.json().get("publicKeyPem"));
  }

  @Test
  void rotateKey_unknownProduct_is404() {
    assertError(server.post("/admin/products/prod-x/keys/rotate", ""), 404, "NotFound", "prod-x");
    assertError(server.get("/admin/products/prod-x/keys"), 404, "NotFound", "prod-x");
  }

  // ----------------------------------------------------------------------------- subscriptions

  @Test
  void createSubscription_thenDeactivateAndActivateIt() {
    seller();
    product("prod-a", "SAAS");

    Reply created = server.post("/admin/subscriptions", "{\"productCode\":\"prod-a\",\"customerAWSAccountId\":\""
        + BUYER + "\",\"customerIdentifier\":\"cust-1\",\"licenseArn\":\"arn:aws:license-manager::" + SELLER
        + ":license:l-1\",\"since\":\"2026-01-01T00:00:00Z\"}");

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json()).containsEntry("active", true).containsEntry("since", "2026-01-01T00:00:00Z")
        .containsEntry("customerIdentifier", "cust-1");
    Reply off = server.post("/admin/subscriptions/prod-a/" + BUYER + "/deactivate", "");
    assertThat(off.json()).containsEntry("active", false).containsEntry("customerIdentifier", "cust-1");
    assertThat(server.store().subscriptionByCustomerAccount("prod-a", BUYER).orElseThrow().active()).isFalse();
    assertThat(server.post("/admin/subscriptions/prod-a/" + BUYER + "/activate", "").json()).containsEntry("active", true);
    assertThat(server.get("/admin/subscriptions/prod-a/" + BUYER).json()).containsEntry("active", true);
  }

  @Test
  void updateSubscription_keepsWhatItDoesNotName() {
    seller();
    product("prod-a", "SAAS");
    server.post("/admin/subscriptions", "{\"productCode\":\"prod-a\",\"customerAWSAccountId\":\"" + BUYER
        + "\",\"customerIdentifier\":\"cust-1\",\"since\":\"2026-01-01T00:00:00Z\"}");

    Reply updated = server.post("/admin/subscriptions", "{\"productCode\":\"prod-a\",\"customerAWSAccountId\":\""
        + BUYER + "\",\"active\":false}");

    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json()).containsEntry("customerIdentifier", "cust-1").containsEntry("active", false)
        .containsEntry("since", "2026-01-01T00:00:00Z");
  }

  @Test
  void createSubscription_errors_nameTheField_orTheMissingThing() {
    seller();
    product("prod-a", "SAAS");

    assertError(server.post("/admin/subscriptions", "{\"productCode\":\"prod-x\",\"customerAWSAccountId\":\""
        + BUYER + "\"}"), 404, "NotFound", "prod-x");
    assertError(server.post("/admin/subscriptions", "{\"productCode\":\"prod-a\",\"customerAWSAccountId\":\"abc\"}"),
        400, "InvalidRequest", "customerAWSAccountId:");
    assertError(server.post("/admin/subscriptions", "{\"productCode\":\"prod-a\",\"customerAWSAccountId\":\""
        + BUYER + "\",\"active\":\"yes\"}"), 400, "InvalidRequest", "active: must be true or false");
    assertError(server.post("/admin/subscriptions", "{\"productCode\":\"prod-a\",\"customerAWSAccountId\":\""
        + BUYER + "\",\"since\":\"yesterday\"}"), 400, "InvalidRequest", "since: 'yesterday'");
    assertError(server.post("/admin/subscriptions", "{\"productCode\":\"prod-a\",\"customerAWSAccountId\":\""
        + BUYER + "\",\"licenseArn\":\"l-1\"}"), 400, "InvalidRequest", "licenseArn:");
  }

  @Test
  void createSubscription_customerIdentifierOfAnotherCustomer_is409() {
    seller();
    product("prod-a", "SAAS");
    server.post("/admin/subscriptions", "{\"productCode\":\"prod-a\",\"customerAWSAccountId\":\"" + BUYER
        + "\",\"customerIdentifier\":\"cust-1\"}");

    assertError(server.post("/admin/subscriptions", "{\"productCode\":\"prod-a\",\"customerAWSAccountId\":\""
        + "333333333333\",\"customerIdentifier\":\"cust-1\"}"), 409, "Conflict", "customerIdentifier: cust-1");
  }

  @Test
  void deactivate_unknownSubscription_is404() {
    seller();
    product("prod-a", "SAAS");

    assertError(server.post("/admin/subscriptions/prod-a/" + BUYER + "/deactivate", ""), 404, "NotFound",
        "No subscription of account " + BUYER);
    assertError(server.post("/admin/subscriptions/prod-x/" + BUYER + "/activate", ""), 404, "NotFound", "prod-x");
  }

  // ------------------------------------------------------------------------------------ tokens

  @Test
  void createToken_defaultsToFourHours_andToTheSubscriptionsIdentity() {
    seller();
    product("prod-a", "SAAS");
    server.post("/admin/subscriptions", "{\"productCode\":\"prod-a\",\"customerAWSAccountId\":\"" + BUYER
        + "\",\"customerIdentifier\":\"cust-1\"}");

    Reply token = server.post("/admin/tokens", "{\"productCode\":\"prod-a\",\"customerAWSAccountId\":\"" + BUYER + "\"}");

    assertThat(token.status()).isEqualTo(201);
    assertThat(token.text("token")).startsWith("mbt-").hasSizeGreaterThan(40);
    assertThat(token.json()).containsEntry("customerIdentifier", "cust-1");
    assertThat(Instant.parse(token.text("expiresAt")))
        .isCloseTo(server.clock().instant().plus(Duration.ofHours(4)), within(1, ChronoUnit.MINUTES));
    assertThat(server.store().token(token.text("token"))).isPresent();
  }

  @Test
  void createToken_givenToken_isKept_andReusingItIs409() {
    seller();
    product("prod-a", "SAAS");
    String body = "{\"productCode\":\"prod-a\",\"customerAWSAccountId\":\"" + BUYER
        + "\",\"token\":\"tok-1\",\"ttlSeconds\":60,\"customerIdentifier\":\"c\"}";

    Reply first = server.post("/admin/tokens", body);

    assertThat(first.text("token")).isEqualTo("tok-1");
    assertThat(Instant.parse(first.text("expiresAt")))
        .isCloseTo(server.clock().instant().plusSeconds(60), within(10, ChronoUnit.SECONDS));
    assertError(server.post("/admin/tokens", body), 409, "Conflict", "token:");
  }

  @Test
  void createToken_errors() {
    seller();
    product("prod-a", "SAAS");

    assertError(server.post("/admin/tokens", "{\"productCode\":\"prod-x\",\"customerAWSAccountId\":\"" + BUYER + "\"}"),
        404, "NotFound", "prod-x");
    assertError(server.post("/admin/tokens", "{\"productCode\":\"prod-a\",\"customerAWSAccountId\":\"" + BUYER
        + "\",\"ttlSeconds\":0}"), 400, "InvalidRequest", "ttlSeconds: 0 is not between 1");
    assertError(server.post("/admin/tokens", "{\"productCode\":\"prod-a\",\"customerAWSAccountId\":\"" + BUYER
        + "\",\"ttlSeconds\":1.5}"), 400, "InvalidRequest", "ttlSeconds: must be a whole number");
    assertError(server.post("/admin/tokens", "{\"productCode\":\"prod-a\"}"), 400, "InvalidRequest",
        "customerAWSAccountId: is required");
  }

  // ------------------------------------------------------------------------------------- clock

  @Test
  void clock_shiftSetAndReset() {
    Reply now = server.get("/admin/clock");
    assertThat(now.json()).containsEntry("offset", "PT0S").containsEntry("offsetSeconds", 0.0);

    Reply shifted = server.post("/admin/clock", "{\"shiftSeconds\":3600}");
    assertThat(shifted.json()).containsEntry("offset", "PT1H");
    assertThat(Instant.parse(shifted.text("now"))).isCloseTo(Instant.now().plusSeconds(3600), within(1, ChronoUnit.MINUTES));
    assertThat(server.post("/admin/clock", "{\"shiftSeconds\":-1800}").json()).containsEntry("offset", "PT30M");

    Reply set = server.post("/admin/clock", "{\"set\":\"2026-03-31T23:00:00Z\"}");
    assertThat(Instant.parse(set.text("now"))).isCloseTo(Instant.parse("2026-03-31T23:00:00Z"), within(1, ChronoUnit.MINUTES));
    assertThat(server.clock().instant()).isCloseTo(Instant.parse("2026-03-31T23:00:00Z"), within(1, ChronoUnit.MINUTES));

    assertThat(server.post("/admin/clock", "{\"reset\":true}").json()).containsEntry("offset", "PT0S");
    assertThat(server.clock().offset()).isZero();
  }

  @Test
  void clock_needsExactlyOneChange() {
    assertError(server.post("/admin/clock", "{}"), 400, "InvalidRequest", "exactly one of shiftSeconds, set, reset");
    assertError(server.post("/admin/clock", "{\"reset\":true,\"shiftSeconds\":1}"), 400, "InvalidRequest", "exactly one");
    assertError(server.post("/admin/clock", "{\"set\":\"tomorrow\"}"), 400, "InvalidRequest", "set: 'tomorrow'");
    assertError(server.post("/admin/clock", "{\"shiftSeconds\":\"1h\"}"), 400, "InvalidRequest", "shiftSeconds:");
    assertError(server.post("/admin/clock", "{\"shiftSeconds\":99999999999}"), 400, "InvalidRequest", "shiftSeconds:");
    assertThat(server.clock().offset()).isZero();
  }

  // ----------------------------------------------------------------------------- records, stats

  @Test
  void batchRecords_listsStoredRecordsWithFiltersAndACursor() {
    Instant hour = Instant.parse("2026-03-01T10:00:00Z");
    List<BatchRow> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rows.add(BatchRow.builder().meteringRecordId(UUID.randomUUID().toString()).productCode(i < 4 ? "prod-a" : "prod-b")
          .customerAccountId(BUYER).dimension("users").timestamp(hour.plus(Duration.ofHours(i))).quantity(i + 1)
          .allocations(i == 0 ? "1|1:k=1:v" : "").fingerprint("f" + i).callerAccountId(SELLER)
          .receivedAt(hour.plus(Duration.ofHours(i))).build());
    }
    server.store().meterBatch(rows).join();

    Reply page1 = server.get("/admin/records/batch?productCode=prod-a&limit=2");
    assertThat(page1.list("records")).extracting(r -> r.get("meteringRecordId"))
        .containsExactly(rows.get(0).meteringRecordId(), rows.get(1).meteringRecordId());
    assertThat(page1.list("records").get(0)).containsEntry("quantity", 1L).containsEntry("customer", BUYER)
        .containsEntry("timestamp", "2026-03-01T10:00:00Z").containsEntry("dimension", "users")
        .containsEntry("allocations", List.of(Map.of("allocatedUsageQuantity", 1L,
            "tags", List.of(Map.of("key", "k", "value", "v")))));
    Reply page2 = server.get("/admin/records/batch?productCode=prod-a&limit=2&cursor=" + page1.text("nextCursor"));
    assertThat(page2.list("records")).extracting(r -> r.get("quantity")).containsExactly(3L, 4L);
    Reply ranged = server.get("/admin/records/batch?from=2026-03-01T12:00:00Z&to=2026-03-01T14:00:00Z");
    assertThat(ranged.list("records")).extracting(r -> r.get("quantity")).containsExactly(3L, 4L);
    assertThat(server.get("/admin/records/batch").list("records")).hasSize(5);
  }

  @Test
  void meterRecords_listsStoredRecords() {
    Instant at = Instant.parse("2026-03-01T10:05:00Z");
    MeterRow row = MeterRow.builder().meteringRecordId(UUID.randomUUID().toString()).callerIdentity("i-123")
        .callerAccountId(BUYER).productCode("prod-ami").dimension("vcpu").timestamp(at).quantity(7)
        .fingerprint("f").clientToken("ct-1").requestFingerprint("rf").receivedAt(at).build();
    server.store().meterUsage(row).join();

    Reply reply = server.get("/admin/records/meter?productCode=prod-ami");

    assertThat(reply.list("records")).singleElement().satisfies(r -> assertThat(r)
        .containsEntry("meteringRecordId", row.meteringRecordId()).containsEntry("callerIdentity", "i-123")
        .containsEntry("quantity", 7L).containsEntry("clientToken", "ct-1").containsEntry("hour", "2026-03-01T10:00:00Z")
        .containsEntry("allocations", List.of()));
    assertThat(reply.json()).doesNotContainKey("nextCursor");
  }

  @Test
  void records_badQuery_is400NamingTheParameter() {
    assertError(server.get("/admin/records/batch?limit=0"), 400, "InvalidRequest", "limit: '0'");
    assertError(server.get("/admin/records/batch?limit=lots"), 400, "InvalidRequest", "limit:");
    assertError(server.get("/admin/records/meter?cursor=abc"), 400, "InvalidRequest", "cursor: 'abc'");
    assertError(server.get("/admin/records/meter?from=yesterday"), 400, "InvalidRequest", "from: 'yesterday'");
    assertError(server.get("/admin/records/meter?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z"), 400,
        "InvalidRequest", "from:");
    assertError(server.get("/admin/records/meter?product=p"), 400, "InvalidRequest", "product: is not a known query parameter");
  }

  @Test
  void stats_countsTheCatalogAndTheRecords() {
    seller();
    product("prod-a", "SAAS");
    server.post("/admin/subscriptions", "{\"productCode\":\"prod-a\",\"customerAWSAccountId\":\"" + BUYER + "\"}");

    Reply stats = server.get("/admin/stats");

    assertThat(stats.json()).containsEntry("accounts", 1L).containsEntry("products", 1L)
        .containsEntry("subscriptions", 1L).containsEntry("batchRecords", 0L).containsEntry("meterRecords", 0L)
        .containsEntry("tasks", 0L).containsKey("serverTime");
  }
}
