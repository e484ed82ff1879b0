package io.meterbridge.client.credentials;

import io.meterbridge.auth.AwsCredentials;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials of the EC2 instance's IAM role, from the instance metadata service (IMDS).
 *
 * <p>Uses IMDSv2: {@code PUT /latest/api/token} for a session token (6 hours), then
 * {@code GET /latest/meta-data/iam/security-credentials/} for the role name and
 * {@code GET /latest/meta-data/iam/security-credentials/<role>} for the credentials, both with
 * the {@code X-aws-ec2-metadata-token} header.
 *
 * <p>If the token request is answered 403, 404 or 405 (IMDSv2 unsupported, as on some older
 * emulators and proxies), the provider falls back to IMDSv1 requests without a token, like the
 * AWS SDKs; set {@code AWS_EC2_METADATA_V1_DISABLED=true} to forbid that. A timeout or refused
 * connection does not fall back: it means "not on EC2", and the provider fails within about a
 * second (1 s connect timeout, 2 s read timeout).
 *
 * <p>The endpoint is {@code http://169.254.169.254}, or {@code http://[fd00:ec2::254]} when
 * {@code AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6}, or {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}.
 * {@code AWS_EC2_METADATA_DISABLED=true} turns the provider off. Credentials are cached and
 * refreshed five minutes before they expire; a failed refresh keeps the cached credentials while
 * they are valid.
 *
 * <pre>{@code
 * // on an EC2 instance with an instance profile
 * AwsCredentials credentials = InstanceProfileCredentialsProvider.create().resolveCredentials();
 * }</pre>
 */
public final class InstanceProfileCredentialsProvider implements CredentialsProvider {

  private static final String TOKEN_PATH = "/latest/api/token";
  private static final String CREDENTIALS_PATH = "/latest/meta-data/iam/security-credentials/";
  private static final String TOKEN_TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
  private static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
  private static final String TOKEN_TTL_SECONDS = "21600";

  private final Environment environment;
  private final CredentialsHttp http;
  private final RefreshingCredentials cache;

  private InstanceProfileCredentialsProvider(Environment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.http = new CredentialsHttp(environment.connectTimeout(), environment.readTimeout());
    this.cache = new RefreshingCredentials(this::fetch, environment.clock());
  }

  /**
   * A provider configured by this process's {@code AWS_EC2_METADATA_*} variables.
   *
   * <pre>{@code
   * CredentialsProvider provider = InstanceProfileCredentialsProvider.create();
   * }</pre>
   */
  public static InstanceProfileCredentialsProvider create() {
    return new InstanceProfileCredentialsProvider(Environment.system());
  }

  static InstanceProfileCredentialsProvider create(Environment environment) {
    return new InstanceProfileCredentialsProvider(environment);
  }

  /**
   * Returns cached credentials, fetching them from IMDS when absent or about to expire.
   *
   * <pre>{@code
   * AwsCredentials credentials = InstanceProfileCredentialsProvider.create().resolveCredentials();
   * }</pre>
   *
   * @throws CredentialsException if IMDS is disabled or unreachable, the instance has no role, or
   *     IMDS answers with an error
   */
  @Override
  public AwsCredentials resolveCredentials() {
    return cache.resolveCredentials();
  }

  private AwsCredentials fetch() {
    if (isTrue("AWS_EC2_METADATA_DISABLED")) {
      throw new CredentialsException("IMDS is disabled by AWS_EC2_METADATA_DISABLED");
    }
    URI base = endpoint();
    Map<String, String> headers = token(base).map(t -> Map.of(TOKEN_HEADER, t)).orElse(Map.of());

    CredentialsHttp.Response roles = http.get(base.resolve(CREDENTIALS_PATH), headers);
    if (roles.status() == 404) {
      throw new CredentialsException(
          "IMDS at " + CredentialsHttp.describe(base) + " has no IAM role for this instance");
    }
    expectOk(roles, base, "the role name");
    String role = roles.body().lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
        .orElseThrow(() -> new CredentialsException(
            "IMDS at " + CredentialsHttp.describe(base) + " has no IAM role for this instance"));

    String encodedRole = URLEncoder.encode(role, StandardCharsets.UTF_8).replace("+", "%20");
    CredentialsHttp.Response credentials =
        http.get(base.resolve(CREDENTIALS_PATH + encodedRole), headers);
    expectOk(credentials, base, "the credentials of role " + role);
    CredentialsDocument document = CredentialsDocument.parse(
        credentials.body(), "IMDS at " + CredentialsHttp.describe(base));
    Optional<String> code = document.field("Code");
    if (code.isPresent() && !code.get().equals("Success")) {
      throw new CredentialsException("IMDS at " + CredentialsHttp.describe(base)
          + " answered Code " + code.get() + " for the credentials of role " + role);
    }
    return document.credentials("Token");
  }

  /** The IMDSv2 session token, or empty to fall back to IMDSv1. */
  private Optional<String> token(URI base) {
    CredentialsHttp.Response response =
        http.put(base.resolve(TOKEN_PATH), Map.of(TOKEN_TTL_HEADER, TOKEN_TTL_SECONDS));
    if (response.ok() && !response.body().isBlank()) {
      return Optional.of(response.body().strip());
    }
    int status = response.status();
    if ((status == 403 || status == 404 || status == 405)
        && !isTrue("AWS_EC2_METADATA_V1_DISABLED")) {
      return Optional.empty();
    }
    throw new CredentialsException("IMDS at " + CredentialsHttp.describe(base)
        + " answered HTTP " + status + " to the IMDSv2 token request"
        + (status == 403 || status == 404 || status == 405
            ? " and IMDSv1 is disabled by AWS_EC2_METADATA_V1_DISABLED" : ""));
  }

  private static void expectOk(CredentialsHttp.Response response, URI base, String what) {
    if (!response.ok()) {
      throw new CredentialsException("IMDS at " + CredentialsHttp.describe(base)
          + " answered HTTP " + response.status() + " when asked for " + what);
    }
  }

  private URI endpoint() {
    Optional<String> override = environment.variable("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    if (override.isPresent()) {
      try {
        URI uri = URI.create(override.get());
        if (uri.getScheme() == null || uri.getHost() == null) {
          throw new IllegalArgumentException("not absolute");
        }
        return uri;
      } catch (IllegalArgumentException e) {
        throw new CredentialsException(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT is not an absolute http URI");
      }
    }
    boolean ipv6 = environment.variable("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
        .map(m -> m.equalsIgnoreCase("IPv6")).orElse(false);
    return URI.create(ipv6 ? "http://[fd00:ec2::254]" : "http://169.254.169.254");
  }

  private boolean isTrue(String variable) {
    return environment.variable(variable)
        .map(v -> v.toLowerCase(Locale.ROOT).equals("true")).orElse(false);
  }

  @Override
  public String toString() {
    return "InstanceProfileCredentialsProvider";
  }
}
