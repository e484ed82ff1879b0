package io.meterbridge.server.admin;

import io.meterbridge.server.http.PlainRequest;
import io.meterbridge.server.http.PlainResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A table of routes, as Helidon's routing has them: method and path pattern to handler. A pattern
 * is literal segments and {@code {name}} parameters, each one whole non-empty segment:
 * {@code /admin/products/{productCode}/keys}. A path no pattern matches is a 404; a path some
 * pattern matches but not with the request's method is a 405 whose {@code Allow} lists the
 * methods that pattern takes, in the order they were added.
 *
 * <pre>{@code
 * Routes routes = Routes.builder(path -> "No admin endpoint at " + path)
 *     .get("/admin/products", (request, params) -> products())
 *     .post("/admin/products/{productCode}/dimensions",
 *         (request, params) -> addDimensions(params.get("productCode"), request))
 *     .build();
 * }</pre>
 */
final class Routes {
  /** Answers a request that matched a route; may throw {@link AdminException}. */
  @FunctionalInterface
  interface Handler {
    PlainResponse handle(PlainRequest request, Params params);
  }

  /** The values of a matched pattern's {@code {name}} parameters, percent-decoded. */
  static final class Params {
    private final Map<String, String> values;

    private Params(Map<String, String> values) {
      this.values = values;
    }

    /** The value of parameter {@code name} of the pattern. */
    String get(String name) {
      String value = values.get(name);
      if (value == null) {
        throw new IllegalArgumentException("the route's pattern has no parameter {" + name + "}");
      }
      return value;
    }
  }

  private record Route(String method, String pattern, List<String> segments, Handler handler) {
    /** The parameters, if {@code path} matches this route's pattern. */
    Params match(String[] path) {
      if (path.length != segments.size()) {
        return null;
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 0; i < path.length; i++) {
        String segment = segments.get(i);
        if (isParameter(segment)) {
          if (path[i].isEmpty()) {
            return null;
          }
          values.put(segment.substring(1, segment.length() - 1), path[i]);
        } else if (!segment.equals(path[i])) {
          return null;
        }
      }
      return new Params(values);
    }
  }

  private final List<Route> routes;
  private final Function<String, String> notFound;

  private Routes(Builder b) {
    this.routes = List.copyOf(b.routes);
    this.notFound = b.notFound;
  }

  /** @param notFound the 404 message for a path no route matches */
  static Builder builder(Function<String, String> notFound) {
    return new Builder(notFound);
  }

  /**
   * The answer of the route that matches {@code request}.
   *
   * @throws AdminException 404 if no pattern matches the path, 405 if none takes the method
   */
  PlainResponse answer(PlainRequest request) {
    String[] path = split(request.path());
    Set<String> allowed = new LinkedHashSet<>();
    for (Route route : routes) {
      Params params = route.match(path);
      if (params == null) {
        continue;
      }
      if (route.method().equals(request.method())) {
        return route.handler().handle(request, params);
      }
      allowed.add(route.method());
    }
    if (allowed.isEmpty()) {
      throw AdminException.notFound(notFound.apply(request.path()));
    }
    throw AdminException.methodNotAllowed(request.method(), request.path(), String.join(", ", allowed));
  }

  private static String[] split(String path) {
    return (path.startsWith("/") ? path.substring(1) : path).split("/", -1);
  }

  private static boolean isParameter(String segment) {
    return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
  }

  /** Collects routes; the first route that matches a request answers it. */
  static final class Builder {
    private final Function<String, String> notFound;
    private final List<Route> routes = new ArrayList<>();

    private Builder(Function<String, String> notFound) {
      this.notFound = notFound;
    }

    Builder get(String pattern, Handler handler) {
      return route("GET", pattern, handler);
    }

    Builder post(String pattern, Handler handler) {
      return route("POST", pattern, handler);
    }

    Builder delete(String pattern, Handler handler) {
      return route("DELETE", pattern, handler);
    }

    /** A route for any method, such as {@code HEAD}. */
    Builder route(String method, String pattern, Handler handler) {
      if (!pattern.startsWith("/")) {
        throw new IllegalArgumentException("a pattern starts with /, was " + pattern);
      }
      List<String> segments = List.of(split(pattern));
      for (String segment : segments) {
        if (segment.isEmpty() || (segment.contains("{") && !isParameter(segment))) {
          throw new IllegalArgumentException("pattern " + pattern + " has an empty or malformed segment");
        }
      }
      routes.add(new Route(method, pattern, segments, handler));
      return this;
    }

    Routes build() {
      return new Routes(this);
    }
  }
}
