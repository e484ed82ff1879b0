package io.meterbridge.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code meterbridge admin ...}: a running server's admin API (docs/admin-api.md) from the shell.
 * Each leaf command is one or a few HTTP calls; the answer is printed as the server gives it,
 * pretty-printed, or as a table for listings (their {@code --json} prints the answer instead). The
 * token comes from {@code METERBRIDGE_ADMIN_TOKEN} or {@code --admin-token-file}, never from the
 * command line.
 */
@Command(name = "admin", mixinStandardHelpOptions = true, versionProvider = MeterbridgeCommand.Version.class,
    description = {"Calls a running server's admin API: catalog, clock, faults, stored records.",
        "", "Every command takes --endpoint (default http://127.0.0.1:8080) and the admin token from "
        + AdminEndpoint.TOKEN_VARIABLE + " or --admin-token-file FILE. See docs/admin-api.md."},
    footer = {"", "Examples:",
        "  export " + AdminEndpoint.TOKEN_VARIABLE + "=...",
        "  meterbridge admin clock shift 25h",
        "  meterbridge admin faults set faults.json",
        "  meterbridge admin records --product demo-saas --from 2026-03-01T00:00:00Z",
        "", "Exit codes: 0 done, 1 the server refused or could not be reached, 2 invalid usage."})
final class AdminCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec
  private CommandSpec spec;

  /** {@code admin} and its groups, whose leaves read settings from {@code env}. */
  static CommandLine commandLine(Map<String, String> env, Path dir) {
    CommandLine admin = new CommandLine(new AdminCommand());
    CommandLine clock = group("Shows or moves the server's clock (time travel).",
        new ClockShow(env, dir), new ClockShift(env, dir), new ClockSet(env, dir), new ClockReset(env, dir));
    // So that "shift -2h" is a duration, not an unknown option.
    clock.getSubcommands().get("shift").setUnmatchedOptionsArePositionalParams(true);
    admin.addSubcommand("clock", clock);
    admin.addSubcommand("faults", group("Fault injection on the AWS protocol: set a plan, list what fired, clear.",
        new FaultsSet(env, dir), new FaultsList(env, dir), new FaultsClear(env, dir)));
    admin.addSubcommand("records", new CommandLine(new Records(env, dir)));
    admin.addSubcommand("products", group("Products of the catalog (the API has no removal).",
        new ProductsList(env, dir), new ProductsShow(env, dir), new ProductsAdd(env, dir),
        new ProductsDimensions(env, dir)));
    admin.addSubcommand("customers", group("Accounts: buyers and sellers, with their access keys.",
        new CustomersList(env, dir), new CustomersShow(env, dir), new CustomersAdd(env, dir)));
    admin.addSubcommand("subscriptions", group("Subscriptions of customers to products.",
        new SubscriptionsList(env, dir), new SubscriptionsAdd(env, dir),
        new SubscriptionsActive(env, dir, "activate"), new SubscriptionsActive(env, dir, "deactivate")));
    admin.addSubcommand("tokens", group("Registration tokens that ResolveCustomer resolves.",
        new TokensList(env, dir), new TokensAdd(env, dir)));
    admin.addSubcommand("keys", group("A product's RegisterUsage signing keys.",
        new KeysList(env, dir), new KeysRotate(env, dir)));
    return admin;
  }

  private static CommandLine group(String description, Call... leaves) {
    CommandLine group = new CommandLine(new Group());
    group.getCommandSpec().usageMessage().description(description);
    for (Call leaf : leaves) {
      CommandLine sub = new CommandLine(leaf);
      if (leaf instanceof SubscriptionsActive active) {
        sub.getCommandSpec().name(active.action).usageMessage().description(
            active.action.equals("activate") ? "Resubscribes a customer to a product."
                : "Unsubscribes a customer: its usage is refused from now on (the stored records stay).");
      }
      group.addSubcommand(sub.getCommandSpec().name(), sub);
    }
    return group;
  }

  /** Without a subcommand: the usage, on stderr, and exit code 2. */
  @Override
  public Integer call() {
    return whichCommand(spec);
  }

  private static int whichCommand(CommandSpec spec) {
    spec.commandLine().getErr().println(spec.qualifiedName() + ": which command? Choose one of those below.");
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }

  /** A group such as {@code admin clock}: only its subcommands do something. */
  @Command(mixinStandardHelpOptions = true, versionProvider = MeterbridgeCommand.Version.class,
      synopsisSubcommandLabel = "COMMAND",
      footer = {"", "Exit codes: 0 done, 1 the server refused or could not be reached, 2 invalid usage."})
  static final class Group implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
      return whichCommand(spec);
    }
  }

  /** The server refused or could not be reached: exit code 1 with this message. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** A leaf command: one or a few calls of the admin API. */
  @Command(mixinStandardHelpOptions = true, versionProvider = MeterbridgeCommand.Version.class, sortOptions = false,
      footer = {"", "Exit codes: 0 done, 1 the server refused or could not be reached, 2 invalid usage."})
  abstract static class Call implements Callable<Integer> {
    private final Map<String, String> env;
    final Path dir;

    @Spec
    CommandSpec spec;

    @Mixin
    AdminEndpoint admin;

    private URI base;
    private String token;

    Call(Map<String, String> env, Path dir) {
      this.env = env;
      this.dir = dir;
    }

    @Override
    public final Integer call() throws Exception {
      base = admin.base(spec);
      token = admin.token(spec, env, dir);
      try {
        run();
        out().flush();
        return 0;
      } catch (Refused e) {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage());
        return 1;
      }
    }

    abstract void run() throws Exception;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    JsonNode get(String path) throws Exception {
      return send("GET", path, null);
    }

    JsonNode post(String path, String body) throws Exception {
      return send("POST", path, body);
    }

    /** One call; a non-2xx answer or no connection is {@link Refused}. */
    JsonNode send(String method, String path, String body) throws Exception {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      if (body != null) {
        request.header("Content-Type", "application/json");
      }
      HttpResponse<InputStream> response;
      try {
        response = admin.send(request, token);
      } catch (ConnectException e) {
        throw new Refused("cannot connect to " + base + " (is the server running? see --endpoint)");
      }
      if (response.statusCode() / 100 != 2) {
        throw new Refused("the server answered " + response.statusCode() + ": " + AdminEndpoint.errorMessage(response));
      }
      try (InputStream in = response.body()) {
        return JSON.readTree(in);
      }
    }

    /** The answer pretty-printed. */
    void print(JsonNode answer) throws JsonProcessingException {
      out().println(JSON.writeValueAsString(answer));
    }

    /** A JSON object from a file given on the command line, checked to be JSON before it is sent. */
    String jsonFile(Path file, String what) {
      Path path = dir.resolve(file);
      try {
        String text = Files.readString(path, StandardCharsets.UTF_8);
        if (!JSON.readTree(text).isObject()) {
          throw new ParameterException(spec.commandLine(), what + ": " + path + " does not hold a JSON object {...}");
        }
        return text;
      } catch (JsonProcessingException e) {
        throw new ParameterException(spec.commandLine(), what + ": " + path + " is not JSON: "
            + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ", column "
            + e.getLocation().getColumnNr());
      } catch (IOException e) {
        throw new ParameterException(spec.commandLine(), what + ": cannot read " + path + ": " + e);
      }
    }

    /** A compact table of {@code rows}: one line per element, the named members as columns. */
    void table(JsonNode rows, String... columns) {
      List<String[]> lines = new ArrayList<>();
      lines.add(columns);
      for (JsonNode row : rows) {
        String[] cells = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
          JsonNode value = row.get(columns[i]);
          cells[i] = value == null || value.isNull() || value.isArray() && value.isEmpty() ? "-"
              : value.isArray() ? join(value) : value.asText();
        }
        lines.add(cells);
      }
      int[] widths = new int[columns.length];
      for (String[] cells : lines) {
        for (int i = 0; i < cells.length; i++) {
          widths[i] = Math.max(widths[i], cells[i].length());
        }
      }
      for (String[] cells : lines) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
          line.append(cells[i]);
          if (i < cells.length - 1) {
            line.append(" ".repeat(widths[i] - cells[i].length() + 2));
          }
        }
        out().println(line);
      }
    }

    private static String join(JsonNode array) {
      StringJoiner joined = new StringJoiner(",");
      array.forEach(e -> joined.add(e.asText()));
      return joined.toString();
    }

    static String segment(String value) {
      return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
  }

  /** A listing: a table, or with {@code --json} the answer as it is. */
  abstract static class Listing extends Call {
    @Option(names = "--json", description = "Print the server's JSON answer instead of a table.")
    boolean json;

    Listing(Map<String, String> env, Path dir) {
      super(env, dir);
    }
  }

  // --- clock

  @Command(name = "show", description = "Prints the server's time and its offset from real time.")
  static final class ClockShow extends Call {
    ClockShow(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      print(get("/admin/clock"));
    }
  }

  @Command(name = "shift", description = {"Moves the server's clock by DURATION (negative: back).",
      "DURATION: 25h, 90m, 1d12h, 30s, -2h, or ISO-8601 such as PT25H."})
  static final class ClockShift extends Call {
    private static final Pattern SHORT = Pattern.compile("(-)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    @Parameters(paramLabel = "DURATION", description = "How far: 25h, 90m, 1d12h, -2h, PT25H.")
    String duration;

    ClockShift(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      ObjectNode body = JSON.createObjectNode().put("shiftSeconds", seconds(spec, duration));
      print(post("/admin/clock", body.toString()));
    }

    static long seconds(CommandSpec spec, String text) {
      Matcher m = SHORT.matcher(text);
      if (m.matches() && text.matches("-?\\d.*")) {
        long seconds = Duration.ofDays(number(m.group(2))).plusHours(number(m.group(3)))
            .plusMinutes(number(m.group(4))).plusSeconds(number(m.group(5))).getSeconds();
        return m.group(1) == null ? seconds : -seconds;
      }
      try {
        return Duration.parse(text).getSeconds();
      } catch (DateTimeParseException e) {
        throw new ParameterException(spec.commandLine(), "DURATION: '" + text
            + "' is not a duration such as 25h, 90m, 1d12h, -2h or PT25H");
      }
    }

    private static long number(String digits) {
      return digits == null ? 0 : Long.parseLong(digits);
    }
  }

  @Command(name = "set", description = "Sets the server's clock to INSTANT; it keeps running from there.")
  static final class ClockSet extends Call {
    @Parameters(paramLabel = "INSTANT", description = "An ISO-8601 instant, such as 2026-04-01T05:59:00Z.")
    String instant;

    ClockSet(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      print(post("/admin/clock", JSON.createObjectNode().put("set", instant).toString()));
    }
  }

  @Command(name = "reset", description = "Returns the server's clock to real time.")
  static final class ClockReset extends Call {
    ClockReset(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      print(post("/admin/clock", "{\"reset\":true}"));
    }
  }

  // --- faults

  @Command(name = "set", description = {"Replaces the fault plan in force with the one in FILE.",
      "FILE: {\"rules\": [{\"operation\": \"BatchMeterUsage\", \"kind\": \"throttle\", \"probability\": 0.2}], "
          + "\"seed\": 42} (see docs/admin-api.md, Fault injection)."})
  static final class FaultsSet extends Call {
    @Parameters(paramLabel = "FILE", description = "The fault plan, JSON.")
    Path file;

    FaultsSet(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      print(post("/admin/faults", jsonFile(file, "FILE")));
    }
  }

  @Command(name = "list", description = "Prints the fault plan in force and how often each rule fired.")
  static final class FaultsList extends Call {
    FaultsList(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      print(get("/admin/faults"));
    }
  }

  @Command(name = "clear", description = "Removes every fault: calls are answered normally again.")
  static final class FaultsClear extends Call {
    FaultsClear(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      print(send("DELETE", "/admin/faults", null));
    }
  }

  // --- records

  @Command(name = "records", description = {"Lists stored BatchMeterUsage or MeterUsage records.",
      "In storage order (oldest stored first), following the server's pages until --limit records are printed."})
  static final class Records extends Listing {
    @Option(names = "--kind", paramLabel = "batch|meter", defaultValue = "batch",
        description = "BatchMeterUsage records (default) or MeterUsage records.")
    String kind;

    @Option(names = "--product", paramLabel = "CODE", description = "Only this product.")
    String product;

    @Option(names = "--customer", paramLabel = "ACCOUNT",
        description = "Only this customer (batch) or calling account (meter).")
    String customer;

    @Option(names = "--from", paramLabel = "INSTANT", description = "Usage time from, included: 2026-03-01T00:00:00Z.")
    String from;

    @Option(names = "--to", paramLabel = "INSTANT", description = "Usage time to, excluded.")
    String to;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
        description = "Print at most N records. Default ${DEFAULT-VALUE}.")
    int limit;

    Records(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      if (!kind.equals("batch") && !kind.equals("meter")) {
        throw new ParameterException(spec.commandLine(), "--kind: '" + kind + "' is not one of batch, meter");
      }
      if (limit < 1) {
        throw new ParameterException(spec.commandLine(), "--limit: " + limit + " is not a positive number");
      }
      String customerField = kind.equals("batch") ? "customer" : "callerAccountId";
      Map<String, String> query = new LinkedHashMap<>();
      if (product != null) {
        query.put("productCode", product);
      }
      if (from != null) {
        query.put("from", from);
      }
      if (to != null) {
        query.put("to", to);
      }
      ArrayNode records = JSON.createArrayNode();
      String cursor = null;
      // The API filters by product and time; the customer is filtered here, page by page.
      do {
        StringJoiner q = new StringJoiner("&", "?", "");
        query.forEach((k, v) -> q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        q.add("limit=" + (customer == null ? Math.min(1000, limit - records.size()) : 1000));
        if (cursor != null) {
          q.add("cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        JsonNode page = get("/admin/records/" + kind + q);
        for (JsonNode record : page.path("records")) {
          if (records.size() < limit && (customer == null || customer.equals(record.path(customerField).asText()))) {
            records.add(record);
          }
        }
        cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
      } while (cursor != null && records.size() < limit);
      if (json) {
        ObjectNode answer = JSON.createObjectNode();
        answer.set("records", records);
        if (cursor != null) {
          answer.put("nextCursor", cursor);
        }
        print(answer);
      } else {
        table(records, "timestamp", "productCode", customerField, "dimension", "quantity", "meteringRecordId");
        if (cursor != null) {
          spec.commandLine().getErr().println("(more records: raise --limit)");
        }
      }
    }
  }

  // --- products

  @Command(name = "list", description = "Lists the products.")
  static final class ProductsList extends Listing {
    ProductsList(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      JsonNode answer = get("/admin/products");
      if (json) {
        print(answer);
      } else {
        table(answer.path("products"), "productCode", "seller", "type", "region", "dimensions", "publicKeyVersions");
      }
    }
  }

  @Command(name = "show", description = "Prints one product.")
  static final class ProductsShow extends Call {
    @Parameters(paramLabel = "CODE", description = "The product code.")
    String code;

    ProductsShow(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      print(get("/admin/products/" + segment(code)));
    }
  }

  @Command(name = "add", description = {"Creates the product in FILE, or adds its dimensions and key versions.",
      "FILE: {\"productCode\": \"prod-saas\", \"seller\": \"111122223333\", \"type\": \"SAAS\", "
          + "\"dimensions\": [\"users\"]} (see docs/admin-api.md, Products)."})
  static final class ProductsAdd extends Call {
    @Parameters(paramLabel = "FILE", description = "The product, JSON.")
    Path file;

    ProductsAdd(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      print(post("/admin/products", jsonFile(file, "FILE")));
    }
  }

  @Command(name = "add-dimensions", description = "Adds dimensions to a product; existing ones stay.")
  static final class ProductsDimensions extends Call {
    @Parameters(index = "0", paramLabel = "CODE", description = "The product code.")
    String code;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "DIMENSION", description = "Dimension names.")
    List<String> dimensions;

    ProductsDimensions(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      ObjectNode body = JSON.createObjectNode();
      dimensions.forEach(body.putArray("dimensions")::add);
      print(post("/admin/products/" + segment(code) + "/dimensions", body.toString()));
    }
  }

  // --- customers (accounts)

  @Command(name = "list", description = "Lists the accounts (customers and sellers); secrets are never listed.")
  static final class CustomersList extends Listing {
    CustomersList(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      JsonNode answer = get("/admin/accounts");
      if (json) {
        print(answer);
      } else {
        table(answer.path("accounts"), "accountId", "name");
      }
    }
  }

  @Command(name = "show", description = "Prints one account.")
  static final class CustomersShow extends Call {
    @Parameters(paramLabel = "ACCOUNT", description = "The 12-digit account id.")
    String account;

    CustomersShow(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      print(get("/admin/accounts/" + segment(account)));
    }
  }

  @Command(name = "add", description = {"Creates or updates the account in FILE and upserts its access keys.",
      "FILE: {\"accountId\": \"444455556666\", \"name\": \"Buyer\"}; a new account without accessKeys gets one"
          + " generated, its secret printed this once (see docs/admin-api.md, Accounts)."})
  static final class CustomersAdd extends Call {
    @Parameters(paramLabel = "FILE", description = "The account, JSON (secrets stay in the file, off the command line).")
    Path file;

    CustomersAdd(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      print(post("/admin/accounts", jsonFile(file, "FILE")));
    }
  }

  // --- subscriptions

  @Command(name = "list", description = "Lists a product's subscriptions, inactive ones too.")
  static final class SubscriptionsList extends Listing {
    @Parameters(paramLabel = "CODE", description = "The product code.")
    String code;

    SubscriptionsList(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      JsonNode answer = get("/admin/products/" + segment(code) + "/subscriptions");
      if (json) {
        print(answer);
      } else {
        table(answer.path("subscriptions"), "customerAWSAccountId", "active", "customerIdentifier", "licenseArn", "since");
      }
    }
  }

  @Command(name = "add", description = {"Creates or updates the subscription in FILE.",
      "FILE: {\"productCode\": \"prod-saas\", \"customerAWSAccountId\": \"444455556666\"} "
          + "(see docs/admin-api.md, Subscriptions)."})
  static final class SubscriptionsAdd extends Call {
    @Parameters(paramLabel = "FILE", description = "The subscription, JSON.")
    Path file;

    SubscriptionsAdd(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      print(post("/admin/subscriptions", jsonFile(file, "FILE")));
    }
  }

  @Command(name = "activate")
  static final class SubscriptionsActive extends Call {
    final String action;

    @Parameters(index = "0", paramLabel = "CODE", description = "The product code.")
    String code;

    @Parameters(index = "1", paramLabel = "ACCOUNT", description = "The customer's 12-digit account id.")
    String customer;

    SubscriptionsActive(Map<String, String> env, Path dir, String action) {
      super(env, dir);
      this.action = action;
    }

    @Override
    void run() throws Exception {
      print(post("/admin/subscriptions/" + segment(code) + "/" + segment(customer) + "/" + action, null));
    }
  }

  // --- tokens

  @Command(name = "list", description = "Lists a product's registration tokens, expired ones too.")
  static final class TokensList extends Listing {
    @Parameters(paramLabel = "CODE", description = "The product code.")
    String code;

    TokensList(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      JsonNode answer = get("/admin/products/" + segment(code) + "/tokens");
      if (json) {
        print(answer);
      } else {
        table(answer.path("tokens"), "token", "customerAWSAccountId", "customerIdentifier", "expiresAt");
        out().println("server time " + answer.path("serverTime").asText());
      }
    }
  }

  @Command(name = "add", description = "Issues a registration token (x-amzn-marketplace-token) for a customer.")
  static final class TokensAdd extends Call {
    @Option(names = "--product", required = true, paramLabel = "CODE", description = "The product code.")
    String product;

    @Option(names = "--customer", required = true, paramLabel = "ACCOUNT", description = "The customer's account id.")
    String customer;

    @Option(names = "--ttl", paramLabel = "DURATION", description = "How long it is valid: 4h (default), 30m, 2d.")
    String ttl;

    TokensAdd(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      ObjectNode body = JSON.createObjectNode().put("productCode", product).put("customerAWSAccountId", customer);
      if (ttl != null) {
        body.put("ttlSeconds", ClockShift.seconds(spec, ttl));
      }
      print(post("/admin/tokens", body.toString()));
    }
  }

  // --- keys

  @Command(name = "list", description = "Lists a product's signing key versions with their public keys.")
  static final class KeysList extends Listing {
    @Parameters(paramLabel = "CODE", description = "The product code.")
    String code;

    KeysList(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      JsonNode answer = get("/admin/products/" + segment(code) + "/keys");
      if (json) {
        print(answer);
      } else {
        table(answer.path("keys"), "version", "current", "createdAt", "expiresAt");
      }
    }
  }

  @Command(name = "rotate", description = "Generates the next key version and expires the current ones now.")
  static final class KeysRotate extends Call {
    @Parameters(paramLabel = "CODE", description = "The product code.")
    String code;

    KeysRotate(Map<String, String> env, Path dir) {
      super(env, dir);
    }

    @Override
    void run() throws Exception {
      print(post("/admin/products/" + segment(code) + "/keys/rotate", null));
    }
  }
}
