package io.meterbridge.gateway.internal;

import io.meterbridge.gateway.CatalogProduct;
import io.meterbridge.gateway.GatewayOverloadedException;
import io.meterbridge.gateway.RecordQuery;
import io.meterbridge.gateway.RecordState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The gateway's HTTP interface: ingest and ledger under {@code /v1/usage} (bearer ingest token; the
 * admin token reads too), time travel and the catalog under {@code /admin} (bearer admin token),
 * {@code GET /health} (asks the database), {@code GET /metrics} (Prometheus text), the dashboard
 * under {@code /ui} (admin token, through a login form and a session cookie). Errors are {@code {"error": ..., "message": ...}}: 400 naming what is wrong,
 * 401, 404, 405, 413, 503 with {@code Retry-After} when the ingest queue is full.
 *
 * <p>Ingest validates on the event loop (CPU only) and hands over to the writer; everything that
 * reads or writes the database otherwise runs on a small worker pool.
 */
final class Routes implements HttpFront.Handler {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final Set<String> RECORD_PARAMS = Set.of("productCode", "customer", "from", "to", "state", "limit",
      "cursor");

  private final Engine engine;
  private final byte[] ingestToken;
  private final byte[] adminToken;
  private final Executor workers;
  private final Dashboard dashboard;
  private CompletableFuture<HttpFront.Response> lastHealth;
  private long lastHealthAt;

  Routes(Engine engine, Optional<String> ingestToken, Optional<String> adminToken) {
    this.engine = engine;
    this.ingestToken = ingestToken.map(Routes::sha256).orElse(null);
    this.adminToken = adminToken.map(Routes::sha256).orElse(null);
    ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
      Thread t = new Thread(r, "gateway-http-worker");
      t.setDaemon(true);
      return t;
    });
    pool.allowCoreThreadTimeOut(true);
    this.workers = pool;
    byte[] admin = this.adminToken;
    this.dashboard = admin == null ? null : new Dashboard(engine, given -> MessageDigest.isEqual(admin, sha256(given)));
  }

  @Override
  public CompletableFuture<HttpFront.Response> handle(HttpFront.Request r) {
    String path = r.path();
    try {
      if (path.equals("/health")) {
        return only(r, "GET") ? health() : done(notAllowed("GET"));
      }
      if (path.equals("/metrics")) {
        return only(r, "GET") ? blocking(() -> HttpFront.Response.json(200,
            engine.scrapeMetrics().getBytes(StandardCharsets.UTF_8)).withHeader("Content-Type", PROMETHEUS_TEXT)) : done(notAllowed("GET"));
      }
      if (path.equals("/v1/usage")) {
        if (!r.method().equals("POST")) {
          return done(notAllowed("POST"));
        }
        authorize(r, ingestToken, true);
        return ingest(r);
      }
      if (path.startsWith("/v1/usage/")) {
        authorize(r, ingestToken, true);
        if (!r.method().equals("GET")) {
          return done(notAllowed("GET"));
        }
        String rest = path.substring("/v1/usage/".length());
        if (rest.equals("records")) {
          RecordQuery q = recordQuery(r);
          return blocking(() -> HttpFront.Response.json(200, JsonWriter.page(engine.records(q))));
        }
        if (rest.equals("status")) {
          return blocking(() -> HttpFront.Response.json(200, JsonWriter.status(engine.status())));
        }
        if (rest.startsWith("events/") && rest.length() > "events/".length()) {
          String id = rest.substring("events/".length());
          Optional<String> product = r.param("productCode");
          return blocking(() -> engine.event(id, product)
              .map(t -> HttpFront.Response.json(200, JsonWriter.trace(t)))
              .orElseGet(() -> error(404, "NotFound", "No accepted event '" + id + "'"
                  + product.map(p -> " of product " + p).orElse("") + " in the ledger (events are kept until an hour"
                  + " after their hour's deadline)")));
        }
        return done(error(404, "NotFound", "No resource at " + path));
      }
      if (Dashboard.serves(path)) {
        if (dashboard == null) {
          return done(error(404, "NotFound", "The dashboard is not enabled: start the gateway with an admin token"));
        }
        return blocking(() -> dashboard.answer(r));
      }
      if (path.equals("/admin") || path.startsWith("/admin/")) {
        if (adminToken == null) {
          return done(error(404, "NotFound", "The admin API is not enabled: start the gateway with an admin token"));
        }
        authorize(r, adminToken, false);
        return admin(r);
      }
      return done(error(404, "NotFound", "No resource at " + path + ": the gateway serves POST /v1/usage,"
          + " GET /v1/usage/records, /v1/usage/events/{id}, /v1/usage/status, /admin/* and /ui"));
    } catch (HttpError e) {
      return done(e.response);
    }
  }

  // ------------------------------------------------------------------------------------------ health

  /**
   * 200 {@code {"status":"UP","database":"UP"}} while the database answers a query on the ledger
   * within two seconds, else 503 with the reason. An answer is kept for a second, and one check
   * runs at a time, so however often the gateway is asked, the database is asked at most once a
   * second.
   */
  private synchronized CompletableFuture<HttpFront.Response> health() {
    long now = System.nanoTime();
    if (lastHealth != null && (now - lastHealthAt < TimeUnit.SECONDS.toNanos(1) || !lastHealth.isDone())) {
      return lastHealth;
    }
    CompletableFuture<HttpFront.Response> check;
    try {
      check = CompletableFuture.supplyAsync(() -> {
        try {
          engine.ping();
          return HttpFront.Response.json(200, HttpFront.utf8("{\"status\":\"UP\",\"database\":\"UP\"}"));
        } catch (RuntimeException e) {
          return down(e.getMessage());
        }
      }, workers);
    } catch (RejectedExecutionException e) {
      check = CompletableFuture.completedFuture(down("the gateway's workers are all busy"));
    }
    lastHealth = check.completeOnTimeout(down("the database did not answer within 2000 ms"), 2, TimeUnit.SECONDS);
    lastHealthAt = now;
    return lastHealth;
  }

  private static HttpFront.Response down(String message) {
    return HttpFront.Response.json(503, JsonWriter.write(g -> {
      g.writeStartObject();
      g.writeStringField("status", "DOWN");
      g.writeStringField("database", "DOWN");
      g.writeStringField("message", String.valueOf(message));
      g.writeEndObject();
    }));
  }

  // ------------------------------------------------------------------------------------------ ingest

  private CompletableFuture<HttpFront.Response> ingest(HttpFront.Request r) {
    List<EventInput> events;
    try {
      events = EventReader.read(r.body());
    } catch (BadRequestException e) {
      return done(error(400, "InvalidRequest", e.getMessage()));
    }
    return engine.ingestInputs(events)
        .thenApply(results -> HttpFront.Response.json(200, JsonWriter.results(results)))
        .exceptionally(failure -> {
          Throwable cause = failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause() : failure;
          if (cause instanceof GatewayOverloadedException) {
            return error(503, "Overloaded", cause.getMessage()).withHeader("Retry-After", "1");
          }
          System.getLogger(Routes.class.getName()).log(System.Logger.Level.ERROR, "ingest failed", cause);
          return error(500, "InternalError", "The events could not be stored (" + cause.getMessage()
              + "); none of them was accepted: send them again");
        });
  }

  private static RecordQuery recordQuery(HttpFront.Request r) {
    for (String name : r.query().keySet()) {
      if (!RECORD_PARAMS.contains(name)) {
        throw new HttpError(error(400, "InvalidRequest", "Unknown parameter '" + name + "': use "
            + String.join(", ", new java.util.TreeSet<>(RECORD_PARAMS))));
      }
    }
    RecordQuery.Builder q = RecordQuery.builder();
    r.param("productCode").ifPresent(q::productCode);
    r.param("customer").ifPresent(q::customer);
    r.param("from").ifPresent(v -> q.from(instant("from", v)));
    r.param("to").ifPresent(v -> q.to(instant("to", v)));
    r.param("state").ifPresent(v -> q.state(RecordState.fromWireName(v).orElseThrow(() -> new HttpError(error(400,
        "InvalidRequest", "state: '" + v + "' is not one of open, closed, sending, sent, not-subscribed, conflict,"
            + " expired")))));
    r.param("limit").ifPresent(v -> q.limit((int) number("limit", v, 1, RecordQuery.MAX_LIMIT)));
    r.param("cursor").ifPresent(v -> q.after(number("cursor", v, 0, Long.MAX_VALUE)));
    return q.build();
  }

  private static Instant instant(String name, String value) {
    try {
      return java.time.OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new HttpError(error(400, "InvalidRequest", name + ": '" + value
          + "' is not ISO-8601 with a zone, such as 2026-03-01T10:00:00Z"));
    }
  }

  private static long number(String name, String value, long min, long max) {
    try {
      long n = Long.parseLong(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new HttpError(error(400, "InvalidRequest", name + ": '" + value + "' is not a number from " + min
        + " to " + max));
  }

  // ------------------------------------------------------------------------------------------- admin

  private CompletableFuture<HttpFront.Response> admin(HttpFront.Request r) {
    String path = r.path();
    switch (path) {
      case "/admin/clock" -> {
        if (r.method().equals("GET")) {
          return blocking(this::clock);
        }
        if (r.method().equals("POST")) {
          Map<String, Object> body = object(r);
          return blocking(() -> {
            travel(body);
            return clock();
          });
        }
        if (r.method().equals("DELETE")) {
          return blocking(() -> {
            engine.clockOffset(Duration.ZERO);
            return clock();
          });
        }
        return done(notAllowed("GET, POST, DELETE"));
      }
      case "/admin/reports/usage" -> {
        if (!r.method().equals("GET")) {
          return done(notAllowed("GET"));
        }
        UsageReport report;
        try {
          report = UsageReport.parse(r);
        } catch (BadRequestException e) {
          return done(error(400, "InvalidRequest", e.getMessage()));
        }
        HttpFront.Response response = HttpFront.Response.streamed(200, workers, out -> engine.usageReport(report, out))
            .withHeader("Cache-Control", "no-store");
        return done(report.csv() ? response.withHeader("Content-Type", "text/csv; charset=utf-8")
            .withHeader("Content-Disposition", "attachment; filename=\"usage-report.csv\"") : response);
      }
      case "/admin/products" -> {
        if (r.method().equals("GET")) {
          return blocking(() -> HttpFront.Response.json(200, JsonWriter.products(engine.products())));
        }
        if (r.method().equals("POST")) {
          CatalogProduct p = product(object(r), Optional.empty());
          return blocking(() -> {
            engine.upsertProducts(List.of(p));
            return HttpFront.Response.json(200, JsonWriter.write(g -> JsonWriter.product(g,
                engine.products().stream().filter(x -> x.productCode().equals(p.productCode())).findFirst()
                    .orElseThrow())));
          });
        }
        return done(notAllowed("GET, POST"));
      }
      default -> {
        String prefix = "/admin/products/";
        if (path.startsWith(prefix) && path.endsWith("/dimensions") && path.length() > prefix.length()
            + "/dimensions".length()) {
          if (!r.method().equals("POST")) {
            return done(notAllowed("POST"));
          }
          String code = path.substring(prefix.length(), path.length() - "/dimensions".length());
          Map<String, Object> body = object(r);
          return blocking(() -> {
            CatalogProduct existing = engine.products().stream().filter(p -> p.productCode().equals(code))
                .findFirst().orElseThrow(() -> new HttpError(error(404, "NotFound", "No product " + code)));
            Map<String, Object> merged = new java.util.HashMap<>(body);
            merged.put("productCode", code);
            merged.put("type", existing.type());
            engine.upsertProducts(List.of(product(merged, Optional.of("dimensions"))));
            return HttpFront.Response.json(200, JsonWriter.write(g -> JsonWriter.product(g,
                engine.products().stream().filter(x -> x.productCode().equals(code)).findFirst().orElseThrow())));
          });
        }
        return done(error(404, "NotFound", "No admin resource at " + path
            + ": use /admin/clock, /admin/products, /admin/products/{code}/dimensions, /admin/reports/usage"));
      }
    }
  }

  private HttpFront.Response clock() {
    Duration offset = engine.clockOffset();
    return HttpFront.Response.json(200, JsonWriter.write(g -> {
      g.writeStartObject();
      g.writeStringField("now", engine.now().toString());
      g.writeStringField("offset", offset.toString());
      g.writeNumberField("offsetSeconds", offset.toMillis() / 1000.0);
      g.writeEndObject();
    }));
  }

  private void travel(Map<String, Object> body) {
    Set<String> given = body.keySet();
    if (given.size() != 1 || !Set.of("shiftSeconds", "set", "reset").containsAll(given)) {
      throw new HttpError(error(400, "InvalidRequest", "Give exactly one of shiftSeconds (a number), set (an"
          + " ISO-8601 instant) or reset (true)"));
    }
    Duration offset;
    if (body.get("shiftSeconds") instanceof Number n) {
      offset = engine.clockOffset().plusMillis(Math.round(n.doubleValue() * 1000));
    } else if (body.get("set") instanceof String s) {
      Instant target = instant("set", s);
      offset = Duration.between(Instant.now(), target);
    } else if (Boolean.TRUE.equals(body.get("reset"))) {
      offset = Duration.ZERO;
    } else {
      throw new HttpError(error(400, "InvalidRequest", "shiftSeconds must be a number, set an ISO-8601 instant,"
          + " reset true"));
    }
    if (offset.abs().compareTo(Duration.ofDays(3650)) > 0) {
      throw new HttpError(error(400, "InvalidRequest", "The clock may move at most ten years from real time"));
    }
    engine.clockOffset(offset);
  }

  private static CatalogProduct product(Map<String, Object> body, Optional<String> only) {
    Object code = body.get("productCode");
    Object type = body.getOrDefault("type", "SAAS");
    Object dimensions = body.get("dimensions");
    List<String> dims = new ArrayList<>();
    if (!(code instanceof String)) {
      throw new HttpError(error(400, "InvalidRequest", "productCode: required, a string"));
    }
    if (!(type instanceof String)) {
      throw new HttpError(error(400, "InvalidRequest", "type: one of SAAS, AMI, CONTAINER"));
    }
    if (dimensions != null) {
      if (!(dimensions instanceof List<?> list) || !list.stream().allMatch(d -> d instanceof String)) {
        throw new HttpError(error(400, "InvalidRequest", "dimensions: must be an array of strings"));
      }
      list.forEach(d -> dims.add((String) d));
    } else if (only.isPresent()) {
      throw new HttpError(error(400, "InvalidRequest", "dimensions: required, an array of strings"));
    }
    for (String name : body.keySet()) {
      if (!Set.of("productCode", "type", "dimensions").contains(name)) {
        throw new HttpError(error(400, "InvalidRequest", name + ": unknown field; a product has productCode, type"
            + " and dimensions"));
      }
    }
    try {
      return new CatalogProduct((String) code, (String) type, dims);
    } catch (IllegalArgumentException e) {
      throw new HttpError(error(400, "InvalidRequest", e.getMessage()));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(HttpFront.Request r) {
    try {
      if (Json.read(r.body()) instanceof Map<?, ?> map) {
        return (Map<String, Object>) map;
      }
    } catch (IOException e) {
      throw new HttpError(error(400, "InvalidRequest", "The body is not valid JSON: " + e.getMessage()));
    }
    throw new HttpError(error(400, "InvalidRequest", "The body must be a JSON object"));
  }

  // ------------------------------------------------------------------------------------------ common

  private void authorize(HttpFront.Request r, byte[] expected, boolean adminMayRead) {
    Optional<String> header = r.authorization();
    if (header.isEmpty()) {
      throw new HttpError(error(401, "Unauthorized", "Missing Authorization header: send Authorization: Bearer <"
          + (expected == adminToken ? "admin" : "ingest") + " token>").withHeader("WWW-Authenticate", "Bearer"));
    }
    String value = header.get().strip();
    if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new HttpError(error(401, "Unauthorized", "The Authorization header must be Bearer <token>"));
    }
    byte[] given = sha256(value.substring(7).strip());
    boolean ok = expected != null && MessageDigest.isEqual(expected, given);
    // The ledger is the seller's: the admin token reads it too.
    if (!ok && adminMayRead && r.method().equals("GET") && adminToken != null) {
      ok = MessageDigest.isEqual(adminToken, given);
    }
    if (!ok) {
      throw new HttpError(error(401, "Unauthorized", expected == null
          ? "No ingest token is configured: start the gateway with one" : "The token is not valid"));
    }
  }

  private CompletableFuture<HttpFront.Response> blocking(Supplier<HttpFront.Response> work) {
    try {
      return CompletableFuture.supplyAsync(() -> {
        try {
          return work.get();
        } catch (HttpError e) {
          return e.response;
        } catch (IllegalArgumentException e) {
          return error(400, "InvalidRequest", e.getMessage());
        }
      }, workers);
    } catch (RejectedExecutionException e) {
      return done(error(503, "Busy", "The gateway is busy; retry shortly").withHeader("Retry-After", "1"));
    }
  }

  private static boolean only(HttpFront.Request r, String method) {
    return r.method().equals(method) || (method.equals("GET") && r.method().equals("HEAD"));
  }

  private static CompletableFuture<HttpFront.Response> done(HttpFront.Response response) {
    return CompletableFuture.completedFuture(response);
  }

  private static HttpFront.Response notAllowed(String allow) {
    return error(405, "MethodNotAllowed", "Use " + allow).withHeader("Allow", allow);
  }

  static HttpFront.Response error(int status, String error, String message) {
    return HttpFront.Response.json(status, JsonWriter.write(g -> {
      g.writeStartObject();
      g.writeStringField("error", error);
      g.writeStringField("message", message);
      g.writeEndObject();
    }));
  }

  /** An answer decided while routing. */
  private static final class HttpError extends RuntimeException {
    final HttpFront.Response response;

    HttpError(HttpFront.Response response) {
      super(null, null, false, false);
      this.response = response;
    }
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
