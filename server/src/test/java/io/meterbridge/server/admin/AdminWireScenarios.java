package io.meterbridge.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.auth.RsaKeys;
import io.meterbridge.auth.UsageClaims;
import io.meterbridge.auth.UsageSignature;
import io.meterbridge.client.MeteringClient;
import io.meterbridge.client.RetryPolicy;
import io.meterbridge.exception.CustomerNotEntitledException;
import io.meterbridge.exception.ExpiredTokenException;
import io.meterbridge.exception.InvalidProductCodeException;
import io.meterbridge.exception.TimestampOutOfBoundsException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.RegisterUsageResponse;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.model.ResolveCustomerResponse;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResultStatus;
import io.meterbridge.server.admin.AdminTestServer.Reply;
import java.net.URI;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the admin API changes, seen through the wire at once by our client: the catalog is set up
 * with the admin API only (accounts and their generated keys included), then metered.
 */
abstract class AdminWireScenarios {
  static final String SELLER = "111111111111";
  static final String BUYER = "222222222222";

  @TempDir
  Path dir;
  AdminTestServer server;
  MeteringClient seller;
  MeteringClient buyer;

  abstract AdminTestServer startServer(Path dir);

  @BeforeEach
  void start() {
    server = startServer(dir);
    seller = client(account(SELLER));
    buyer = client(account(BUYER));
  }

  @AfterEach
  void stop() {
    seller.close();
    buyer.close();
    server.close();
  }

  /** Creates an account through the admin API and returns its generated access key. */
  AwsCredentials account(String accountId) {
    Reply reply = server.post("/admin/accounts", "{\"accountId\":\"" + accountId + "\"}");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    Map<String, Object> key = reply.list("accessKeys").get(0);
    return AwsCredentials.of((String) key.get("accessKeyId"), (String) key.get("secretAccessKey"));
  }

  MeteringClient client(AwsCredentials credentials) {
    return MeteringClient.builder().region("us-east-1").credentials(credentials)
        .endpointOverride(URI.create(server.endpoint())).retryPolicy(RetryPolicy.none()).build();
  }

  void product(String code, String type, String dimension) {
    Reply reply = server.post("/admin/products", "{\"productCode\":\"" + code + "\",\"seller\":\"" + SELLER
        + "\",\"type\":\"" + type + "\",\"region\":\"us-east-1\",\"dimensions\":[\"" + dimension + "\"]}");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
  }

  void subscribe(String code) {
    Reply reply = server.post("/admin/subscriptions", "{\"productCode\":\"" + code + "\",\"customerAWSAccountId\":\""
        + BUYER + "\",\"since\":\"2020-01-01T00:00:00Z\"}");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
  }

  UsageRecord record(Instant at, int quantity) {
    return UsageRecord.builder().timestamp(at).customerAwsAccountId(BUYER).dimension("users").quantity(quantity).build();
  }

  Instant aMinuteAgo() {
    return server.clock().instant().minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
  }

  @Test
  void productCreatedThroughAdmin_isMeterableAtOnce_andItsRecordIsListed() {
    // The catalog cache (1 h here) has already answered "no such product": the admin API must invalidate it.
    assertThatThrownBy(() -> seller.batchMeterUsage(BatchMeterUsageRequest.of("prod-new", List.of(record(aMinuteAgo(), 1)))))
        .isInstanceOf(InvalidProductCodeException.class);
    product("prod-new", "SAAS", "users");
    subscribe("prod-new");

    BatchMeterUsageResponse response =
        seller.batchMeterUsage(BatchMeterUsageRequest.of("prod-new", List.of(record(aMinuteAgo(), 3))));

    assertThat(response.results()).singleElement().satisfies(r ->
        assertThat(r.status()).contains(UsageRecordResultStatus.SUCCESS));
    String id = response.results().get(0).meteringRecordId().orElseThrow();
    Reply listed = server.get("/admin/records/batch?productCode=prod-new");
    assertThat(listed.list("records")).singleElement().satisfies(r -> assertThat(r)
        .containsEntry("meteringRecordId", id).containsEntry("quantity", 3L).containsEntry("callerAccountId", SELLER));
    assertThat(server.get("/admin/stats").json()).containsEntry("batchRecords", 1L);
  }

  @Test
  void meterUsage_onAnAmiProductCreatedThroughAdmin_isListedWithItsRecordId() {
    product("prod-ami", "AMI", "vcpu_hours");
    subscribe("prod-ami");

    String id = buyer.meterUsage(MeterUsageRequest.builder().productCode("prod-ami").timestamp(aMinuteAgo())
        .usageDimension("vcpu_hours").usageQuantity(2).build()).meteringRecordId().orElseThrow();

    assertThat(server.get("/admin/records/meter").list("records")).singleElement().satisfies(r -> assertThat(r)
        .containsEntry("meteringRecordId", id).containsEntry("quantity", 2L).containsEntry("callerAccountId", BUYER));
  }

  @Test
  void accessKeysMappedToOneInstanceThroughAdmin_shareMeterUsagesHour() {
    product("prod-ami", "AMI", "vcpu_hours");
    subscribe("prod-ami");
    Reply reply = server.post("/admin/accounts", "{\"accountId\":\"" + BUYER + "\",\"accessKeys\":["
        + "{\"accessKeyId\":\"AKIDROLE1\",\"secretAccessKey\":\"s1\",\"resourceId\":\"i-0abc\"},"
        + "{\"accessKeyId\":\"AKIDROLE2\",\"secretAccessKey\":\"s2\",\"resourceId\":\"i-0abc\"}]}");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.list("accessKeys")).extracting(k -> k.get("resourceId")).containsExactly("i-0abc", "i-0abc");
    MeterUsageRequest request = MeterUsageRequest.builder().productCode("prod-ami").timestamp(aMinuteAgo())
        .usageDimension("vcpu_hours").usageQuantity(2).build();

    try (MeteringClient first = client(AwsCredentials.of("AKIDROLE1", "s1"));
         MeteringClient second = client(AwsCredentials.of("AKIDROLE2", "s2"))) {
      String id = first.meterUsage(request).meteringRecordId().orElseThrow();
      assertThat(second.meterUsage(request).meteringRecordId()).contains(id);
    }
    assertThat(server.get("/admin/records/meter").list("records")).hasSize(1);
  }

  @Test
  void agentCoreProductThroughAdmin_takesManyReportsAnHour_untilSwitchedOff() {
    Reply created = server.post("/admin/products", "{\"productCode\":\"prod-agent\",\"seller\":\"" + SELLER
        + "\",\"type\":\"CONTAINER\",\"dimensions\":[\"invocations\"],\"agentCore\":true}");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.json()).containsEntry("agentCore", true);
    subscribe("prod-agent");
    MeterUsageRequest.Builder report = MeterUsageRequest.builder().productCode("prod-agent").timestamp(aMinuteAgo())
        .usageDimension("invocations").usageQuantity(1);

    String first = buyer.meterUsage(report.build()).meteringRecordId().orElseThrow();
    assertThat(buyer.meterUsage(report.build()).meteringRecordId()).isPresent().isNotEqualTo(first);

    Reply off = server.post("/admin/products", "{\"productCode\":\"prod-agent\",\"seller\":\"" + SELLER
        + "\",\"type\":\"CONTAINER\",\"agentCore\":false}");
    assertThat(off.status()).as(off.toString()).isEqualTo(200);
    assertThat(off.json()).containsEntry("agentCore", false);
    buyer.meterUsage(report.timestamp(aMinuteAgo().minus(Duration.ofHours(1))).build());
    assertThatThrownBy(() -> buyer.meterUsage(report.usageQuantity(2).build()))
        .isInstanceOf(io.meterbridge.exception.DuplicateRequestException.class);
  }

  @Test
  void productPlatformsAndKeyPlatformsThroughAdmin_decideRegisterUsage() {
    Reply created = server.post("/admin/products", "{\"productCode\":\"prod-fargate\",\"seller\":\"" + SELLER
        + "\",\"type\":\"CONTAINER\",\"dimensions\":[\"tasks\"],\"platforms\":[\"fargate\"]}");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.json()).containsEntry("platforms", List.of("FARGATE"));
    subscribe("prod-fargate");
    Reply keys = server.post("/admin/accounts", "{\"accountId\":\"" + BUYER + "\",\"accessKeys\":["
        + "{\"accessKeyId\":\"AKIDONEKS\",\"secretAccessKey\":\"s1\",\"platform\":\"EKS\"},"
        + "{\"accessKeyId\":\"AKIDONFARGATE\",\"secretAccessKey\":\"s2\",\"platform\":\"FARGATE\"}]}");
    assertThat(keys.status()).as(keys.toString()).isEqualTo(200);
    RegisterUsageRequest register = RegisterUsageRequest.builder().productCode("prod-fargate").publicKeyVersion(1).build();

    try (MeteringClient onEks = client(AwsCredentials.of("AKIDONEKS", "s1"));
         MeteringClient onFargate = client(AwsCredentials.of("AKIDONFARGATE", "s2"))) {
      assertThatThrownBy(() -> onEks.registerUsage(register))
          .isInstanceOf(io.meterbridge.exception.PlatformNotSupportedException.class)
          .hasMessageContaining("from EKS");
      assertThat(onFargate.registerUsage(register).signature()).isPresent();
    }
  }

  @Test
  void unknownPlatformNames_areRefusedWithTheChoices() {
    Reply product = server.post("/admin/products", "{\"productCode\":\"prod-c\",\"seller\":\"" + SELLER
        + "\",\"type\":\"CONTAINER\",\"platforms\":[\"K8S\"]}");
    Reply key = server.post("/admin/accounts", "{\"accountId\":\"" + BUYER + "\",\"accessKeys\":["
        + "{\"accessKeyId\":\"AKIDX\",\"secretAccessKey\":\"s1\",\"platform\":\"lambda\"}]}");

    assertThat(product.status()).isEqualTo(400);
    assertThat(product.toString()).contains("platforms[0]: 'K8S' is not a platform: one of ECS, EKS, FARGATE, EC2, OTHER");
    assertThat(key.status()).isEqualTo(400);
    assertThat(key.toString()).contains("accessKeys[0].platform: 'lambda' is not a platform: one of ECS, EKS, FARGATE");
  }

  @Test
  void agentCoreOnASaasProduct_isRefused() {
    Reply reply = server.post("/admin/products", "{\"productCode\":\"prod-s\",\"seller\":\"" + SELLER
        + "\",\"type\":\"SAAS\",\"agentCore\":true}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.toString()).contains("agentCore: a SAAS product is metered by BatchMeterUsage");
  }

  @Test
  void accessKeyWithAnInvalidResourceId_isRefusedWithItsPath() {
    Reply reply = server.post("/admin/accounts", "{\"accountId\":\"" + BUYER + "\",\"accessKeys\":["
        + "{\"accessKeyId\":\"AKIDROLE1\",\"secretAccessKey\":\"s1\",\"resourceId\":\"i 0abc\"}]}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.toString()).contains("accessKeys[0].resourceId").contains("'i 0abc' is not a resource id");
  }

  @Test
  void deactivateThroughAdmin_nextRecordIsCustomerNotSubscribed_andActivateRestoresIt() {
    product("prod-a", "SAAS", "users");
    subscribe("prod-a");
    Instant at = aMinuteAgo();
    assertThat(status(seller.batchMeterUsage(BatchMeterUsageRequest.of("prod-a", List.of(record(at, 1))))))
        .isEqualTo(UsageRecordResultStatus.SUCCESS);

    assertThat(server.post("/admin/subscriptions/prod-a/" + BUYER + "/deactivate", "").status()).isEqualTo(200);
    UsageRecord next = record(at.minus(Duration.ofHours(2)), 1);

    assertThat(status(seller.batchMeterUsage(BatchMeterUsageRequest.of("prod-a", List.of(next)))))
        .isEqualTo(UsageRecordResultStatus.CUSTOMER_NOT_SUBSCRIBED);
    server.post("/admin/subscriptions/prod-a/" + BUYER + "/activate", "");
    assertThat(status(seller.batchMeterUsage(BatchMeterUsageRequest.of("prod-a", List.of(next)))))
        .isEqualTo(UsageRecordResultStatus.SUCCESS);
  }

  @Test
  void unsubscribeThroughAdmin_newTaskIsNotEntitledToRegisterUsage() {
    product("prod-c", "CONTAINER", "tasks");
    subscribe("prod-c");
    server.post("/admin/subscriptions/prod-c/" + BUYER + "/deactivate", "");

    assertThatThrownBy(() -> buyer.registerUsage(RegisterUsageRequest.builder().productCode("prod-c")
        .publicKeyVersion(1).build())).isInstanceOf(CustomerNotEntitledException.class);
  }

  @Test
  void clockShiftThroughAdmin_makesAFreshRecordTimestampOutOfBounds() {
    product("prod-a", "SAAS", "users");
    subscribe("prod-a");
    UsageRecord fresh = record(aMinuteAgo(), 1);

    Reply shifted = server.post("/admin/clock", "{\"shiftSeconds\":" + 25 * 3600 + "}");

    assertThat(shifted.json()).containsEntry("offset", "PT25H");
    assertThatThrownBy(() -> seller.batchMeterUsage(BatchMeterUsageRequest.of("prod-a", List.of(fresh))))
        .isInstanceOf(TimestampOutOfBoundsException.class);
    server.post("/admin/clock", "{\"reset\":true}");
    assertThat(status(seller.batchMeterUsage(BatchMeterUsageRequest.of("prod-a", List.of(fresh)))))
        .isEqualTo(UsageRecordResultStatus.SUCCESS);
  }

  @Test
  void keyRotationThroughAdmin_oldVersionReportsTheRotation_andTheDownloadedPemVerifiesTheNewSignature() {
    product("prod-c", "CONTAINER", "tasks");
    subscribe("prod-c");
    RSAPublicKey v1 = RsaKeys.publicKeyFromPem(server.get("/keys/prod-c/1.pem").body());
    RegisterUsageResponse before = buyer.registerUsage(register(1, "n-0"));
    assertThat(UsageSignature.verify(before.signature().orElseThrow(), v1).publicKeyVersion()).isEqualTo(1);
    assertThat(before.publicKeyRotationTimestamp()).isEmpty();

    Reply rotated = server.post("/admin/products/prod-c/keys/rotate", "");
    assertThat(rotated.json()).containsEntry("version", 2L);

    RegisterUsageResponse old = buyer.registerUsage(register(1, "n-1"));
    assertThat(old.publicKeyRotationTimestamp()).hasValueSatisfying(at ->
        assertThat(at).isCloseTo(server.clock().instant(), within(1, ChronoUnit.MINUTES)));
    RegisterUsageResponse current = buyer.registerUsage(register(2, "n-2"));
    assertThat(current.publicKeyRotationTimestamp()).isEmpty();
    // What a buyer's software does: download the version's public key, verify the signature.
    Reply pem = server.send("GET", "/keys/prod-c/2.pem", null, null);
    assertThat(pem.header("Content-Type")).isEqualTo("application/x-pem-file");
    UsageClaims claims = UsageSignature.verify(current.signature().orElseThrow(), RsaKeys.publicKeyFromPem(pem.body()));
    assertThat(claims.productCode()).isEqualTo("prod-c");
    assertThat(claims.publicKeyVersion()).isEqualTo(2);
    assertThat(claims.nonce()).contains("n-2");
    assertThatThrownBy(() -> UsageSignature.verify(current.signature().orElseThrow(), v1))
        .hasMessageContaining("does not verify");
  }

  @Test
  void registeredTask_isListedWithItsHourlyUsageAndTheOneMinuteMinimum() {
    product("prod-c", "CONTAINER", "tasks");
    subscribe("prod-c");
    buyer.registerUsage(register(1, "n-0"));

    Reply tasks = server.get("/admin/records/tasks?productCode=prod-c");

    assertThat(tasks.list("tasks")).singleElement().satisfies(task -> {
      assertThat(task).containsEntry("customerAWSAccountId", BUYER).containsEntry("calls", 1L);
      assertThat(task.get("hourlyUsage").toString()).contains("seconds");
    });
    assertThat(server.get("/admin/records/tasks").status()).isEqualTo(400);
  }

  @Test
  void tokenIssuedThroughAdmin_resolvesUntilItExpires() {
    product("prod-a", "SAAS", "users");
    server.post("/admin/subscriptions", "{\"productCode\":\"prod-a\",\"customerAWSAccountId\":\"" + BUYER
        + "\",\"customerIdentifier\":\"cust-1\",\"licenseArn\":\"arn:aws:license-manager::" + SELLER + ":license:l-1\"}");
    String token = server.post("/admin/tokens", "{\"productCode\":\"prod-a\",\"customerAWSAccountId\":\"" + BUYER
        + "\"}").text("token");

    ResolveCustomerResponse resolved = seller.resolveCustomer(ResolveCustomerRequest.of(token));

    assertThat(resolved.customerAwsAccountId()).contains(BUYER);
    assertThat(resolved.customerIdentifier()).contains("cust-1");
    assertThat(resolved.productCode()).contains("prod-a");
    assertThat(resolved.licenseArn()).contains("arn:aws:license-manager::" + SELLER + ":license:l-1");
    server.post("/admin/clock", "{\"shiftSeconds\":" + (4 * 3600 + 60) + "}");
    assertThatThrownBy(() -> seller.resolveCustomer(ResolveCustomerRequest.of(token)))
        .isInstanceOf(ExpiredTokenException.class);
  }

  @Test
  void catalogListings_showAccountsSubscriptionsAndTokensOfAProduct() {
    product("prod-a", "SAAS", "users");
    server.post("/admin/subscriptions", "{\"productCode\":\"prod-a\",\"customerAWSAccountId\":\"" + BUYER
        + "\",\"customerIdentifier\":\"cust-1\"}");
    String token = server.post("/admin/tokens", "{\"productCode\":\"prod-a\",\"customerAWSAccountId\":\"" + BUYER
        + "\"}").text("token");

    assertThat(server.get("/admin/accounts").list("accounts")).extracting(a -> a.get("accountId"))
        .containsExactly(SELLER, BUYER);
    List<Map<String, Object>> subscriptions = server.get("/admin/products/prod-a/subscriptions").list("subscriptions");
    assertThat(subscriptions).hasSize(1);
    assertThat(subscriptions.get(0)).containsEntry("customerAWSAccountId", BUYER)
        .containsEntry("customerIdentifier", "cust-1").containsEntry("active", true);
    assertThat(server.get("/admin/products/prod-a/tokens").list("tokens")).extracting(t -> t.get("token"))
        .containsExactly(token);
    assertThat(server.get("/admin/products/prod-x/subscriptions").status()).isEqualTo(404);
    assertThat(server.get("/admin/products/prod-x/tokens").status()).isEqualTo(404);
  }

  static RegisterUsageRequest register(int version, String nonce) {
    return RegisterUsageRequest.builder().productCode("prod-c").publicKeyVersion(version).nonce(nonce).build();
  }

  static UsageRecordResultStatus status(BatchMeterUsageResponse response) {
    assertThat(response.results()).hasSize(1);
    return response.results().get(0).status().orElseThrow();
  }
}
