package io.meterbridge.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meterbridge.server.http.PlainRequest;
import io.meterbridge.server.http.PlainResponse;
import io.meterbridge.server.ui.AdminReader.Refused;
import io.meterbridge.ui.Html;
import io.meterbridge.ui.Sessions;
import io.meterbridge.ui.Sessions.Session;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's dashboard under {@code /ui}: server-rendered HTML pages over the admin API, behind
 * the admin token. Logging in posts the token once through a form; the answer sets a session cookie
 * ({@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} under TLS), so the token is never in a
 * URL, a page or the browser's history. Every form that changes something carries the session's
 * CSRF token and is refused when the browser says it comes from another origin.
 *
 * <p>Each page asks the admin routes in the process ({@link AdminReader}) and renders their JSON:
 * what a page shows is what the API answers. Pages need no JavaScript; charts are inline SVG
 * ({@link BarChart}); the one stylesheet is a resource of the jar. The Content-Security-Policy
 * allows nothing but this origin's stylesheet, so even an escaping mistake could not run a script.
 *
 * <p>{@link #answer} blocks (it reads the store through the admin routes): call it on a worker thread.
 */
public final class Dashboard {
  private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
  static final String COOKIE = "mb_session";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
      + "frame-ancestors 'none'; base-uri 'none'";

  private final Predicate<String> tokenCheck;
  private final Function<PlainRequest, PlainResponse> routes;
  private final boolean secureCookies;
  private final Sessions sessions;
  private final byte[] stylesheet;
  private final Pages pages = new Pages();

  private Dashboard(Builder b) {
    this.tokenCheck = Objects.requireNonNull(b.tokenCheck, "tokenCheck");
    this.routes = Objects.requireNonNull(b.routes, "routes");
    this.secureCookies = b.secureCookies;
    this.sessions = new Sessions(b.clock);
    this.stylesheet = Html.stylesheet();
  }

  /** A builder; {@link Builder#tokenCheck} and {@link Builder#routes} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether {@code path} is the dashboard's. */
  public static boolean serves(String path) {
    return path.equals("/ui") || path.startsWith("/ui/");
  }

  /** The answer to a request under {@code /ui}; blocks while it reads the admin API. */
  public PlainResponse answer(PlainRequest request) {
    String path = request.path();
    String method = request.method();
    try {
      if (path.equals("/ui/static/dashboard.css")) {
        return PlainResponse.of(200, "text/css; charset=utf-8", stylesheet)
            .withHeader("Cache-Control", "no-cache").withHeader("X-Content-Type-Options", "nosniff");
      }
      if (path.equals("/ui/login")) {
        if (method.equals("POST")) {
          return login(request);
        }
        if (method.equals("GET") || method.equals("HEAD")) {
          return html(200, pages.login(null));
        }
        return notAllowed(method, "GET, POST");
      }
      Optional<Session> session = session(request);
      if (session.isEmpty()) {
        if (method.equals("GET") || method.equals("HEAD")) {
          return redirect("/ui/login");
        }
        return html(403, pages.login("Your session has ended: log in again, then repeat what you did."));
      }
      AdminReader api = new AdminReader(routes, request.requestId());
      if (method.equals("POST")) {
        return post(request, session.get(), api);
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        return notAllowed(method, "GET, POST");
      }
      Params params = new Params(request);
      Pages.Rendered page = switch (path) {
        case "/ui", "/ui/" -> pages.overview(api);
        case "/ui/usage" -> pages.usage(api, params);
        case "/ui/usage.csv" -> null;
        case "/ui/audit" -> pages.audit(api, params);
        case "/ui/catalog" -> pages.catalog(api);
        case "/ui/faults" -> pages.faults(api, null);
        default -> new Pages.Rendered(404, "Not found", "",
            new Html().raw("<p class=\"error\">No dashboard page at ").text(path).raw(". ")
                .link("/ui/", "Back to the overview").raw("</p>"));
      };
      if (page == null) {
        return usageCsv(api, params);
      }
      return html(page.status(), pages.layout(page, session.get()));
    } catch (Refused e) {
      return html(e.status() >= 500 ? 502 : e.status(), "<!doctype html><title>Error</title><p>"
          + Html.escape(e.getMessage()) + "</p>");
    } catch (RuntimeException e) {
      LOG.error("Dashboard request {} failed", request, e);
      return html(500, "<!doctype html><title>Error</title><p>An internal error occurred (request id "
          + Html.escape(request.requestId()) + "); see the server log.</p>");
    }
  }

  private PlainResponse post(PlainRequest request, Session session, AdminReader api) {
    if (!sameOrigin(request)) {
      return html(403, "<!doctype html><title>Refused</title><p>This form was posted from another site; "
          + "the dashboard only takes its own forms.</p>");
    }
    Map<String, List<String>> form = form(request);
    if (!session.csrfMatches(first(form, "csrf"))) {
      return html(403, "<!doctype html><title>Refused</title><p>The form's CSRF token is missing or stale: "
          + "reload the page and try again.</p>");
    }
    switch (request.path()) {
      case "/ui/logout" -> {
        sessions.close(session.id());
        LOG.info("Dashboard: logged out");
        return redirect("/ui/login").withHeader("Set-Cookie", cookie("", 0));
      }
      case "/ui/clock" -> {
        ObjectNode body = JSON.createObjectNode();
        String action = Objects.requireNonNullElse(first(form, "action"), "");
        switch (action) {
          case "shift" -> {
            String seconds = Objects.requireNonNullElse(first(form, "shiftSeconds"), "").strip();
            try {
              body.put("shiftSeconds", Long.parseLong(seconds));
            } catch (NumberFormatException e) {
              return faultsWithError(api, session, "shiftSeconds: '" + seconds + "' is not a whole number of seconds");
            }
          }
          case "set" -> body.put("set", Objects.requireNonNullElse(first(form, "set"), "").strip());
          case "reset" -> body.put("reset", true);
          default -> {
            return faultsWithError(api, session, "action: must be shift, set or reset");
          }
        }
        return change(api, session, "POST", "/admin/clock", body.toString());
      }
      case "/ui/faults" -> {
        return change(api, session, "POST", "/admin/faults", Objects.requireNonNullElse(first(form, "plan"), ""));
      }
      case "/ui/faults/clear" -> {
        return change(api, session, "DELETE", "/admin/faults", "");
      }
      default -> {
        return html(404, "<!doctype html><title>Not found</title><p>No form posts to "
            + Html.escape(request.path()) + ".</p>");
      }
    }
  }

  /** Makes an admin change; back to the faults and clock page, with the API's refusal if any. */
  private PlainResponse change(AdminReader api, Session session, String method, String uri, String body) {
    try {
      api.send(method, uri, body);
    } catch (Refused e) {
      if (e.status() >= 500) {
        throw e;
      }
      return faultsWithError(api, session, e.getMessage());
    }
    return redirect("/ui/faults");
  }

  private PlainResponse faultsWithError(AdminReader api, Session session, String error) {
    return html(400, pages.layout(pages.faults(api, error), session));
  }

  private PlainResponse login(PlainRequest request) {
    if (!sameOrigin(request)) {
      return html(403, pages.login("This login form was posted from another site."));
    }
    String token = first(form(request), "token");
    if (token == null || token.isBlank()) {
      return html(400, pages.login("Enter the admin token the server was started with."));
    }
    if (!tokenCheck.test(token.strip())) {
      LOG.info("Dashboard: a login with a wrong admin token was refused");
      return html(401, pages.login("That is not the admin token of this server."));
    }
    Session session = sessions.open();
    LOG.info("Dashboard: logged in");
    return redirect("/ui/").withHeader("Set-Cookie", cookie(session.id(), Sessions.LIFETIME.toSeconds()));
  }

  private PlainResponse usageCsv(AdminReader api, Params params) {
    String uri = Pages.usageReportUri(params, "hour,product,customer,dimension", "csv", api);
    PlainResponse report = api.send("GET", uri, new byte[0]);
    byte[] body = AdminReader.bytes(report);
    if (report.status() >= 400) {
      return PlainResponse.of(report.status(), "text/plain; charset=utf-8", body);
    }
    return PlainResponse.of(200, "text/csv; charset=utf-8", body)
        .withHeader("Content-Disposition", "attachment; filename=\"meterbridge-usage.csv\"")
        .withHeader("Cache-Control", "no-store").withHeader("X-Content-Type-Options", "nosniff");
  }

  private String cookie(String value, long maxAgeSeconds) {
    return COOKIE + "=" + value + "; Path=/ui; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
        + (secureCookies ? "; Secure" : "");
  }

  private Optional<Session> session(PlainRequest request) {
    Optional<String> header = request.header("Cookie");
    if (header.isEmpty()) {
      return Optional.empty();
    }
    for (Cookie cookie : ServerCookieDecoder.LAX.decode(header.get())) {
      if (cookie.name().equals(COOKIE)) {
        return sessions.find(cookie.value());
      }
    }
    return Optional.empty();
  }

  /**
   * False when the browser says the request comes from a page of another origin ({@code Origin},
   * sent with every POST by current browsers; pages are served with {@code Referrer-Policy:
   * same-origin}, since under {@code no-referrer} a browser sends {@code Origin: null} even for its
   * own forms). The CSRF token is the real check; this one also covers the login form, which has no
   * session yet.
   */
  private static boolean sameOrigin(PlainRequest request) {
    Optional<String> origin = request.header("Origin");
    Optional<String> host = request.header("Host");
    if (origin.isEmpty()) {
      return true;
    }
    if (host.isEmpty()) {
      return false;
    }
    String o = origin.get();
    int scheme = o.indexOf("://");
    return scheme > 0 && o.substring(scheme + 3).equalsIgnoreCase(host.get());
  }

  private static Map<String, List<String>> form(PlainRequest request) {
    return new QueryStringDecoder(new String(request.body(), StandardCharsets.UTF_8), false).parameters();
  }

  private static String first(Map<String, List<String>> values, String name) {
    List<String> list = values.get(name);
    return list == null || list.isEmpty() ? null : list.get(0);
  }

  private static PlainResponse html(int status, String document) {
    return PlainResponse.of(status, "text/html; charset=utf-8", document.getBytes(StandardCharsets.UTF_8))
        .withHeader("Cache-Control", "no-store")
        .withHeader("Content-Security-Policy", CSP)
        .withHeader("X-Content-Type-Options", "nosniff")
        .withHeader("X-Frame-Options", "DENY")
        .withHeader("Referrer-Policy", "same-origin");
  }

  private static PlainResponse redirect(String location) {
    return PlainResponse.of(303, "text/plain; charset=utf-8", new byte[0]).withHeader("Location", location)
        .withHeader("Cache-Control", "no-store");
  }

  private static PlainResponse notAllowed(String method, String allow) {
    return PlainResponse.of(405, "text/plain; charset=utf-8",
        ("Method " + method + " is not allowed here; use " + allow).getBytes(StandardCharsets.UTF_8))
        .withHeader("Allow", allow);
  }

  /** A page's query parameters. */
  static final class Params {
    private final PlainRequest request;

    Params(PlainRequest request) {
      this.request = request;
    }

    /** The parameter's value, stripped; empty when absent or blank. */
    String get(String name) {
      return request.query(name).map(String::strip).orElse("");
    }
  }

  /** Builds a {@link Dashboard}. */
  public static final class Builder {
    private Predicate<String> tokenCheck;
    private Function<PlainRequest, PlainResponse> routes;
    private boolean secureCookies;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Whether a login's token is the admin token. Required. */
    public Builder tokenCheck(Predicate<String> tokenCheck) {
      this.tokenCheck = Objects.requireNonNull(tokenCheck, "tokenCheck");
      return this;
    }

    /** The admin routes, answering in-process requests synchronously. Required. */
    public Builder routes(Function<PlainRequest, PlainResponse> routes) {
      this.routes = Objects.requireNonNull(routes, "routes");
      return this;
    }

    /** Marks the session cookie {@code Secure}: set it when the server speaks TLS. Default false. */
    public Builder secureCookies(boolean secureCookies) {
      this.secureCookies = secureCookies;
      return this;
    }

    /** The clock of session expiry (real time). Default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Dashboard build() {
      return new Dashboard(this);
    }
  }
}
