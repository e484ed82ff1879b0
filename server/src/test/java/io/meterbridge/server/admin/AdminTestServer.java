package io.meterbridge.server.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.meterbridge.server.ServerClock;
import io.meterbridge.server.auth.SigV4Authenticator;
import io.meterbridge.server.http.HttpServer;
import io.meterbridge.server.metering.Catalog;
import io.meterbridge.server.metering.MeteringOperations;
import io.meterbridge.server.store.Store;
import io.meterbridge.server.store.StoreConfig;
import io.meterbridge.server.store.Stores;
import io.meterbridge.server.throttle.Throttling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real server on 127.0.0.1:0 with the admin API, over an empty store (SQLite in a directory or a
 * fresh PostgreSQL schema). The catalog cache lives an hour, so a test passes only if the admin API
 * invalidates it. Everything is set up through the admin API itself.
 */
final class AdminTestServer implements AutoCloseable {
  static final String TOKEN = "test-admin-token-0123456789";
  static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";

  private static final JsonFactory JSON = new JsonFactory();

  private final Store store;
  private final ServerClock clock = ServerClock.system();
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final AdminApi admin;
  private final HttpServer server;
  private final Runnable dropSchema;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private AdminTestServer(StoreConfig config, Runnable dropSchema, boolean withToken) {
    this.dropSchema = dropSchema;
    this.store = Stores.open(config);
    Catalog catalog = new Catalog(store, Duration.ofHours(1));
    AdminApi.Builder adminBuilder = AdminApi.builder().catalog(catalog).clock(clock);
    if (withToken) {
      adminBuilder.token(TOKEN);
    }
    this.admin = adminBuilder.build();
    this.server = HttpServer.builder()
        .bind("127.0.0.1")
        .port(0)
        .regions("us-east-1", "us-west-2")
        .throttling(Throttling.off())
        .service(MeteringOperations.builder().catalog(catalog).clock(clock).executor(executor).build())
        .authenticator(SigV4Authenticator.builder().regions("us-east-1", "us-west-2").keys(catalog.accessKeys()).build())
        .admin(admin)
        .build()
        .start();
  }

  static AdminTestServer sqlite(Path dir) {
    return new AdminTestServer(StoreConfig.sqlite(dir).build(), () -> { }, true);
  }

  /** The key download only: no admin token configured. */
  static AdminTestServer sqliteWithoutToken(Path dir) {
    return new AdminTestServer(StoreConfig.sqlite(dir).build(), () -> { }, false);
  }

  static AdminTestServer postgres() {
    String schema = "mb_admin_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    return new AdminTestServer(StoreConfig.postgres(POSTGRES_URL).user("postgres").schema(schema).build(), () -> {
      try (var c = DriverManager.getConnection(POSTGRES_URL, "postgres", "");
           var s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      } catch (Exception e) {
        throw new IllegalStateException("cannot drop " + schema, e);
      }
    }, true);
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.port();
  }

  int port() {
    return server.port();
  }

  Store store() {
    return store;
  }

  ServerClock clock() {
    return clock;
  }

  /** A response: status, headers, body text and (for JSON) the parsed body. */
  record Reply(int status, HttpResponse<String> raw) {
    String body() {
      return raw.body();
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    /** The body parsed as a JSON object. */
    @SuppressWarnings("unchecked")
    Map<String, Object> json() {
      return (Map<String, Object>) parse(raw.body());
    }

    /** A string field of the body. */
    String text(String field) {
      return (String) json().get(field);
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list(String field) {
      return (List<Map<String, Object>>) json().get(field);
    }

    @Override
    public String toString() {
      return status + " " + raw.body();
    }
  }

  Reply get(String path) {
    return send(request(path).GET());
  }

  Reply post(String path, String json) {
    return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json"));
  }

  Reply send(String method, String path, String json, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint() + path))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return send(b);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(endpoint() + path)).header("Authorization", "Bearer " + TOKEN)
        .timeout(Duration.ofSeconds(30));
  }

  private Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Parses JSON into Map, List, String, Long, Double, Boolean (null for JSON null). */
  static Object parse(String text) {
    try (JsonParser parser = JSON.createParser(text)) {
      return read(parser, parser.nextToken());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }

  private static Object read(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          map.put(name, read(parser, parser.nextToken()));
        }
        return map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        JsonToken next;
        while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
          list.add(read(parser, next));
        }
        return list;
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_NUMBER_INT -> {
        return parser.getLongValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return parser.getDoubleValue();
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return parser.getBooleanValue();
      }
      default -> {
        return null;
      }
    }
  }

  @Override
  public void close() {
    server.close();
    admin.close();
    executor.shutdownNow();
    store.close();
    dropSchema.run();
  }
}
