package io.meterbridge.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.meterbridge.server.ui.Dashboard.Params;
import io.meterbridge.ui.BarChart;
import io.meterbridge.ui.BarChart.Bar;
import io.meterbridge.ui.Html;
import io.meterbridge.ui.Sessions.Session;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The dashboard's pages: each reads the admin API and writes HTML through {@link Html}. */
final class Pages {
  /** A page's content before the layout: status, title, which navigation entry it is, body. */
  record Rendered(int status, String title, String nav, Html body) {}

  private static final String[][] NAV = {
      {"overview", "/ui/", "Overview"}, {"usage", "/ui/usage", "Usage"}, {"audit", "/ui/audit", "Audit trail"},
      {"catalog", "/ui/catalog", "Catalog"}, {"faults", "/ui/faults", "Faults and clock"}};
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("MM-dd HH:00").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
  /** Records read at most for the overview's per-minute chart, per operation. */
  static final int OVERVIEW_RECORD_CAP = 20_000;

  // ------------------------------------------------------------------------------ layout

  String layout(Rendered page, Session session) {
    Html h = new Html();
    head(h, page.title(), page.nav().equals("overview"));
    h.raw("<body><header><span class=\"brand\">Meterbridge</span><nav>");
    for (String[] entry : NAV) {
      h.raw("<a href=\"").text(entry[1]).raw("\"" + (entry[0].equals(page.nav()) ? " class=\"active\"" : "")
          + " id=\"nav-" + entry[0] + "\">").text(entry[2]).raw("</a>");
    }
    h.raw("</nav><form method=\"post\" action=\"/ui/logout\" class=\"logout\">");
    csrf(h, session);
    h.raw("<button type=\"submit\" id=\"logout\">Log out</button></form></header><main><h1>").text(page.title())
        .raw("</h1>").raw(page.body().toString().replace(CSRF_PLACEHOLDER, csrfInput(session)))
        .raw("</main></body></html>");
    return h.toString();
  }

  String login(String error) {
    Html h = new Html();
    head(h, "Log in", false);
    h.raw("<body class=\"login\"><main><h1>Meterbridge</h1>");
    if (error != null) {
      h.raw("<p class=\"error\" id=\"login-error\">").text(error).raw("</p>");
    }
    h.raw("<form method=\"post\" action=\"/ui/login\"><label for=\"token\">Admin token</label>"
        + "<input type=\"password\" id=\"token\" name=\"token\" autocomplete=\"current-password\" required autofocus>"
        + "<button type=\"submit\" id=\"login\">Log in</button></form>"
        + "<p class=\"hint\">The token the server was started with (<code>--admin-token</code>, "
        + "<code>METERBRIDGE_ADMIN_TOKEN</code>). It is sent once; a session cookie keeps you logged in "
        + "for eight hours.</p></main></body></html>");
    return h.toString();
  }

  private static void head(Html h, String title, boolean refresh) {
    h.raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    if (refresh) {
      h.raw("<meta http-equiv=\"refresh\" content=\"15\">");
    }
    h.raw("<title>").text(title).raw(" · Meterbridge</title><link rel=\"stylesheet\" href=\"/ui/static/dashboard.css\"></head>");
  }

  private static void csrf(Html h, Session session) {
    h.raw(csrfInput(session));
  }

  private static String csrfInput(Session session) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + Html.escape(session.csrf()) + "\">";
  }

  // ---------------------------------------------------------------------------- overview

  Rendered overview(AdminReader api) {
    Html h = new Html();
    JsonNode stats = api.get("/admin/stats");
    Instant serverTime = Instant.parse(stats.path("serverTime").asText());
    h.raw("<p class=\"meta\">Server time <time id=\"server-time\">").text(serverTime)
        .raw("</time>; this page refreshes every 15 seconds.</p><div class=\"cards\">");
    for (String[] stat : new String[][] {{"batchRecords", "BatchMeterUsage records"},
        {"meterRecords", "MeterUsage records"}, {"tasks", "container tasks"}, {"products", "products"},
        {"subscriptions", "subscriptions"}, {"accounts", "accounts"}}) {
      card(h, "stat-" + stat[0], stats.path(stat[0]).asText(), stat[1]);
    }
    JsonNode faults = api.get("/admin/faults");
    card(h, "stat-faults", Integer.toString(faults.path("rules").size()), "fault rules in force");
    h.raw("</div>");

    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    Instant hourAgo = now.minus(Duration.ofHours(1));
    long[] perMinute = new long[60];
    boolean capped = false;
    // BatchMeterUsage and MeterUsage accept usage up to six hours old: one more for good measure.
    String from = serverTime.minus(Duration.ofHours(7)).truncatedTo(ChronoUnit.HOURS).toString();
    for (String kind : new String[] {"batch", "meter"}) {
      capped |= countReceived(api, "/admin/records/" + kind + "?from=" + from, hourAgo, perMinute);
    }
    long lastHour = 0;
    for (long n : perMinute) {
      lastHour += n;
    }
    List<Bar> bars = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      bars.add(new Bar(MINUTE.format(hourAgo.plus(Duration.ofMinutes(i))), perMinute[i]));
    }
    h.raw("<h2>Records stored, last hour</h2><div class=\"cards\">");
    card(h, "records-last-hour", Long.toString(lastHour), "records in the last hour");
    card(h, "records-per-second", BarChart.number(perMinute[58] / 60.0), "records/s in the last complete minute");
    h.raw("</div>");
    BarChart.write(h, "records-chart", "Records stored per minute (UTC, by the time they were received)", bars, 10);
    if (capped) {
      h.raw("<p class=\"warn\">More than ").text(OVERVIEW_RECORD_CAP)
          .raw(" recent records of one kind: the chart shows the first of them only.</p>");
    }
    callsSection(h, api, now);
    return new Rendered(200, "Overview", "overview", h);
  }

  /** Calls, errors and throttles come from the audit trail, when the server has one. */
  void callsSection(Html h, AdminReader api, Instant now) {
    h.raw("<h2>Metering calls, last hour</h2>");
    Instant hourAgo = now.minus(Duration.ofHours(1));
    String uri = Html.url("/admin/audit", "from", hourAgo.toString(), "to", now.toString(), "limit", "1000");
    if (api.optional(uri.replace("limit=1000", "limit=1")).isEmpty()) {
      h.raw("<p class=\"notice\" id=\"calls-unavailable\">Calls, errors and throttles by code come from the audit "
          + "trail, which this server does not have.</p>");
      return;
    }
    long[] calls = new long[60];
    long[] failures = new long[60];
    Map<String, Long> byCode = new TreeMap<>();
    long throttled = 0;
    long total = 0;
    String cursor = null;
    int read = 0;
    do {
      JsonNode page = api.get(uri + (cursor == null ? "" : "&cursor=" + encode(cursor)));
      for (JsonNode entry : page.path("entries")) {
        read++;
        String operation = entry.path("operation").asText("");
        if (operation.isEmpty() || operation.contains(" ")) {
          continue; // admin requests, key downloads, dashboard pages: not metering calls
        }
        long minute = Duration.between(hourAgo, Instant.parse(entry.path("time").asText())).toMinutes();
        if (minute < 0 || minute >= 60) {
          continue;
        }
        total++;
        calls[(int) minute]++;
        if (!entry.path("outcome").asText().equals("success")) {
          failures[(int) minute]++;
          String code = entry.path("errorCode").isNull() || entry.path("errorCode").asText().isEmpty()
              ? "HTTP " + entry.path("status").asText() : entry.path("errorCode").asText();
          byCode.merge(code, 1L, Long::sum);
          if (code.equals("ThrottlingException")) {
            throttled++;
          }
        }
      }
      cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
    } while (cursor != null && read < OVERVIEW_RECORD_CAP);
    long failed = 0;
    for (long n : failures) {
      failed += n;
    }
    h.raw("<div class=\"cards\">");
    card(h, "calls-last-hour", Long.toString(total), "metering calls in the last hour");
    card(h, "calls-per-second", BarChart.number(calls[58] / 60.0), "calls/s in the last complete minute");
    card(h, "errors-last-hour", Long.toString(failed), "refused or failed");
    card(h, "throttles-last-hour", Long.toString(throttled), "throttled");
    h.raw("</div>");
    List<Bar> bars = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      bars.add(new Bar(MINUTE.format(hourAgo.plus(Duration.ofMinutes(i))), calls[i]));
    }
    BarChart.write(h, "calls-chart", "Metering calls per minute (UTC)", bars, 10);
    h.raw("<table id=\"errors-by-code\"><thead><tr><th>Error code</th><th class=\"num\">Calls</th></tr></thead><tbody>");
    byCode.forEach((code, n) -> h.raw("<tr><td>").link(Html.url("/ui/audit", "outcome",
        code.startsWith("HTTP ") ? code.substring(5) : code, "from", hourAgo.toString()), code)
        .raw("</td><td class=\"num\">").text(n).raw("</td></tr>"));
    if (byCode.isEmpty()) {
      h.raw("<tr><td colspan=\"2\" class=\"empty\">No errors in the last hour.</td></tr>");
    }
    h.raw("</tbody></table>");
    if (cursor != null) {
      h.raw("<p class=\"warn\">More than ").text(OVERVIEW_RECORD_CAP)
          .raw(" audit entries in the last hour: the figures count the newest of them only.</p>");
    }
  }

  /** Counts records received since {@code since} per minute; true if it stopped at the cap. */
  private static boolean countReceived(AdminReader api, String uri, Instant since, long[] perMinute) {
    String cursor = null;
    int read = 0;
    do {
      JsonNode page = api.get(uri + "&limit=1000" + (cursor == null ? "" : "&cursor=" + encode(cursor)));
      for (JsonNode record : page.path("records")) {
        read++;
        Instant received = Instant.parse(record.path("receivedAt").asText());
        long minute = Duration.between(since, received).toMinutes();
        if (!received.isBefore(since) && minute < perMinute.length) {
          perMinute[(int) minute]++;
        }
      }
      cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
    } while (cursor != null && read < OVERVIEW_RECORD_CAP);
    return cursor != null;
  }

  private static void card(Html h, String id, String value, String label) {
    h.raw("<div class=\"card\"><span class=\"value\" id=\"").text(id).raw("\">").text(value)
        .raw("</span><span class=\"label\">").text(label).raw("</span></div>");
  }

  // ------------------------------------------------------------------------------- usage

  /** The report query of the usage page's filters; the range defaults to the last 24 hours. */
  static String usageReportUri(Params params, String groupBy, String format, AdminReader api) {
    String from = params.get("from");
    String to = params.get("to");
    if (from.isEmpty() && to.isEmpty()) {
      Instant now = Instant.parse(api.get("/admin/clock").path("now").asText());
      Instant end = now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
      from = end.minus(Duration.ofHours(24)).toString();
      to = end.toString();
    }
    return Html.url("/admin/reports/usage", "from", from, "to", to, "productCode", params.get("productCode"),
        "customer", params.get("customer"), "dimension", params.get("dimension"), "groupBy", groupBy,
        "format", format);
  }

  Rendered usage(AdminReader api, Params params) {
    Html h = new Html();
    String product = params.get("productCode");
    String customer = params.get("customer");
    String dimension = params.get("dimension");
    JsonNode report;
    try {
      report = api.get(usageReportUri(params, "product,customer,dimension,hour", "json", api));
    } catch (AdminReader.Refused e) {
      if (e.status() >= 500) {
        throw e;
      }
      usageForm(h, params, params.get("from"), params.get("to"));
      h.raw("<p class=\"error\" id=\"usage-error\">").text(e.getMessage()).raw("</p>");
      return new Rendered(400, "Usage", "usage", h);
    }
    Instant from = Instant.parse(report.path("from").asText());
    Instant to = Instant.parse(report.path("to").asText());
    usageForm(h, params, params.get("from").isEmpty() ? from.toString() : params.get("from"),
        params.get("to").isEmpty() ? to.toString() : params.get("to"));

    // Breadcrumb: all products › product › customer › dimension.
    h.raw("<p class=\"crumbs\" id=\"crumbs\">");
    String range0 = params.get("from");
    String range1 = params.get("to");
    h.link(Html.url("/ui/usage", "from", range0, "to", range1), "All products");
    if (!product.isEmpty()) {
      h.raw(" › ").link(Html.url("/ui/usage", "from", range0, "to", range1, "productCode", product), product);
    }
    if (!customer.isEmpty()) {
      h.raw(" › ").link(Html.url("/ui/usage", "from", range0, "to", range1, "productCode", product,
          "customer", customer), customer);
    }
    if (!dimension.isEmpty()) {
      h.raw(" › ").text(dimension);
    }
    h.raw("</p>");

    String level = product.isEmpty() ? "productCode" : customer.isEmpty() ? "customerAWSAccountId" : "dimension";
    String levelName = switch (level) {
      case "productCode" -> "Product";
      case "customerAWSAccountId" -> "Customer";
      default -> "Dimension";
    };
    Map<String, long[]> byKey = new TreeMap<>();
    Map<Instant, Long> byHour = new TreeMap<>();
    long total = 0;
    long records = 0;
    for (JsonNode row : report.path("rows")) {
      long quantity = row.path("quantity").asLong();
      long count = row.path("records").asLong();
      long[] sums = byKey.computeIfAbsent(row.path(level).asText(), k -> new long[2]);
      sums[0] += quantity;
      sums[1] += count;
      byHour.merge(Instant.parse(row.path("usageHour").asText()), quantity, Long::sum);
      total += quantity;
      records += count;
    }
    h.raw("<div class=\"cards\">");
    card(h, "usage-total", Long.toString(total), "usage quantity");
    card(h, "usage-records", Long.toString(records), "records");
    h.raw("</div>");

    boolean daily = Duration.between(from, to).toHours() > 24 * 14;
    Map<Instant, Long> buckets = new LinkedHashMap<>();
    ChronoUnit unit = daily ? ChronoUnit.DAYS : ChronoUnit.HOURS;
    for (Instant t = from.truncatedTo(unit); t.isBefore(to) && buckets.size() < 24 * 400; t = t.plus(1, unit)) {
      buckets.put(t, 0L);
    }
    byHour.forEach((hour, quantity) -> buckets.merge(hour.truncatedTo(unit), quantity, Long::sum));
    List<Bar> bars = new ArrayList<>();
    buckets.forEach((t, q) -> bars.add(new Bar((daily ? DAY : HOUR).format(t), q)));
    BarChart.write(h, "usage-chart", "Usage quantity per " + (daily ? "day" : "hour") + " (UTC)", bars,
        Math.max(1, bars.size() / 8));

    h.raw("<p><a id=\"usage-csv\" href=\"").text(Html.url("/ui/usage.csv", "from", from.toString(),
        "to", to.toString(), "productCode", product, "customer", customer, "dimension", dimension))
        .raw("\" download>Download CSV</a> (what this page shows, per hour, with the column names of AWS's "
            + "Daily Usage data feed)</p>");

    h.raw("<table id=\"usage-table\"><thead><tr><th>").text(levelName)
        .raw("</th><th class=\"num\">Quantity</th><th class=\"num\">Records</th></tr></thead><tbody>");
    for (Map.Entry<String, long[]> e : byKey.entrySet()) {
      String key = e.getKey();
      h.raw("<tr><td>");
      switch (level) {
        case "productCode" -> h.link(Html.url("/ui/usage", "from", range0, "to", range1, "productCode", key), key);
        case "customerAWSAccountId" -> h.link(Html.url("/ui/usage", "from", range0, "to", range1,
            "productCode", product, "customer", key), key);
        default -> h.link(Html.url("/ui/usage", "from", range0, "to", range1, "productCode", product,
            "customer", customer, "dimension", key), key);
      }
      h.raw("</td><td class=\"num\">").text(e.getValue()[0]).raw("</td><td class=\"num\">").text(e.getValue()[1])
          .raw("</td></tr>");
    }
    if (byKey.isEmpty()) {
      h.raw("<tr><td colspan=\"3\" class=\"empty\">No usage in this range.</td></tr>");
    }
    h.raw("</tbody></table>");
    return new Rendered(200, "Usage", "usage", h);
  }

  private static void usageForm(Html h, Params params, String from, String to) {
    h.raw("<form method=\"get\" action=\"/ui/usage\" class=\"filters\" id=\"usage-filters\">");
    input(h, "from", "From", from);
    input(h, "to", "To", to);
    input(h, "productCode", "Product", params.get("productCode"));
    input(h, "customer", "Customer", params.get("customer"));
    input(h, "dimension", "Dimension", params.get("dimension"));
    h.raw("<button type=\"submit\">Show</button></form>");
  }

  private static void input(Html h, String name, String label, String value) {
    h.raw("<label>").text(label).raw(" <input name=\"").text(name).raw("\" id=\"f-").text(name)
        .raw("\" value=\"").text(value).raw("\"></label>");
  }

  // ------------------------------------------------------------------------------- audit

  Rendered audit(AdminReader api, Params params) {
    Html h = new Html();
    String[][] filters = {{"from", "From"}, {"to", "To"}, {"operation", "Operation"}, {"account", "Account"},
        {"outcome", "Outcome"}, {"requestId", "Request id"}};
    h.raw("<form method=\"get\" action=\"/ui/audit\" class=\"filters\" id=\"audit-filters\">");
    for (String[] f : filters) {
      input(h, f[0], f[1], params.get(f[0]));
    }
    h.raw("<button type=\"submit\" id=\"audit-show\">Show</button></form>");
    String[] query = new String[filters.length * 2 + 4];
    for (int i = 0; i < filters.length; i++) {
      query[2 * i] = filters[i][0];
      query[2 * i + 1] = params.get(filters[i][0]);
    }
    query[filters.length * 2] = "limit";
    query[filters.length * 2 + 1] = "100";
    query[filters.length * 2 + 2] = "cursor";
    query[filters.length * 2 + 3] = params.get("cursor");
    JsonNode page;
    try {
      Optional<JsonNode> answer = api.optional(Html.url("/admin/audit", query));
      if (answer.isEmpty()) {
        h.raw("<p class=\"notice\" id=\"audit-unavailable\">This server has no audit trail (GET /admin/audit).</p>");
        return new Rendered(200, "Audit trail", "audit", h);
      }
      page = answer.get();
    } catch (AdminReader.Refused e) {
      if (e.status() >= 500) {
        throw e;
      }
      h.raw("<p class=\"error\" id=\"audit-error\">").text(e.getMessage()).raw("</p>");
      return new Rendered(400, "Audit trail", "audit", h);
    }
    h.raw("<p class=\"meta\">Newest first, 100 a page. Waiting to be written: <span id=\"audit-queued\">")
        .text(page.path("queued").asText()).raw("</span>; lost since the start: <span id=\"audit-dropped\">")
        .text(page.path("dropped").asText()).raw("</span>.</p>");
    h.raw("<table id=\"audit\"><thead><tr><th>Time</th><th>Request id</th><th>Operation</th><th>Account</th>"
        + "<th>Access key</th><th>Source</th><th class=\"num\">Status</th><th>Error code</th>"
        + "<th class=\"num\">Records</th><th class=\"num\">Latency ms</th></tr></thead><tbody>");
    for (JsonNode e : page.path("entries")) {
      h.raw("<tr><td>").text(e.path("time").asText()).raw("</td><td><code>").text(e.path("requestId").asText())
          .raw("</code></td><td>").text(e.path("operation").asText()).raw("</td><td>").text(text(e, "accountId"))
          .raw("</td><td>").text(text(e, "accessKeyId")).raw("</td><td>").text(e.path("source").asText())
          .raw("</td><td class=\"num\">").text(e.path("status").asText()).raw("</td><td>").text(text(e, "errorCode"))
          .raw("</td><td class=\"num\">").text(e.path("records").asText()).raw("</td><td class=\"num\">")
          .text(e.path("latencyMs").asText()).raw("</td></tr>");
    }
    empty(h, page.path("entries"), 10, "No entries match.");
    h.raw("</tbody></table>");
    if (page.hasNonNull("nextCursor")) {
      query[filters.length * 2 + 3] = page.get("nextCursor").asText();
      query[filters.length * 2 + 1] = ""; // the page's own size
      h.raw("<p>").link(Html.url("/ui/audit", query), "Older entries")
          .raw("</p>");
    }
    return new Rendered(200, "Audit trail", "audit", h);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isNull() || value.isMissingNode() ? "" : value.asText();
  }

  // ----------------------------------------------------------------------------- catalog

  Rendered catalog(AdminReader api) {
    Html h = new Html();
    JsonNode products = api.get("/admin/products").path("products");
    Instant now = Instant.parse(api.get("/admin/clock").path("now").asText());
    h.raw("<h2>Products</h2><table id=\"products\"><thead><tr><th>Product code</th><th>Type</th><th>Region</th>"
        + "<th>Seller</th><th>Dimensions</th><th>Key versions</th></tr></thead><tbody>");
    for (JsonNode p : products) {
      h.raw("<tr><td>").link("#product-" + p.path("productCode").asText(), p.path("productCode").asText())
          .raw("</td><td>").text(p.path("type").asText()).raw("</td><td>").text(p.path("region").asText())
          .raw("</td><td>").text(p.path("seller").asText()).raw("</td><td>").text(join(p.path("dimensions")))
          .raw("</td><td>").text(join(p.path("publicKeyVersions"))).raw("</td></tr>");
    }
    h.raw("</tbody></table>");

    h.raw("<h2>Accounts</h2><table id=\"accounts\"><thead><tr><th>Account id</th><th>Name</th></tr></thead><tbody>");
    for (JsonNode a : api.get("/admin/accounts").path("accounts")) {
      h.raw("<tr><td>").text(a.path("accountId").asText()).raw("</td><td>").text(a.path("name").asText())
          .raw("</td></tr>");
    }
    h.raw("</tbody></table>");

    for (JsonNode p : products) {
      String code = p.path("productCode").asText();
      String path = "/admin/products/" + encode(code);
      h.raw("<section class=\"product\" id=\"product-").text(code).raw("\"><h2>").text(code).raw("</h2>");
      h.raw("<h3>Subscriptions (customers)</h3><table class=\"subscriptions\"><thead><tr><th>Customer account</th>"
          + "<th>Customer identifier</th><th>License</th><th>Active</th><th>Since</th></tr></thead><tbody>");
      JsonNode subscriptions = api.get(path + "/subscriptions").path("subscriptions");
      for (JsonNode s : subscriptions) {
        h.raw("<tr><td>").text(s.path("customerAWSAccountId").asText()).raw("</td><td>")
            .text(s.path("customerIdentifier").asText("")).raw("</td><td>").text(s.path("licenseArn").asText(""))
            .raw("</td><td>").text(s.path("active").asBoolean() ? "yes" : "no").raw("</td><td>")
            .text(s.path("since").asText()).raw("</td></tr>");
      }
      empty(h, subscriptions, 5, "No subscriptions.");
      h.raw("</tbody></table><h3>Registration tokens</h3><table class=\"tokens\"><thead><tr><th>Token</th>"
          + "<th>Customer account</th><th>Expires</th><th>State</th></tr></thead><tbody>");
      JsonNode tokens = api.get(path + "/tokens").path("tokens");
      for (JsonNode t : tokens) {
        boolean expired = !Instant.parse(t.path("expiresAt").asText()).isAfter(now);
        h.raw("<tr><td><code>").text(t.path("token").asText()).raw("</code></td><td>")
            .text(t.path("customerAWSAccountId").asText()).raw("</td><td>").text(t.path("expiresAt").asText())
            .raw("</td><td>").text(expired ? "expired" : "valid").raw("</td></tr>");
      }
      empty(h, tokens, 4, "No registration tokens.");
      h.raw("</tbody></table><h3>Signing keys</h3><table class=\"keys\"><thead><tr><th>Version</th><th>Created</th>"
          + "<th>Expired</th><th>Current</th></tr></thead><tbody>");
      JsonNode keys = api.get(path + "/keys").path("keys");
      for (JsonNode k : keys) {
        h.raw("<tr><td>").text(k.path("version").asText()).raw("</td><td>").text(k.path("createdAt").asText())
            .raw("</td><td>").text(k.path("expiresAt").asText("")).raw("</td><td>")
            .text(k.path("current").asBoolean() ? "yes" : "no").raw("</td></tr>");
      }
      empty(h, keys, 4, "No signing keys (RegisterUsage, for container products, needs one).");
      h.raw("</tbody></table></section>");
    }
    return new Rendered(200, "Catalog", "catalog", h);
  }

  private static void empty(Html h, JsonNode list, int columns, String message) {
    if (list.isEmpty()) {
      h.raw("<tr><td colspan=\"" + columns + "\" class=\"empty\">").text(message).raw("</td></tr>");
    }
  }

  private static String join(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return String.join(", ", values);
  }

  // ------------------------------------------------------------------------------ faults

  Rendered faults(AdminReader api, String error) {
    Html h = new Html();
    if (error != null) {
      h.raw("<p class=\"error\" id=\"change-error\">").text(error).raw("</p>");
    }
    JsonNode clock = api.get("/admin/clock");
    h.raw("<h2>Clock</h2><p>Server time <time id=\"clock-now\">").text(clock.path("now").asText())
        .raw("</time>, <span id=\"clock-offset\">").text(clock.path("offset").asText())
        .raw("</span> from real time. Every operation uses it: time windows, token expiry, key rotation.</p>");
    h.raw("<form method=\"post\" action=\"/ui/clock\" class=\"inline\">" + CSRF_PLACEHOLDER
        + "<input type=\"hidden\" name=\"action\" value=\"shift\"><label>Shift by <input name=\"shiftSeconds\" "
        + "id=\"shift-seconds\" value=\"3600\" size=\"8\"> seconds</label> <button type=\"submit\" id=\"shift\">Shift"
        + "</button></form>");
    h.raw("<form method=\"post\" action=\"/ui/clock\" class=\"inline\">" + CSRF_PLACEHOLDER
        + "<input type=\"hidden\" name=\"action\" value=\"set\"><label>Set to <input name=\"set\" id=\"set-time\" "
        + "placeholder=\"2026-03-31T23:00:00Z\" size=\"22\"></label> <button type=\"submit\" id=\"set\">Set</button></form>");
    h.raw("<form method=\"post\" action=\"/ui/clock\" class=\"inline\">" + CSRF_PLACEHOLDER
        + "<input type=\"hidden\" name=\"action\" value=\"reset\"><button type=\"submit\" id=\"reset\">Back to real "
        + "time</button></form>");

    JsonNode faults = api.get("/admin/faults");
    h.raw("<h2>Faults in force</h2><p>Seed <span id=\"fault-seed\">").text(faults.path("seed").asText())
        .raw("</span>. For each call the rules are tried in order; the first that fires applies.</p>");
    h.raw("<table id=\"faults\"><thead><tr><th>Operation</th><th>Kind</th><th>When</th><th>Delay</th>"
        + "<th class=\"num\">Fired</th><th class=\"num\">Remaining</th></tr></thead><tbody>");
    for (JsonNode rule : faults.path("rules")) {
      String when = rule.has("probability") ? "probability " + rule.path("probability").asText()
          : "next " + rule.path("count").asText() + " calls";
      h.raw("<tr><td>").text(rule.path("operation").asText()).raw("</td><td>").text(rule.path("kind").asText())
          .raw("</td><td>").text(when).raw("</td><td>")
          .text(rule.has("delayMs") ? rule.path("delayMs").asText() + " ms" : "").raw("</td><td class=\"num\">")
          .text(rule.path("fired").asText()).raw("</td><td class=\"num\">").text(rule.path("remaining").asText(""))
          .raw("</td></tr>");
    }
    empty(h, faults.path("rules"), 6, "No faults: every call is answered normally.");
    h.raw("</tbody></table>");
    h.raw("<form method=\"post\" action=\"/ui/faults\">" + CSRF_PLACEHOLDER + "<label for=\"plan\">New plan "
        + "(replaces the one in force; see docs/admin-api.md, \"Fault injection\")</label><textarea id=\"plan\" "
        + "name=\"plan\" rows=\"4\" cols=\"90\">")
        .text("{\"rules\": [{\"operation\": \"BatchMeterUsage\", \"kind\": \"throttle\", \"probability\": 0.2}], \"seed\": 42}")
        .raw("</textarea><button type=\"submit\" id=\"set-faults\">Put in force</button></form>");
    h.raw("<form method=\"post\" action=\"/ui/faults/clear\" class=\"inline\">" + CSRF_PLACEHOLDER
        + "<button type=\"submit\" id=\"clear-faults\">Clear all faults</button></form>");
    return new Rendered(error == null ? 200 : 400, "Faults and clock", "faults", h);
  }

  /**
   * Forms are written before the session is known to the page code; the layout puts the session's
   * token in their place. A constant of this class, so no value can contain it.
   */
  static final String CSRF_PLACEHOLDER = "<!--csrf-->";

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
