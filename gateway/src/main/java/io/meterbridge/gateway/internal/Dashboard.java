package io.meterbridge.gateway.internal;

import io.meterbridge.gateway.GatewayStatus;
import io.meterbridge.gateway.LedgerRecord;
import io.meterbridge.gateway.RecordState;
import io.meterbridge.ui.BarChart;
import io.meterbridge.ui.BarChart.Bar;
import io.meterbridge.ui.Html;
import io.meterbridge.ui.Sessions;
import io.meterbridge.ui.Sessions.Session;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The gateway's dashboard under {@code /ui}, behind its admin token, the same way as the server's:
 * a login form posts the token once and the answer sets a session cookie ({@code HttpOnly},
 * {@code SameSite=Strict}, path {@code /ui}); the one form after that (log out) carries the session's
 * CSRF token and is refused from another origin. Pages are HTML written through {@link Html} (every
 * value escaped), charts are inline SVG, the stylesheet comes from the {@code ui} jar, and the
 * Content-Security-Policy allows nothing but that stylesheet.
 *
 * <p>Pages read the engine directly, as {@code /v1/usage/status} does: records by state, deadlines
 * at risk, upstream errors, quota use. {@link #answer} blocks on the database: call it on a worker.
 */
final class Dashboard {
  static final String COOKIE = "mb_session";
  /** Records listed at most on the deadlines page. */
  static final int AT_RISK_LIMIT = 200;
  /** Records with an upstream error listed at most. */
  static final int ERROR_LIMIT = 50;
  private static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
      + "frame-ancestors 'none'; base-uri 'none'";
  private static final String[][] NAV = {
      {"records", "/ui/", "Records"}, {"deadlines", "/ui/deadlines", "Deadlines at risk"},
      {"errors", "/ui/errors", "Upstream errors"}, {"quota", "/ui/quota", "Quota"}};

  private final Engine engine;
  private final Predicate<String> tokenCheck;
  private final Sessions sessions = new Sessions(Clock.systemUTC());
  private final byte[] stylesheet = Html.stylesheet();

  Dashboard(Engine engine, Predicate<String> tokenCheck) {
    this.engine = engine;
    this.tokenCheck = tokenCheck;
  }

  static boolean serves(String path) {
    return path.equals("/ui") || path.startsWith("/ui/");
  }

  HttpFront.Response answer(HttpFront.Request request) {
    String path = request.path();
    String method = request.method();
    boolean read = method.equals("GET") || method.equals("HEAD");
    if (path.equals("/ui/static/dashboard.css")) {
      return HttpFront.Response.json(200, stylesheet).withHeader("Content-Type", "text/css; charset=utf-8")
          .withHeader("Cache-Control", "no-cache").withHeader("X-Content-Type-Options", "nosniff");
    }
    if (path.equals("/ui/login")) {
      if (method.equals("POST")) {
        return login(request);
      }
      return read ? html(200, login((String) null)) : notAllowed(method, "GET, POST");
    }
    Optional<Session> session = session(request);
    if (session.isEmpty()) {
      return read ? redirect("/ui/login")
          : html(403, login("Your session has ended: log in again, then repeat what you did."));
    }
    if (method.equals("POST")) {
      return post(request, session.get());
    }
    if (!read) {
      return notAllowed(method, "GET, POST");
    }
    Html body = new Html();
    String nav;
    String title;
    int status = 200;
    switch (path) {
      case "/ui", "/ui/" -> {
        nav = "records";
        title = "Records by state";
        records(body);
      }
      case "/ui/deadlines" -> {
        nav = "deadlines";
        title = "Deadlines at risk";
        deadlines(body);
      }
      case "/ui/errors" -> {
        nav = "errors";
        title = "Upstream errors";
        errors(body);
      }
      case "/ui/quota" -> {
        nav = "quota";
        title = "Quota use";
        quota(body);
      }
      default -> {
        nav = "";
        title = "Not found";
        status = 404;
        body.raw("<p class=\"error\">No dashboard page at ").text(path).raw(". ").link("/ui/", "Back to the records")
            .raw("</p>");
      }
    }
    return html(status, layout(title, nav, body, session.get()));
  }

  // ----------------------------------------------------------------------------------------- pages

  private void records(Html h) {
    GatewayStatus s = engine.status();
    h.raw("<p class=\"meta\">Gateway time <time id=\"gateway-time\">").text(s.time())
        .raw("</time>; every process on this database counts.</p><div class=\"cards\">");
    List<Bar> bars = new ArrayList<>();
    for (RecordState state : RecordState.values()) {
      card(h, "count-" + state.wireName(), Long.toString(s.count(state)), state.wireName());
      bars.add(new Bar(state.wireName(), s.count(state)));
    }
    card(h, "oldest-open-deadline", s.oldestOpenDeadline().map(Instant::toString).orElse("none"),
        "oldest deadline of an unsent record");
    card(h, "alerts", Long.toString(s.alerts()), "closed or sending within the alert window");
    h.raw("</div>");
    BarChart.write(h, "states-chart", "Records by state", bars, 1);
  }

  private void deadlines(Html h) {
    Instant now = engine.now();
    Duration window = engine.alertBefore();
    List<LedgerRecord> records = engine.atRisk(AT_RISK_LIMIT + 1);
    boolean more = records.size() > AT_RISK_LIMIT;
    if (more) {
      records = records.subList(0, AT_RISK_LIMIT);
    }
    h.raw("<p class=\"meta\">Unsent records (open, closed or sending) whose deadline is before <time id=\"at-risk-until\">")
        .text(now.plus(window)).raw("</time> (gateway time plus the alert window, ").text(window)
        .raw("), oldest deadline first.</p><div class=\"cards\">");
    card(h, "at-risk-count", (more ? "more than " : "") + records.size(), "records at risk");
    h.raw("</div><table id=\"at-risk\"><thead><tr><th>Deadline</th><th>Time left</th><th>State</th><th>Product</th>"
        + "<th>Customer</th><th>Dimension</th><th>Hour</th><th class=\"num\">Quantity</th><th class=\"num\">Attempts</th>"
        + "<th>Last error</th></tr></thead><tbody>");
    for (LedgerRecord r : records) {
      Duration left = Duration.between(now, r.deadline());
      h.raw("<tr data-id=\"").text(r.id()).raw("\"><td>").text(r.deadline()).raw("</td><td>")
          .text(left.isNegative() ? "passed" : left.toMinutes() + " min").raw("</td><td>").text(r.state().wireName())
          .raw("</td><td>").text(r.productCode()).raw("</td><td>").text(r.customer()).raw("</td><td>")
          .text(r.dimension()).raw("</td><td>").text(r.hour()).raw("</td><td class=\"num\">").text(r.quantity())
          .raw("</td><td class=\"num\">").text(r.attempts()).raw("</td><td>").text(r.lastError().orElse(""))
          .raw("</td></tr>");
    }
    if (records.isEmpty()) {
      h.raw("<tr><td colspan=\"10\" class=\"empty\">No record is near its deadline.</td></tr>");
    }
    h.raw("</tbody></table>");
    if (more) {
      h.raw("<p class=\"warn\">Only the first ").text(AT_RISK_LIMIT).raw(" are listed.</p>");
    }
  }

  private void errors(Html h) {
    UpstreamStats stats = engine.upstreamStats();
    Map<String, Long> byCode = new TreeMap<>();
    for (Map.Entry<String, LongAdder> e : stats.errors().entrySet()) {
      byCode.put(e.getKey(), e.getValue().sum());
    }
    long failed = byCode.values().stream().mapToLong(Long::longValue).sum();
    h.raw("<p class=\"meta\">BatchMeterUsage calls of this process since it started (as in <code>/metrics</code>), "
        + "and the latest ledger records whose last call failed.</p><div class=\"cards\">");
    card(h, "upstream-calls", Long.toString(stats.calls()), "BatchMeterUsage calls");
    card(h, "upstream-failed", Long.toString(failed), "failed calls");
    h.raw("</div><table id=\"errors-by-code\"><thead><tr><th>Error code</th><th class=\"num\">Calls</th></tr></thead>"
        + "<tbody>");
    byCode.forEach((code, n) -> h.raw("<tr><td>").text(code).raw("</td><td class=\"num\">").text(n).raw("</td></tr>"));
    if (byCode.isEmpty()) {
      h.raw("<tr><td colspan=\"2\" class=\"empty\">No failed upstream call.</td></tr>");
    }
    h.raw("</tbody></table><h2>Latest records with an error</h2><table id=\"record-errors\"><thead><tr><th>Record</th>"
        + "<th>State</th><th>Product</th><th>Customer</th><th>Dimension</th><th>Hour</th><th class=\"num\">Attempts</th>"
        + "<th>Last error</th></tr></thead><tbody>");
    List<LedgerRecord> records = engine.lastErrors(ERROR_LIMIT);
    for (LedgerRecord r : records) {
      h.raw("<tr><td>").text(r.id()).raw("</td><td>").text(r.state().wireName()).raw("</td><td>").text(r.productCode())
          .raw("</td><td>").text(r.customer()).raw("</td><td>").text(r.dimension()).raw("</td><td>").text(r.hour())
          .raw("</td><td class=\"num\">").text(r.attempts()).raw("</td><td>").text(r.lastError().orElse(""))
          .raw("</td></tr>");
    }
    if (records.isEmpty()) {
      h.raw("<tr><td colspan=\"8\" class=\"empty\">No record has an upstream error.</td></tr>");
    }
    h.raw("</tbody></table>");
  }

  private void quota(Html h) {
    GatewayStatus s = engine.status();
    h.raw("<p class=\"meta\">The account's BatchMeterUsage quota the gateway paces to, and the calls a second over "
        + "the last complete 10-second window, every process on this database counted.</p><div class=\"cards\">");
    card(h, "quota-per-second", BarChart.number(s.quotaPerSecond()), "calls/s allowed");
    card(h, "quota-in-use", BarChart.number(s.quotaInUse()), "calls/s in use");
    double percent = s.quotaPerSecond() <= 0 ? 0 : s.quotaInUse() / s.quotaPerSecond() * 100;
    card(h, "quota-percent", BarChart.number(percent) + " %", "of the quota");
    h.raw("</div>");
    BarChart.write(h, "quota-chart", "BatchMeterUsage calls a second", List.of(
        new Bar("quota", s.quotaPerSecond()), new Bar("in use", s.quotaInUse())), 1);
  }

  private static void card(Html h, String id, String value, String label) {
    h.raw("<div class=\"card\"><span class=\"value\" id=\"").text(id).raw("\">").text(value)
        .raw("</span><span class=\"label\">").text(label).raw("</span></div>");
  }

  // ---------------------------------------------------------------------------------- layout, login

  private static String layout(String title, String nav, Html body, Session session) {
    Html h = new Html();
    head(h, title);
    h.raw("<body><header><span class=\"brand\">Meterbridge gateway</span><nav>");
    for (String[] entry : NAV) {
      h.raw("<a href=\"").text(entry[1]).raw("\"" + (entry[0].equals(nav) ? " class=\"active\"" : "")
          + " id=\"nav-" + entry[0] + "\">").text(entry[2]).raw("</a>");
    }
    h.raw("</nav><form method=\"post\" action=\"/ui/logout\" class=\"logout\"><input type=\"hidden\" name=\"csrf\" "
        + "value=\"").text(session.csrf()).raw("\"><button type=\"submit\" id=\"logout\">Log out</button></form>"
        + "</header><main><h1>").text(title).raw("</h1>").raw(body.toString()).raw("</main></body></html>");
    return h.toString();
  }

  private static String login(String error) {
    Html h = new Html();
    head(h, "Log in");
    h.raw("<body class=\"login\"><main><h1>Meterbridge gateway</h1>");
    if (error != null) {
      h.raw("<p class=\"error\" id=\"login-error\">").text(error).raw("</p>");
    }
    h.raw("<form method=\"post\" action=\"/ui/login\"><label for=\"token\">Admin token</label>"
        + "<input type=\"password\" id=\"token\" name=\"token\" autocomplete=\"current-password\" required autofocus>"
        + "<button type=\"submit\" id=\"login\">Log in</button></form>"
        + "<p class=\"hint\">The gateway's admin token (<code>--admin-token</code>). It is sent once; a session "
        + "cookie keeps you logged in for eight hours.</p></main></body></html>");
    return h.toString();
  }

  private static void head(Html h, String title) {
    h.raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>").text(title)
        .raw(" · Meterbridge gateway</title><link rel=\"stylesheet\" href=\"/ui/static/dashboard.css\"></head>");
  }

  private HttpFront.Response login(HttpFront.Request request) {
    if (!sameOrigin(request)) {
      return html(403, login("This login form was posted from another site."));
    }
    String token = first(form(request), "token");
    if (token == null || token.isBlank()) {
      return html(400, login("Enter the admin token the gateway was started with."));
    }
    if (!tokenCheck.test(token.strip())) {
      return html(401, login("That is not the admin token of this gateway."));
    }
    Session session = sessions.open();
    return redirect("/ui/").withHeader("Set-Cookie", cookie(session.id(), Sessions.LIFETIME.toSeconds()));
  }

  private HttpFront.Response post(HttpFront.Request request, Session session) {
    if (!sameOrigin(request)) {
      return html(403, "<!doctype html><title>Refused</title><p>This form was posted from another site; "
          + "the dashboard only takes its own forms.</p>");
    }
    if (!session.csrfMatches(first(form(request), "csrf"))) {
      return html(403, "<!doctype html><title>Refused</title><p>The form's CSRF token is missing or stale: "
          + "reload the page and try again.</p>");
    }
    if (request.path().equals("/ui/logout")) {
      sessions.close(session.id());
      return redirect("/ui/login").withHeader("Set-Cookie", cookie("", 0));
    }
    return html(404, "<!doctype html><title>Not found</title><p>No form posts to " + Html.escape(request.path())
        + ".</p>");
  }

  private static String cookie(String value, long maxAgeSeconds) {
    return COOKIE + "=" + value + "; Path=/ui; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict";
  }

  private Optional<Session> session(HttpFront.Request request) {
    Optional<String> header = request.header("cookie");
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

  /** False when the browser says the form comes from another origin; the CSRF token is the real check. */
  private static boolean sameOrigin(HttpFront.Request request) {
    Optional<String> origin = request.header("origin");
    if (origin.isEmpty()) {
      return true;
    }
    Optional<String> host = request.header("host");
    String o = origin.get();
    int scheme = o.indexOf("://");
    return host.isPresent() && scheme > 0 && o.substring(scheme + 3).equalsIgnoreCase(host.get());
  }

  private static Map<String, List<String>> form(HttpFront.Request request) {
    return new QueryStringDecoder(new String(request.body(), StandardCharsets.UTF_8), false).parameters();
  }

  private static String first(Map<String, List<String>> values, String name) {
    List<String> list = values.get(name);
    return list == null || list.isEmpty() ? null : list.get(0);
  }

  private static HttpFront.Response html(int status, String document) {
    return HttpFront.Response.json(status, document.getBytes(StandardCharsets.UTF_8))
        .withHeader("Content-Type", "text/html; charset=utf-8")
        .withHeader("Cache-Control", "no-store")
        .withHeader("Content-Security-Policy", CSP)
        .withHeader("X-Content-Type-Options", "nosniff")
        .withHeader("X-Frame-Options", "DENY")
        .withHeader("Referrer-Policy", "same-origin");
  }

  private static HttpFront.Response redirect(String location) {
    return HttpFront.Response.json(303, new byte[0]).withHeader("Content-Type", "text/plain; charset=utf-8")
        .withHeader("Location", location).withHeader("Cache-Control", "no-store");
  }

  private static HttpFront.Response notAllowed(String method, String allow) {
    return HttpFront.Response.json(405, ("Method " + method + " is not allowed here; use " + allow)
        .getBytes(StandardCharsets.UTF_8)).withHeader("Content-Type", "text/plain; charset=utf-8")
        .withHeader("Allow", allow);
  }
}
