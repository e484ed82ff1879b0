package io.meterbridge.cli;

import static io.meterbridge.server.seed.DemoCatalog.AMI_DIMENSIONS;
import static io.meterbridge.server.seed.DemoCatalog.AMI_PRODUCT;
import static io.meterbridge.server.seed.DemoCatalog.BUYER_ACCESS_KEY_ID;
import static io.meterbridge.server.seed.DemoCatalog.BUYER_ACCOUNT_ID;
import static io.meterbridge.server.seed.DemoCatalog.BUYER_SECRET_ACCESS_KEY;
import static io.meterbridge.server.seed.DemoCatalog.CONTAINER_DIMENSIONS;
import static io.meterbridge.server.seed.DemoCatalog.CONTAINER_PRODUCT;
import static io.meterbridge.server.seed.DemoCatalog.CONTAINER_PUBLIC_KEY_VERSION;
import static io.meterbridge.server.seed.DemoCatalog.CUSTOMER_IDENTIFIER;
import static io.meterbridge.server.seed.DemoCatalog.REGISTRATION_TOKEN;
import static io.meterbridge.server.seed.DemoCatalog.SAAS_DIMENSIONS;
import static io.meterbridge.server.seed.DemoCatalog.SAAS_PRODUCT;
import static io.meterbridge.server.seed.DemoCatalog.SELLER_ACCESS_KEY_ID;
import static io.meterbridge.server.seed.DemoCatalog.SELLER_ACCOUNT_ID;
import static io.meterbridge.server.seed.DemoCatalog.SELLER_SECRET_ACCESS_KEY;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterbridge.server.seed.DemoCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code meterbridge demo}: what a newcomer needs to call a running server holding the demo catalog,
 * again and at any time: the keys, products and customer, and AWS CLI commands timestamped with the
 * server's "now" (the ones {@code serve} printed at the first start go stale after the time window).
 * With the admin token it reads the catalog from the server and, when the demo registration token
 * has expired, issues a new one for the same customer.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Prints the demo catalog of a running server and AWS CLI commands with fresh timestamps;"
        + " issues a new demo registration token when the last one has expired.",
        "",
        "With the admin token (" + AdminEndpoint.TOKEN_VARIABLE + " or --admin-token-file) the catalog, the"
            + " region and the time come from the server's admin API and an expired token is replaced; without"
            + " it, from the demo's published values and this machine's clock."},
    footer = {"", "Exit codes: 0 printed, 1 the server could not be reached, refused, or holds no demo catalog,"
        + " 2 invalid usage."})
final class DemoCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> env;
  private final Path workingDir;

  @Spec
  private CommandSpec spec;

  @Mixin
  private AdminEndpoint admin;

  DemoCommand(Map<String, String> env, Path workingDir) {
    this.env = env;
    this.workingDir = workingDir;
  }

  /** A failure to report, exit code 1. */
  private static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message, null, false, false);
    }
  }

  @Override
  public Integer call() throws Exception {
    URI base = admin.base(spec);
    boolean withToken = admin.tokenFile != null
        || env.get(AdminEndpoint.TOKEN_VARIABLE) != null && !env.get(AdminEndpoint.TOKEN_VARIABLE).isBlank();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      if (withToken) {
        String token = admin.token(spec, env, workingDir);
        fromAdminApi(base, token, out, err);
      } else {
        get(base, "/health", null);
        print(out, base, "us-east-1", Instant.now(), REGISTRATION_TOKEN, null);
        out.println("(Region, time and token are the demo's defaults: give the admin token ("
            + AdminEndpoint.TOKEN_VARIABLE + " or --admin-token-file) to read them from the server and to"
            + " replace an expired registration token.)");
      }
    } catch (Failure e) {
      err.println("meterbridge demo: " + e.getMessage());
      err.flush();
      return 1;
    }
    out.flush();
    return 0;
  }

  private void fromAdminApi(URI base, String token, PrintWriter out, PrintWriter err) throws Failure,
      IOException, InterruptedException {
    JsonNode product = get(base, "/admin/products/" + SAAS_PRODUCT, token);
    if (product == null) {
      throw new Failure("the server at " + base + " holds no demo catalog (no product " + SAAS_PRODUCT
          + "): it was started with a seed file or --demo off, or on a database that was not empty."
          + " Start one on an empty data directory: meterbridge serve --data ./demo-data");
    }
    String region = product.path("region").asText("us-east-1");
    JsonNode tokens = get(base, "/admin/products/" + SAAS_PRODUCT + "/tokens", token);
    Instant now = Instant.parse(tokens.path("serverTime").asText());
    String valid = null;
    Instant validUntil = null;
    for (JsonNode t : tokens.path("tokens")) {
      Instant expiresAt = Instant.parse(t.path("expiresAt").asText());
      // The published token while it lasts; else the one issued last (the latest expiry).
      boolean published = REGISTRATION_TOKEN.equals(t.path("token").asText());
      if (BUYER_ACCOUNT_ID.equals(t.path("customerAWSAccountId").asText()) && expiresAt.isAfter(now)
          && (validUntil == null || published || expiresAt.isAfter(validUntil) && !REGISTRATION_TOKEN.equals(valid))) {
        valid = t.path("token").asText();
        validUntil = expiresAt;
      }
    }
    String note = null;
    if (valid == null) {
      JsonNode issued = post(base, "/admin/tokens", token, "{\"productCode\":\"" + SAAS_PRODUCT
          + "\",\"customerAWSAccountId\":\"" + BUYER_ACCOUNT_ID + "\"}");
      valid = issued.path("token").asText();
      validUntil = Instant.parse(issued.path("expiresAt").asText());
      note = "new: the demo's earlier registration tokens have expired";
    }
    print(out, base, region, now, valid, "valid until " + validUntil.truncatedTo(ChronoUnit.SECONDS)
        + (note == null ? "" : "; " + note));
  }

  private static void print(PrintWriter out, URI endpoint, String region, Instant now, String token, String tokenNote) {
    out.println("Demo catalog of " + endpoint + " (region " + region + "). These keys are published: a LOCAL DEMO ONLY.");
    out.println();
    out.println("  Seller account      " + SELLER_ACCOUNT_ID + "   access key " + SELLER_ACCESS_KEY_ID
        + "   secret " + SELLER_SECRET_ACCESS_KEY);
    out.println("  Buyer account       " + BUYER_ACCOUNT_ID + "   access key " + BUYER_ACCESS_KEY_ID
        + "   secret " + BUYER_SECRET_ACCESS_KEY);
    out.println("  Products            " + SAAS_PRODUCT + " (SaaS; dimensions " + String.join(", ", SAAS_DIMENSIONS) + ")");
    out.println("                      " + AMI_PRODUCT + " (AMI; dimensions " + String.join(", ", AMI_DIMENSIONS) + ")");
    out.println("                      " + CONTAINER_PRODUCT + " (container; dimensions "
        + String.join(", ", CONTAINER_DIMENSIONS) + "; public key version " + CONTAINER_PUBLIC_KEY_VERSION + ")");
    out.println("  Customer            account " + BUYER_ACCOUNT_ID + ", subscribed to all three; customer identifier "
        + CUSTOMER_IDENTIFIER + " (" + SAAS_PRODUCT + ")");
    out.println("  Registration token  " + token + "   (ResolveCustomer" + (tokenNote == null ? "" : "; " + tokenNote) + ")");
    out.println();
    out.println("Meter usage as the seller (BatchMeterUsage), timestamped " + now.truncatedTo(ChronoUnit.SECONDS) + ":");
    out.println("  " + DemoCatalog.awsCliBatchMeterUsage(endpoint, region, now));
    out.println("Meter usage as the buyer's AMI instance (MeterUsage):");
    out.println("  " + DemoCatalog.awsCliMeterUsage(endpoint, region, now));
    out.println("Register the buyer's container task (RegisterUsage):");
    out.println("  " + DemoCatalog.awsCliRegisterUsage(endpoint, region));
    out.println("Resolve the registration token (ResolveCustomer):");
    out.println("  " + DemoCatalog.awsCliResolveCustomer(endpoint, region, token));
  }

  /** The JSON answer of a GET; null on 404; a Failure for anything but 200. */
  private JsonNode get(URI base, String path, String token) throws Failure, IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    return answer(base, token == null ? unauthenticated(base, request) : send(base, request, token), 200, true);
  }

  private JsonNode post(URI base, String path, String token, String body) throws Failure, IOException,
      InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    return answer(base, send(base, request, token), 201, false);
  }

  private HttpResponse<InputStream> send(URI base, HttpRequest.Builder request, String token) throws Failure,
      IOException, InterruptedException {
    try {
      return admin.send(request, token);
    } catch (ConnectException e) {
      throw unreachable(base);
    }
  }

  private HttpResponse<InputStream> unauthenticated(URI base, HttpRequest.Builder request) throws Failure,
      IOException, InterruptedException {
    try {
      return java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException e) {
      throw unreachable(base);
    }
  }

  private static Failure unreachable(URI base) {
    return new Failure("cannot connect to " + base + ": is the server running? Start it with 'meterbridge serve',"
        + " or give its address with --endpoint URL.");
  }

  private static JsonNode answer(URI base, HttpResponse<InputStream> response, int expected, boolean missingIsNull)
      throws Failure, IOException {
    if (missingIsNull && response.statusCode() == 404) {
      response.body().close();
      return null;
    }
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new Failure("the server at " + base + " refused the admin token (" + response.statusCode() + ": "
          + AdminEndpoint.errorMessage(response) + "): give the token it was started with, through "
          + AdminEndpoint.TOKEN_VARIABLE + " or --admin-token-file FILE");
    }
    if (response.statusCode() != expected) {
      throw new Failure("the server at " + base + " answered " + response.statusCode() + ": "
          + AdminEndpoint.errorMessage(response));
    }
    try (InputStream body = response.body()) {
      return JSON.readTree(body);
    }
  }
}
