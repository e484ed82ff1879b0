package io.meterbridge.client.credentials;

import io.meterbridge.auth.AwsCredentials;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Credentials from the container credentials endpoint of ECS tasks and EKS Pod Identity.
 *
 * <p>For metering on EKS, use IRSA ({@link WebIdentityCredentialsProvider}) instead: AWS documents
 * that EKS Pod Identity is not supported for AWS Marketplace metering.
 *
 * <p>The endpoint is, in this order:
 *
 * <ol>
 *   <li>{@code http://169.254.170.2} + {@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI} (ECS);
 *   <li>{@code AWS_CONTAINER_CREDENTIALS_FULL_URI} (EKS Pod Identity, ECS Anywhere, local
 *       tools), accepted only over {@code https}, or over {@code http} to a loopback address or to
 *       the ECS/EKS link-local hosts {@code 169.254.170.2}, {@code 169.254.170.23} and
 *       {@code [fd00:ec2::23]}, as in the AWS SDKs: the token must not travel in clear elsewhere.
 * </ol>
 *
 * <p>The {@code Authorization} header, when configured, is the content of the file named by
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE}, re-read on every fetch because EKS rotates it,
 * else the value of {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}.
 *
 * <p>Credentials are cached and refreshed five minutes before they expire; a failed refresh
 * keeps the cached credentials while they are valid. Requests time out after 1 s to connect and
 * 2 s to answer. Failed fetches are not retried within a call: the cache absorbs a blip.
 *
 * <pre>{@code
 * // in an ECS task or an EKS pod with Pod Identity
 * CredentialsProvider provider = ContainerCredentialsProvider.create();
 * AwsCredentials credentials = provider.resolveCredentials();
 * }</pre>
 */
public final class ContainerCredentialsProvider implements CredentialsProvider {

  private static final Set<String> ALLOWED_HTTP_HOSTS =
      Set.of("169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "fd00:ec2::23");

  private final Environment environment;
  private final CredentialsHttp http;
  private final RefreshingCredentials cache;

  private ContainerCredentialsProvider(Environment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.http = new CredentialsHttp(environment.connectTimeout(), environment.readTimeout());
    this.cache = new RefreshingCredentials(this::fetch, environment.clock());
  }

  /**
   * A provider configured by this process's {@code AWS_CONTAINER_*} variables, read when
   * credentials are first needed.
   *
   * <pre>{@code
   * CredentialsProvider provider = ContainerCredentialsProvider.create();
   * }</pre>
   */
  public static ContainerCredentialsProvider create() {
    return new ContainerCredentialsProvider(Environment.system());
  }

  static ContainerCredentialsProvider create(Environment environment) {
    return new ContainerCredentialsProvider(environment);
  }

  /**
   * Returns cached credentials, fetching them from the endpoint when absent or about to expire.
   *
   * <pre>{@code
   * AwsCredentials credentials = ContainerCredentialsProvider.create().resolveCredentials();
   * }</pre>
   *
   * @throws CredentialsException if neither variable is set, the full URI is not allowed, the
   *     token file cannot be read, or the endpoint fails or answers something unusable
   */
  @Override
  public AwsCredentials resolveCredentials() {
    return cache.resolveCredentials();
  }

  private AwsCredentials fetch() {
    URI uri = endpoint();
    Map<String, String> headers = authorization().map(t -> Map.of("Authorization", t))
        .orElse(Map.of());
    CredentialsHttp.Response response = http.get(uri, headers);
    String source = "the container credentials endpoint " + CredentialsHttp.describe(uri);
    if (!response.ok()) {
      throw new CredentialsException(source + " answered HTTP " + response.status());
    }
    return CredentialsDocument.parse(response.body(), source).credentials("Token");
  }

  private URI endpoint() {
    Optional<String> relative = environment.variable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    if (relative.isPresent()) {
      String path = relative.get().startsWith("/") ? relative.get() : "/" + relative.get();
      return parse(environment.containerHost() + path, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    }
    String full = environment.variable("AWS_CONTAINER_CREDENTIALS_FULL_URI")
        .orElseThrow(() -> new CredentialsException(
            "Neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI"
                + " is set"));
    URI uri = parse(full, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    checkAllowed(uri);
    return uri;
  }

  private static URI parse(String text, String variable) {
    try {
      URI uri = new URI(text);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new CredentialsException(variable + " is not an absolute http(s) URI");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new CredentialsException(variable + " is not a valid URI");
    }
  }

  static void checkAllowed(URI uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      return;
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (scheme.equals("http") && (ALLOWED_HTTP_HOSTS.contains(host) || isLoopback(host))) {
      return;
    }
    throw new CredentialsException(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI must use https, or http to a loopback address or to"
            + " 169.254.170.2, 169.254.170.23 or [fd00:ec2::23]; got "
            + CredentialsHttp.describe(uri));
  }

  // A name such as localhost counts only if every address it resolves to is loopback, so that a
  // DNS answer cannot send the token elsewhere.
  private static boolean isLoopback(String host) {
    try {
      InetAddress[] addresses = InetAddress.getAllByName(host);
      for (InetAddress address : addresses) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return addresses.length > 0;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private Optional<String> authorization() {
    Optional<String> token;
    Optional<String> file = environment.variable("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    if (file.isPresent()) {
      Path path = environment.expandHome(file.get());
      try {
        token = Optional.of(Files.readString(path, StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        throw new CredentialsException(
            "Cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + path + ": " + e, e);
      }
    } else {
      token = environment.variable("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    }
    // A line break would let the token smuggle extra headers into the request.
    if (token.isPresent() && (token.get().indexOf('\r') >= 0 || token.get().indexOf('\n') >= 0)) {
      throw new CredentialsException("The container authorization token contains a line break");
    }
    return token.filter(t -> !t.isEmpty());
  }

  @Override
  public String toString() {
    return "ContainerCredentialsProvider";
  }
}
