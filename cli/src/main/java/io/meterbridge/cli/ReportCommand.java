package io.meterbridge.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code meterbridge report}: a running server's {@code GET /admin/reports/usage}, with the same
 * options, copied to standard output or a file as it arrives. The server checks the options and
 * its message is shown as it is.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Sums a running server's stored usage per product, customer, dimension and hour, day or month.",
        "",
        "The same query as GET /admin/reports/usage (see docs/admin-api.md), streamed to standard output or --out."},
    footer = {"", "Example:",
        "  METERBRIDGE_ADMIN_TOKEN=... meterbridge report --from 2026-03-01 --to 2026-04-01 --group-by customer,day "
            + "--format csv --out march.csv",
        "", "Exit codes: 0 done, 1 the server refused or could not be reached, 2 invalid usage."})
final class ReportCommand implements Callable<Integer> {
  private final Map<String, String> env;
  private final Path workingDir;

  @Spec
  private CommandSpec spec;

  @Mixin
  private AdminEndpoint admin;

  @Option(names = "--from", paramLabel = "DATE|INSTANT", description = "First hour included: 2026-03-01 or 2026-03-01T00:00:00Z.")
  private String from;

  @Option(names = "--to", paramLabel = "DATE|INSTANT", description = "End, excluded.")
  private String to;

  @Option(names = "--product-code", paramLabel = "CODE", description = "Only this product.")
  private String productCode;

  @Option(names = "--customer", paramLabel = "ACCOUNT", description = "Only this customer (12-digit account id).")
  private String customer;

  @Option(names = "--dimension", paramLabel = "NAME", description = "Only this dimension.")
  private String dimension;

  @Option(names = "--group-by", paramLabel = "KEYS",
      description = "Comma-separated: product, customer, dimension, license, region, and one of hour, day, month."
          + " Default product,customer,dimension,day.")
  private String groupBy;

  @Option(names = "--format", paramLabel = "json|csv", description = "Default json.")
  private String format;

  @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE (replaced when complete) instead of standard output.")
  private Path out;

  ReportCommand(Map<String, String> env, Path workingDir) {
    this.env = env;
    this.workingDir = workingDir;
  }

  @Override
  public Integer call() throws Exception {
    URI base = admin.base(spec);
    String token = admin.token(spec, env, workingDir);
    Map<String, String> query = new LinkedHashMap<>();
    put(query, "from", from);
    put(query, "to", to);
    put(query, "productCode", productCode);
    put(query, "customer", customer);
    put(query, "dimension", dimension);
    put(query, "groupBy", groupBy);
    put(query, "format", format);
    StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
    query.forEach((k, v) -> q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    URI uri = URI.create(base + "/admin/reports/usage" + q);
    PrintWriter err = spec.commandLine().getErr();
    HttpResponse<InputStream> response;
    try {
      response = admin.send(HttpRequest.newBuilder(uri).GET(), token);
    } catch (ConnectException e) {
      err.println("report: cannot connect to " + base + " (is the server running? see --endpoint)");
      return 1;
    }
    if (response.statusCode() != 200) {
      err.println("report: the server answered " + response.statusCode() + ": " + AdminEndpoint.errorMessage(response));
      return 1;
    }
    try (InputStream body = response.body()) {
      if (out == null) {
        PrintWriter stdout = spec.commandLine().getOut();
        Reader reader = new InputStreamReader(body, StandardCharsets.UTF_8);
        reader.transferTo(stdout);
        stdout.flush();
      } else {
        Path file = workingDir.resolve(out);
        // Written beside the target and moved when complete, so a failed export leaves no half file.
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (OutputStream to = Files.newOutputStream(partial)) {
          body.transferTo(to);
        } catch (IOException e) {
          Files.deleteIfExists(partial);
          throw e;
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
        err.println("report: wrote " + Files.size(file) + " bytes to " + file);
      }
    }
    return 0;
  }

  private static void put(Map<String, String> query, String name, String value) {
    if (value != null) {
      query.put(name, value);
    }
  }
}
