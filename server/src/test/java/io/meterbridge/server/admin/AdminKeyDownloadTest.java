package io.meterbridge.server.admin;

import static io.meterbridge.server.admin.AdminApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.auth.RsaKeys;
import io.meterbridge.server.admin.AdminTestServer.Reply;
import io.meterbridge.server.store.AccessKey;
import io.meterbridge.server.store.Account;
import io.meterbridge.server.store.CatalogChanges;
import io.meterbridge.server.store.Product;
import io.meterbridge.server.store.ProductType;
import io.meterbridge.server.store.SigningKey;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public key download: no token needed, even when the admin API is disabled. */
class AdminKeyDownloadTest {
  static final KeyPair V1 = rsa();
  static final KeyPair V2 = rsa();

  @TempDir
  Path dir;
  AdminTestServer server;

  @BeforeEach
  void start() {
    server = AdminTestServer.sqliteWithoutToken(dir);
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    server.store().apply(CatalogChanges.builder()
        .account(new Account("111111111111", "seller"))
        .accessKey(new AccessKey("AKIDSELLER", "111111111111", "secret"))
        .product(new Product("prod-c", "111111111111", ProductType.CONTAINER, "us-east-1"))
        .product(new Product("prod-saas", "111111111111", ProductType.SAAS, "us-east-1"))
        .signingKey(SigningKey.builder().productCode("prod-c").version(1).privateKey(V1.getPrivate().getEncoded())
            .publicKey(V1.getPublic().getEncoded()).createdAt(created).expiresAt(Instant.parse("2026-02-01T00:00:00Z"))
            .build())
        .signingKey(SigningKey.builder().productCode("prod-c").version(2).privateKey(V2.getPrivate().getEncoded())
            .publicKey(V2.getPublic().getEncoded()).createdAt(Instant.parse("2026-02-01T00:00:00Z")).build())
        .build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void pem_isPublic_andIsTheVersionsPublicKey() {
    Reply pem = server.send("GET", "/keys/prod-c/2.pem", null, null);

    assertThat(pem.status()).isEqualTo(200);
    assertThat(pem.header("Content-Type")).isEqualTo("application/x-pem-file");
    assertThat(pem.header("Cache-Control")).isEqualTo("public, max-age=300");
    assertThat(pem.body()).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
    assertThat(RsaKeys.publicKeyFromPem(pem.body())).isEqualTo(V2.getPublic());
    assertThat(RsaKeys.publicKeyFromPem(server.send("GET", "/keys/prod-c/1.pem", null, null).body()))
        .isEqualTo(V1.getPublic());
  }

  @Test
  void keyList_isPublic_andListsEveryVersionWithItsExpiry() {
    Reply list = server.send("GET", "/keys/prod-c", null, null);

    assertThat(list.status()).isEqualTo(200);
    assertThat(list.header("Content-Type")).isEqualTo("application/json");
    assertThat(list.text("productCode")).isEqualTo("prod-c");
    List<Map<String, Object>> keys = list.list("keys");
    assertThat(keys).hasSize(2);
    assertThat(keys.get(0)).containsEntry("version", 1L).containsEntry("createdAt", "2026-01-01T00:00:00Z")
        .containsEntry("expiresAt", "2026-02-01T00:00:00Z").containsEntry("current", false)
        .containsEntry("pem", "/keys/prod-c/1.pem");
    assertThat(keys.get(1)).containsEntry("version", 2L).containsEntry("current", true).doesNotContainKey("expiresAt");
  }

  @Test
  void keyList_productWithoutKeys_isEmpty() {
    assertThat(server.send("GET", "/keys/prod-saas", null, null).list("keys")).isEmpty();
  }

  @Test
  void unknownProductOrVersionOrFile_is404() {
    assertError(server.send("GET", "/keys/prod-x", null, null), 404, "NotFound", "No product prod-x");
    assertError(server.send("GET", "/keys/prod-x/1.pem", null, null), 404, "NotFound", "No product prod-x");
    assertError(server.send("GET", "/keys/prod-c/3.pem", null, null), 404, "NotFound", "No public key 3.pem");
    assertError(server.send("GET", "/keys/prod-c/2.der", null, null), 404, "NotFound", "No public key 2.der");
    assertError(server.send("GET", "/keys/prod-c/v2.pem", null, null), 404, "NotFound", "No public key");
    assertError(server.send("GET", "/keys/prod-c/2.pem/more", null, null), 404, "NotFound", "/keys/{productCode}");
    assertError(server.send("GET", "/keys/", null, null), 404, "NotFound", "/keys/{productCode}");
  }

  @Test
  void otherMethods_are405() {
    Reply reply = server.send("POST", "/keys/prod-c/1.pem", "{}", null);

    assertError(reply, 405, "MethodNotAllowed", "GET, HEAD");
    assertThat(reply.header("Allow")).isEqualTo("GET, HEAD");
  }

  @Test
  void adminApi_withoutAToken_is404EvenWithAnAuthorizationHeader() {
    assertError(server.get("/admin/products"), 404, "NotFound", "admin API is not enabled");
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
