package io.meterbridge.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.server.CannedService;
import io.meterbridge.server.RawHttp;
import io.meterbridge.server.ServerClock;
import io.meterbridge.server.auth.Authenticator;
import io.meterbridge.server.http.HttpServer;
import io.meterbridge.server.http.HttpServerConfig;
import io.meterbridge.server.http.PlainHandler;
import io.meterbridge.server.http.PlainResponse;
import io.meterbridge.server.metering.Catalog;
import io.meterbridge.server.store.StoreConfig;
import io.meterbridge.server.store.Stores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which requests reach the plain handler, and what the server does around it. */
class AdminRoutingTest {
  static final String BATCH = "{\"ProductCode\":\"p\",\"UsageRecords\":[]}";

  HttpServer server(PlainHandler handler, HttpServerConfig config) {
    HttpServer.Builder b = HttpServer.builder().config(config).bind("127.0.0.1").port(0)
        .service(new CannedService()).authenticator(Authenticator.anyCredentials("111111111111", "us-east-1"));
    if (handler != null) {
      b.admin(handler);
    }
    return b.build().start();
  }

  HttpServer server(PlainHandler handler) {
    return server(handler, HttpServerConfig.defaults());
  }

  @Test
  void withoutAnAdminHandler_adminAndKeyPaths_are404JsonErrors_andTheProtocolIsUntouched() throws Exception {
    try (HttpServer server = server(null); RawHttp http = new RawHttp(server.port())) {
      RawHttp.Response admin = http.send("GET /admin/products HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertThat(admin.status()).isEqualTo(404);
      assertThat(admin.header("Content-Type")).isEqualTo("application/json");
      assertThat(admin.body()).isEqualTo("{\"error\":\"NotFound\",\"message\":\"The admin API is not enabled on this server\"}");

      RawHttp.Response keys = http.send("GET /keys/p/1.pem HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertThat(keys.status()).isEqualTo(404);
      assertThat(keys.body()).contains("public key download is not enabled");

      RawHttp.Response batch = http.send(RawHttp.post("BatchMeterUsage", BATCH)).read();
      assertThat(batch.status()).isEqualTo(200);
      assertThat(batch.header("Content-Type")).isEqualTo("application/x-amz-json-1.1");
    }
  }

  @Test
  void onlyAdminAndKeysPaths_reachTheHandler() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>("none");
    PlainHandler handler = request -> {
      seen.set(request.method() + " " + request.path() + " " + request.query("a").orElse("-"));
      return CompletableFuture.completedFuture(PlainResponse.of(200, "text/plain", "ok".getBytes(StandardCharsets.UTF_8)));
    };
    try (HttpServer server = server(handler); RawHttp http = new RawHttp(server.port())) {
      RawHttp.Response ok = http.send("GET /admin/x%20y?a=1%202 HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.header("Content-Type")).isEqualTo("text/plain");
      assertThat(ok.header("x-amzn-RequestId")).isNotBlank();
      assertThat(seen.get()).isEqualTo("GET /admin/x y 1 2");

      assertThat(http.send("GET /keys/p HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
      assertThat(seen.get()).isEqualTo("GET /keys/p -");

      seen.set("none");
      assertThat(http.send("GET /administrator HTTP/1.1\r\nHost: x\r\n\r\n").read().body())
          .contains("UnknownOperationException");
      assertThat(http.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).contains("UP");
      assertThat(http.send(RawHttp.post("BatchMeterUsage", BATCH)).read().status()).isEqualTo(200);
      assertThat(seen.get()).isEqualTo("none");
    }
  }

  @Test
  void aMalformedPercentEncoding_isA400_notA500() throws Exception {
    PlainHandler handler = request -> CompletableFuture.completedFuture(PlainResponse.json(200, "{}".getBytes()));
    try (HttpServer server = server(handler); RawHttp http = new RawHttp(server.port())) {
      RawHttp.Response reply = http.send("GET /admin/records/batch?from=%zz HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertThat(reply.status()).isEqualTo(400);
      assertThat(reply.body()).startsWith("{\"error\":\"InvalidRequest\",\"message\":\"Malformed request URI");
    }
  }

  @Test
  void aFailingHandler_isA500JsonError_notAClosedConnection() throws Exception {
    PlainHandler failing = request -> CompletableFuture.failedFuture(new IllegalStateException("boom"));
    PlainHandler throwing = request -> {
      throw new IllegalStateException("boom");
    };
    for (PlainHandler handler : new PlainHandler[] {failing, throwing}) {
      try (HttpServer server = server(handler); RawHttp http = new RawHttp(server.port())) {
        RawHttp.Response reply = http.send("GET /admin/x HTTP/1.1\r\nHost: x\r\n\r\n").read();
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.body()).startsWith("{\"error\":\"InternalError\"").doesNotContain("boom");
        assertThat(http.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
      }
    }
  }

  @Test
  void adminBodies_areHeldToTheServersBodyLimit() throws Exception {
    PlainHandler handler = request -> CompletableFuture.completedFuture(PlainResponse.json(200, "{}".getBytes()));
    try (HttpServer server = server(handler, HttpServerConfig.builder().bodyLimitBytes(1024).build());
         RawHttp http = new RawHttp(server.port())) {
      String body = "{\"name\":\"" + "x".repeat(2000) + "\"}";
      RawHttp.Response reply = http.send("POST /admin/accounts HTTP/1.1\r\nHost: x\r\nContent-Length: "
          + body.length() + "\r\n\r\n" + body).read();
      assertThat(reply.status()).isEqualTo(413);
    }
  }

  @Test
  void builder_refusesAShortToken_andAMissingCatalogOrClock(@TempDir Path dir) {
    try (var store = Stores.open(StoreConfig.sqlite(dir).build())) {
      Catalog catalog = new Catalog(store, Duration.ZERO);
      assertThatThrownBy(() -> AdminApi.builder().catalog(catalog).clock(ServerClock.system()).token("short").build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16 characters");
      assertThatThrownBy(() -> AdminApi.builder().clock(ServerClock.system()).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("catalog must be set");
      assertThatThrownBy(() -> AdminApi.builder().catalog(catalog).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clock must be set");
      try (AdminApi api = AdminApi.builder().catalog(catalog).clock(ServerClock.system()).build()) {
        assertThat(api.adminEnabled()).isFalse();
      }
    }
  }
}
