package io.meterbridge.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of commands that call a running server's admin API ({@code report}, {@code
 * reconcile}, {@code admin ...}): where it is and its admin token, from {@code METERBRIDGE_ADMIN_TOKEN} or a file, never
 * from the command line, where other users of the machine could read it in the process list.
 */
final class AdminEndpoint {
  static final String TOKEN_VARIABLE = "METERBRIDGE_ADMIN_TOKEN";

  @Option(names = "--endpoint", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
      description = "The server (or gateway) whose admin API to call. Default ${DEFAULT-VALUE}.")
  String endpoint;

  @Option(names = "--admin-token-file", paramLabel = "FILE",
      description = "File holding the admin token (default: the variable " + TOKEN_VARIABLE + ").")
  Path tokenFile;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** The base URI, checked. */
  URI base(CommandSpec spec) {
    try {
      URI uri = new URI(endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new URISyntaxException(endpoint, "not an http or https URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ParameterException(spec.commandLine(), "--endpoint: '" + endpoint
          + "' is not an http(s) URL such as http://127.0.0.1:8080");
    }
  }

  /** The admin token: from the file if given, else the variable. */
  String token(CommandSpec spec, Map<String, String> env, Path workingDir) {
    String token;
    if (tokenFile != null) {
      Path file = workingDir.resolve(tokenFile);
      try {
        token = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new ParameterException(spec.commandLine(), "--admin-token-file: cannot read " + file + ": " + e);
      }
      if (token.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--admin-token-file: " + file + " is empty");
      }
      return token;
    }
    token = env.get(TOKEN_VARIABLE);
    if (token == null || token.isBlank()) {
      throw new ParameterException(spec.commandLine(), "No admin token: set " + TOKEN_VARIABLE
          + " or give --admin-token-file FILE (the token the server was started with, --admin-token)");
    }
    return token.strip();
  }

  /** Sends a request with the token; the body is left unread. */
  HttpResponse<InputStream> send(HttpRequest.Builder request, String token) throws IOException, InterruptedException {
    return http.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(30)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  /** The error message of a JSON error answer, or the body as it is. */
  static String errorMessage(HttpResponse<InputStream> response) throws IOException {
    String body;
    try (InputStream in = response.body()) {
      body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
    }
    int at = body.indexOf("\"message\":\"");
    if (at >= 0) {
      int end = body.lastIndexOf('"');
      if (end > at + 11) {
        return body.substring(at + 11, end).replace("\\\"", "\"").replace("\\\\", "\\");
      }
    }
    return body.isBlank() ? "(no body)" : body.strip();
  }
}
