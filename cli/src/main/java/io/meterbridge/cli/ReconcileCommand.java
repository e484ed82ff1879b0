package io.meterbridge.cli;

import io.meterbridge.server.reconcile.FeedException;
import io.meterbridge.server.reconcile.Reconciler;
import io.meterbridge.server.reconcile.Reconciliation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code meterbridge reconcile}: compares a Daily Usage data feed file with what a running server
 * (or gateway) metered, as {@code POST /admin/reconcile} does, but reading the feed here and our
 * sums through {@code GET /admin/reports/usage}, so the feed may be of any size. Writes the result
 * (JSON), the top-up events, and optionally posts them to a gateway.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Compares AWS's Daily Usage data feed with the usage a running server metered.",
        "",
        "Differences beyond 0.01 per day, product, license, region and dimension are listed; over-billing gets a draft"
            + " billing-adjustment request (for a person to review and send to AWS), under-billing still inside AWS's"
            + " window a top-up usage event for the gateway. See docs/admin-api.md#reconciliation."},
    footer = {"", "Example:",
        "  METERBRIDGE_ADMIN_TOKEN=... meterbridge reconcile --feed daily-usage.csv --product prod-3y2ewx=demo-saas "
            + "--out reconciliation.json --top-ups top-ups.json",
        "", "Exit codes: 0 no differences, 3 differences found, 1 a failure (the feed or the server), 2 invalid usage."})
final class ReconcileCommand implements Callable<Integer> {
  /** The exit code when the feed and our usage differ. */
  static final int DIFFERENCES = 3;
  static final String INGEST_TOKEN_VARIABLE = "METERBRIDGE_INGEST_TOKEN";
  private static final Pattern NOW = Pattern.compile("\"now\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([a-z]+)\"");

  private final Map<String, String> env;
  private final Path workingDir;

  @Spec
  private CommandSpec spec;

  @Mixin
  private AdminEndpoint admin;

  @Option(names = "--feed", required = true, paramLabel = "FILE", description = "The Daily Usage data feed file (CSV).")
  private Path feed;

  @Option(names = "--product", paramLabel = "ID=CODE",
      description = "The feed's product_id of one of our product codes (repeatable). Unmapped ids are taken as codes.")
  private Map<String, String> products = Map.of();

  @Option(names = "--agreement", paramLabel = "ID=LICENSE_ARN",
      description = "The license of a feed agreement_id (repeatable). Without any, licenses are not compared.")
  private Map<String, String> agreements = Map.of();

  @Option(names = "--out", paramLabel = "FILE", description = "Write the result (JSON) to FILE instead of standard output.")
  private Path out;

  @Option(names = "--top-ups", paramLabel = "FILE",
      description = "Write the top-up events (a gateway's POST /v1/usage body) to FILE.")
  private Path topUps;

  @Option(names = "--gateway", paramLabel = "URL",
      description = "Post the top-up events to this gateway's POST /v1/usage (token: " + INGEST_TOKEN_VARIABLE
          + " or --ingest-token-file).")
  private URI gateway;

  @Option(names = "--ingest-token-file", paramLabel = "FILE", description = "File holding the gateway's ingest token.")
  private Path ingestTokenFile;

  ReconcileCommand(Map<String, String> env, Path workingDir) {
    this.env = env;
    this.workingDir = workingDir;
  }

  @Override
  public Integer call() throws Exception {
    URI base = admin.base(spec);
    String token = admin.token(spec, env, workingDir);
    String ingestToken = gateway == null ? null : ingestToken();
    Reconciler.Builder reconciler = Reconciler.builder();
    products.forEach(reconciler::product);
    agreements.forEach(reconciler::agreement);
    PrintWriter err = spec.commandLine().getErr();
    Path feedFile = workingDir.resolve(feed);
    Reconciliation result;
    try (Reader feedReader = Files.newBufferedReader(feedFile, StandardCharsets.UTF_8)) {
      reconciler.now(now(base, token));
      result = reconciler.build().reconcile(feedReader, (query, sink) -> {
        HttpResponse<InputStream> response;
        try {
          response = send(HttpRequest.newBuilder(
              URI.create(base + "/admin/reports/usage?" + Reconciler.reportParameters(query))).GET(), token);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while reading the usage report");
        }
        try (Reader csv = new InputStreamReader(response.body(), StandardCharsets.UTF_8)) {
          Reconciler.readReport(csv, sink);
        }
      });
    } catch (NoSuchFileException e) {
      err.println("reconcile: no feed file " + feedFile);
      return 1;
    } catch (FeedException e) {
      err.println("reconcile: " + feedFile + " is not a Daily Usage data feed file as AWS delivers it:");
      e.problems().forEach(p -> err.println("  " + p));
      return 1;
    } catch (ServerException e) {
      err.println("reconcile: " + e.getMessage());
      return 1;
    }
    if (out == null) {
      PrintWriter stdout = spec.commandLine().getOut();
      ByteArrayOutputStream json = new ByteArrayOutputStream();
      result.writeJson(json);
      stdout.println(json.toString(StandardCharsets.UTF_8));
      stdout.flush();
    } else {
      try (OutputStream file = Files.newOutputStream(workingDir.resolve(out))) {
        result.writeJson(file);
      }
    }
    if (topUps != null) {
      try (OutputStream file = Files.newOutputStream(workingDir.resolve(topUps))) {
        result.writeTopUps(file);
      }
    }
    err.println("reconcile: " + result.summary());
    if (gateway != null && !result.topUps().isEmpty()) {
      if (!postTopUps(result, ingestToken, err)) {
        return 1;
      }
    }
    return result.differences().isEmpty() ? 0 : DIFFERENCES;
  }

  /** The server's clock: which hours are still inside AWS's window is the server's call (time travel included). */
  private Instant now(URI base, String token) throws IOException, InterruptedException {
    HttpResponse<InputStream> response = send(HttpRequest.newBuilder(URI.create(base + "/admin/clock")).GET(), token);
    String body;
    try (InputStream in = response.body()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher m = NOW.matcher(body);
    try {
      if (m.find()) {
        return Instant.parse(m.group(1));
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw new ServerException(base + "/admin/clock did not answer the server's time: " + body);
  }

  private HttpResponse<InputStream> send(HttpRequest.Builder request, String token)
      throws IOException, InterruptedException {
    HttpResponse<InputStream> response;
    try {
      response = admin.send(request, token);
    } catch (ConnectException e) {
      throw new ServerException("cannot connect to " + admin.endpoint + " (is the server running? see --endpoint)");
    }
    if (response.statusCode() != 200) {
      throw new ServerException("the server answered " + response.statusCode() + ": "
          + AdminEndpoint.errorMessage(response));
    }
    return response;
  }

  private boolean postTopUps(Reconciliation result, String ingestToken, PrintWriter err)
      throws IOException, InterruptedException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    result.writeTopUps(body);
    URI ingest = URI.create(gateway.toString().replaceAll("/+$", "") + "/v1/usage");
    HttpResponse<String> response;
    try {
      response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build().send(
          HttpRequest.newBuilder(ingest).header("Authorization", "Bearer " + ingestToken)
              .header("Content-Type", "application/json").timeout(Duration.ofMinutes(2))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      err.println("reconcile: cannot connect to the gateway " + ingest + "; the top-ups were not sent"
          + (topUps == null ? "" : " (they are in " + workingDir.resolve(topUps) + ")"));
      return false;
    }
    if (response.statusCode() != 200) {
      err.println("reconcile: the gateway answered " + response.statusCode() + ": " + response.body());
      return false;
    }
    Map<String, Long> counts = new java.util.TreeMap<>();
    Matcher m = STATUS.matcher(response.body());
    while (m.find()) {
      counts.merge(m.group(1), 1L, Long::sum);
    }
    err.println("reconcile: posted " + result.topUps().size() + " top-up event(s) to " + ingest + ": " + counts);
    boolean refused = counts.keySet().stream().anyMatch(s -> !List.of("accepted", "duplicate").contains(s));
    if (refused) {
      err.println("reconcile: the gateway refused some top-ups: " + response.body());
    }
    return !refused;
  }

  private String ingestToken() {
    if (ingestTokenFile != null) {
      Path file = workingDir.resolve(ingestTokenFile);
      try {
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!token.isEmpty()) {
          return token;
        }
      } catch (IOException e) {
        throw new ParameterException(spec.commandLine(), "--ingest-token-file: cannot read " + file + ": " + e);
      }
      throw new ParameterException(spec.commandLine(), "--ingest-token-file: " + file + " is empty");
    }
    String token = env.get(INGEST_TOKEN_VARIABLE);
    if (token == null || token.isBlank()) {
      throw new ParameterException(spec.commandLine(), "--gateway needs the gateway's ingest token: set "
          + INGEST_TOKEN_VARIABLE + " or give --ingest-token-file FILE");
    }
    return token.strip();
  }

  /** The server refused or could not be reached: one line for the user, no stack trace. */
  private static final class ServerException extends IOException {
    private static final long serialVersionUID = 1L;

    ServerException(String message) {
      super(message);
    }
  }
}
