package io.meterbridge.gateway;

import static io.meterbridge.gateway.Upstream.CUSTOMER;
import static io.meterbridge.gateway.Upstream.PRODUCT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's HTTP interface, on the wire: paths, tokens, bodies, statuses and JSON shapes. */
class GatewayHttpTest {
  static final String INGEST = "ingest-token-0123456789";
  static final String ADMIN = "admin-token-0123456789";

  @TempDir Path dir;
  private Gateway gateway;
  private final HttpClient http = HttpClient.newHttpClient();
  private String base;
  private final String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();

  @BeforeEach
  void start() {
    gateway = Gateway.builder().dataDir(dir).forwarding(false).port(0).ingestToken(INGEST).adminToken(ADMIN)
        .product(CatalogProduct.saas(PRODUCT, "users", "storage_gb")).start();
    base = "http://127.0.0.1:" + gateway.port().orElseThrow();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String event(String id, long quantity) {
    return "{\"id\":\"" + id + "\",\"productCode\":\"" + PRODUCT + "\",\"customerAWSAccountId\":\"" + CUSTOMER
        + "\",\"dimension\":\"users\",\"quantity\":" + quantity + ",\"timestamp\":\"" + now + "\"}";
  }

  @Test
  void postUsage_answersEveryEventInOrder() throws Exception {
    HttpResponse<String> r = send("POST", "/v1/usage", INGEST, "{\"events\":[" + event("a", 1) + "," + event("b", 2)
        + "," + event("a", 1) + "," + event("b", 3) + ","
        + "{\"id\":\"c\",\"productCode\":\"" + PRODUCT + "\",\"customerAWSAccountId\":\"" + CUSTOMER
        + "\",\"dimension\":\"users\",\"quantity\":\"5\",\"timestamp\":\"" + now + "\"},"
        + "{\"id\":\"d\",\"productCode\":\"nope\",\"customerAWSAccountId\":\"" + CUSTOMER
        + "\",\"dimension\":\"users\",\"quantity\":5,\"timestamp\":\"" + now + "\"},"
        + "{\"id\":\"e\",\"quantiy\":5}, 42]}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(r.body()).isEqualTo("{\"results\":["
        + "{\"id\":\"a\",\"status\":\"accepted\"},"
        + "{\"id\":\"b\",\"status\":\"accepted\"},"
        + "{\"id\":\"a\",\"status\":\"duplicate\",\"reason\":\"an event with this id and the same content was"
        + " accepted before; nothing changed\"},"
        + "{\"id\":\"b\",\"status\":\"conflict\",\"reason\":\"an event with this id but different content was"
        + " accepted before; it stands and this one changed nothing\"},"
        + "{\"id\":\"c\",\"status\":\"rejected\",\"reason\":\"quantity: must be an integer\"},"
        + "{\"id\":\"d\",\"status\":\"rejected\",\"reason\":\"productCode: 'nope' is not a product in the gateway's"
        + " catalog\"},"
        + "{\"id\":\"e\",\"status\":\"rejected\",\"reason\":\"quantiy: unknown field; an event has id, productCode,"
        + " customerAWSAccountId or customerIdentifier, licenseArn, dimension, quantity, timestamp, allocations\"},"
        + "{\"id\":null,\"status\":\"rejected\",\"reason\":\"event: must be a JSON object\"}]}");
  }

  @Test
  void postUsage_withoutOrWithAWrongToken_is401() throws Exception {
    String body = "{\"events\":[" + event("a", 1) + "]}";
    HttpResponse<String> none = send("POST", "/v1/usage", null, body);
    HttpResponse<String> wrong = send("POST", "/v1/usage", "wrong-token-0123456789", body);
    HttpResponse<String> admin = send("POST", "/v1/usage", ADMIN, body);

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).contains("\"error\":\"Unauthorized\"").contains("Bearer <ingest token>");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(admin.statusCode()).isEqualTo(401);
    assertThat(gateway.status().count(RecordState.OPEN)).isZero();
  }

  @Test
  void postUsage_malformedBodies_are400AndTooLargeIs413() throws Exception {
    assertThat(send("POST", "/v1/usage", INGEST, "{\"events\":[").statusCode()).isEqualTo(400);
    HttpResponse<String> missing = send("POST", "/v1/usage", INGEST, "{}");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).contains("Missing events");
    assertThat(send("POST", "/v1/usage", INGEST, "[]").statusCode()).isEqualTo(400);
    List<String> many = new ArrayList<>();
    for (int i = 0; i <= 1000; i++) {
      many.add(event("m" + i, 1));
    }
    HttpResponse<String> tooMany = send("POST", "/v1/usage", INGEST, "{\"events\":[" + String.join(",", many) + "]}");
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(tooMany.body()).contains("More than 1000 events");
    HttpResponse<String> thousand = send("POST", "/v1/usage", INGEST,
        "{\"events\":[" + String.join(",", many.subList(0, 1000)) + "]}");
    assertThat(thousand.statusCode()).isEqualTo(200);
    String big = "{\"events\":[" + event("x" + "y".repeat(1 << 20), 1) + "]}";
    HttpResponse<String> tooLarge = send("POST", "/v1/usage", INGEST, big);
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.body()).startsWith("{\"error\":\"RequestTooLarge\",\"message\":\"The body is larger than"
        + " 1048576 bytes");
  }

  @Test
  void ledger_listsRecords_tracesEvents_andCountsStates() throws Exception {
    send("POST", "/v1/usage", INGEST, "{\"events\":[" + event("a", 1) + "," + event("b", 2) + "]}");
    Instant hour = Instant.parse(now).truncatedTo(ChronoUnit.HOURS);

    HttpResponse<String> records = send("GET", "/v1/usage/records?productCode=" + PRODUCT + "&customer=" + CUSTOMER
        + "&state=open&from=" + hour + "&to=" + hour.plusSeconds(3600), INGEST, null);
    assertThat(records.statusCode()).isEqualTo(200);
    assertThat(records.body()).startsWith("{\"records\":[{\"id\":1,\"productCode\":\"prod-saas\","
        + "\"customerAWSAccountId\":\"222222222222\",\"dimension\":\"users\",\"hour\":\"" + hour + "\","
        + "\"quantity\":3,\"events\":2,\"carriedIn\":0,\"carriedOut\":0,\"state\":\"open\",\"deadline\":\""
        + hour.plus(Duration.ofHours(24)) + "\",\"attempts\":0}]");
    assertThat(send("GET", "/v1/usage/records?state=sent", INGEST, null).body()).isEqualTo("{\"records\":[]}");
    assertThat(send("GET", "/v1/usage/records?state=gone", INGEST, null).statusCode()).isEqualTo(400);
    assertThat(send("GET", "/v1/usage/records?limit=0", INGEST, null).statusCode()).isEqualTo(400);
    assertThat(send("GET", "/v1/usage/records?colour=red", INGEST, null).body()).contains("Unknown parameter 'colour'");
    assertThat(send("GET", "/v1/usage/records", ADMIN, null).statusCode()).isEqualTo(200);

    HttpResponse<String> trace = send("GET", "/v1/usage/events/b", INGEST, null);
    assertThat(trace.statusCode()).isEqualTo(200);
    assertThat(trace.body()).startsWith("{\"id\":\"b\",\"productCode\":\"prod-saas\",\"timestamp\":\""
        + Instant.parse(now) + "\",\"quantity\":2,").contains("\"usageHour\":\"" + hour + "\",\"carried\":false,"
        + "\"state\":\"open\",\"record\":{\"id\":1,");
    assertThat(send("GET", "/v1/usage/events/zzz", INGEST, null).statusCode()).isEqualTo(404);

    HttpResponse<String> status = send("GET", "/v1/usage/status", INGEST, null);
    assertThat(status.body()).contains("\"counts\":{\"open\":1,\"closed\":0,\"sending\":0,\"sent\":0,"
        + "\"not-subscribed\":0,\"conflict\":0,\"expired\":0},\"oldestOpenDeadline\":\""
        + hour.plus(Duration.ofHours(24)) + "\",\"alerts\":0,\"quota\":{\"callsPerSecond\":10.0,\"inUse\":0.0}");
  }

  @Test
  void adminClock_movesTheGatewaysTimeAndClosesHours() throws Exception {
    send("POST", "/v1/usage", INGEST, "{\"events\":[" + event("a", 1) + "]}");
    assertThat(send("POST", "/admin/clock", INGEST, "{\"shiftSeconds\":3600}").statusCode()).isEqualTo(401);

    HttpResponse<String> shifted = send("POST", "/admin/clock", ADMIN, "{\"shiftSeconds\":5400}");
    assertThat(shifted.statusCode()).isEqualTo(200);
    assertThat(shifted.body()).contains("\"offset\":\"PT1H30M\",\"offsetSeconds\":5400.0");
    assertThat(gateway.status().count(RecordState.CLOSED)).isEqualTo(1);
    assertThat(send("GET", "/admin/clock", ADMIN, null).body()).contains("\"offsetSeconds\":5400.0");
    assertThat(send("POST", "/admin/clock", ADMIN, "{\"shiftSeconds\":1,\"reset\":true}").statusCode())
        .isEqualTo(400);
    assertThat(send("DELETE", "/admin/clock", ADMIN, null).body()).contains("\"offsetSeconds\":0.0");
  }

  @Test
  void adminProducts_addProductsAndDimensions() throws Exception {
    HttpResponse<String> created = send("POST", "/admin/products", ADMIN,
        "{\"productCode\":\"prod-new\",\"type\":\"SAAS\",\"dimensions\":[\"calls\"]}");
    assertThat(created.body()).isEqualTo("{\"productCode\":\"prod-new\",\"type\":\"SAAS\",\"dimensions\":[\"calls\"]}");
    HttpResponse<String> more = send("POST", "/admin/products/prod-new/dimensions", ADMIN,
        "{\"dimensions\":[\"bytes\"]}");
    assertThat(more.body()).contains("\"dimensions\":[\"calls\",\"bytes\"]");
    assertThat(send("GET", "/admin/products", ADMIN, null).body()).contains("prod-new").contains(PRODUCT);
    assertThat(send("POST", "/admin/products", ADMIN, "{\"productCode\":\"p\",\"type\":\"SASS\"}").body())
        .contains("is not one of SAAS, AMI, CONTAINER");
    assertThat(send("POST", "/admin/products/nope/dimensions", ADMIN, "{\"dimensions\":[\"x\"]}").statusCode())
        .isEqualTo(404);
  }

  @Test
  void routes_health_unknownPathsAndMethods() throws Exception {
    assertThat(send("GET", "/health", null, null).body()).isEqualTo("{\"status\":\"UP\",\"database\":\"UP\"}");
    assertThat(send("GET", "/v1/usage", INGEST, null).statusCode()).isEqualTo(405);
    assertThat(send("GET", "/v1/usage", INGEST, null).headers().firstValue("Allow")).contains("POST");
    assertThat(send("GET", "/nothing", null, null).statusCode()).isEqualTo(404);
    assertThat(send("GET", "/v1/usage/nothing", INGEST, null).statusCode()).isEqualTo(404);
  }

  @Test
  void adminApi_withoutAnAdminToken_isNotThere() throws IOException, InterruptedException {
    try (Gateway plain = Gateway.builder().dataDir(dir.resolve("other")).forwarding(false).port(0)
        .ingestToken(INGEST).start()) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + plain.port().orElseThrow() + "/admin/clock")).header("Authorization", "Bearer " + ADMIN).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.body()).contains("start the gateway with an admin token");
    }
  }
}
