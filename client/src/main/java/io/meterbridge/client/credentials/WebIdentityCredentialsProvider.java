package io.meterbridge.client.credentials;

import io.meterbridge.auth.AwsCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials for a role assumed with a web identity token: what EKS IAM Roles for Service
 * Accounts (IRSA) sets up, and what metering from EKS must use (AWS documents that EKS Pod
 * Identity is not supported for AWS Marketplace metering).
 *
 * <p>Configured by {@code AWS_WEB_IDENTITY_TOKEN_FILE} and {@code AWS_ROLE_ARN}, with
 * {@code AWS_ROLE_SESSION_NAME} optional (system properties {@code aws.webIdentityTokenFile},
 * {@code aws.roleArn}, {@code aws.roleSessionName} first), or by a profile's
 * {@code web_identity_token_file}, {@code role_arn} and {@code role_session_name} (see
 * {@link ProfileCredentialsProvider}). The token file is read again on every refresh, because EKS
 * rotates it; the credentials come from STS {@code AssumeRoleWithWebIdentity} at the regional
 * endpoint of {@code AWS_REGION} (else the profile's region, else us-east-1), or at
 * {@code AWS_ENDPOINT_URL_STS}, and are cached and refreshed five minutes before they expire.
 *
 * <pre>{@code
 * // in a pod whose service account is annotated with eks.amazonaws.com/role-arn
 * MeteringClient client = MeteringClient.builder()
 *     .credentialsProvider(WebIdentityCredentialsProvider.create())
 *     .build();
 * }</pre>
 */
public final class WebIdentityCredentialsProvider implements CredentialsProvider {

  private final Environment environment;
  private final Optional<Settings> fixed;
  private volatile Fetcher fetcher;

  /** The file, role and session name, with the STS they go to. */
  record Settings(Path tokenFile, String roleArn, Optional<String> sessionName,
      Optional<String> region, Optional<Integer> durationSeconds, String source) {}

  private WebIdentityCredentialsProvider(Environment environment, Optional<Settings> fixed) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.fixed = fixed;
  }

  /**
   * A provider configured by this process's {@code AWS_WEB_IDENTITY_TOKEN_FILE},
   * {@code AWS_ROLE_ARN} and {@code AWS_ROLE_SESSION_NAME}, read when credentials are first needed.
   *
   * <pre>{@code
   * CredentialsProvider provider = WebIdentityCredentialsProvider.create();
   * }</pre>
   */
  public static WebIdentityCredentialsProvider create() {
    return new WebIdentityCredentialsProvider(Environment.system(), Optional.empty());
  }

  static WebIdentityCredentialsProvider create(Environment environment) {
    return new WebIdentityCredentialsProvider(environment, Optional.empty());
  }

  static WebIdentityCredentialsProvider create(Environment environment, Settings settings) {
    return new WebIdentityCredentialsProvider(environment, Optional.of(settings));
  }

  /**
   * Returns the role's credentials, assuming it when nothing is cached or the cached credentials
   * are about to expire.
   *
   * <pre>{@code
   * AwsCredentials credentials = WebIdentityCredentialsProvider.create().resolveCredentials();
   * }</pre>
   *
   * @throws CredentialsException if the variables are not set, the token file cannot be read, or
   *     STS refuses; the message names the variable, file, role or STS error
   */
  @Override
  public AwsCredentials resolveCredentials() {
    Fetcher f = fetcher;
    if (f == null) {
      synchronized (this) {
        f = fetcher;
        if (f == null) {
          f = new Fetcher(environment, fixed.isPresent() ? fixed.get() : fromEnvironment(environment));
          fetcher = f;
        }
      }
    }
    return f.cache.resolveCredentials();
  }

  private static Settings fromEnvironment(Environment environment) {
    Optional<String> file = environment.property("aws.webIdentityTokenFile")
        .or(() -> environment.variable("AWS_WEB_IDENTITY_TOKEN_FILE"));
    if (file.isEmpty()) {
      throw new CredentialsException("AWS_WEB_IDENTITY_TOKEN_FILE is not set");
    }
    String roleArn = environment.property("aws.roleArn")
        .or(() -> environment.variable("AWS_ROLE_ARN"))
        .orElseThrow(() -> new CredentialsException("AWS_WEB_IDENTITY_TOKEN_FILE is set but"
            + " AWS_ROLE_ARN is not; set it to the role the token may assume (on EKS, the"
            + " service account's eks.amazonaws.com/role-arn annotation sets both)"));
    Optional<String> session = environment.property("aws.roleSessionName")
        .or(() -> environment.variable("AWS_ROLE_SESSION_NAME"));
    return new Settings(environment.expandHome(file.get()), roleArn, session, Optional.empty(),
        Optional.empty(), "AWS_WEB_IDENTITY_TOKEN_FILE");
  }

  private static final class Fetcher {
    final Settings settings;
    final Sts sts;
    final RefreshingCredentials cache;
    final String sessionName;

    Fetcher(Environment environment, Settings settings) {
      this.settings = settings;
      this.sts = new Sts(environment, Sts.region(environment, settings.region()));
      this.sessionName = settings.sessionName().orElse(Sts.defaultSessionName(environment.clock()));
      this.cache = new RefreshingCredentials(this::fetch, environment.clock());
    }

    AwsCredentials fetch() {
      return sts.assumeRoleWithWebIdentity(settings.roleArn(), sessionName, token(),
          settings.durationSeconds());
    }

    private String token() {
      Path file = settings.tokenFile();
      try {
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
          throw new CredentialsException("The web identity token file " + file + " ("
              + settings.source() + ") is empty");
        }
        return token;
      } catch (NoSuchFileException e) {
        throw new CredentialsException("The web identity token file " + file + " ("
            + settings.source() + ") does not exist");
      } catch (IOException e) {
        throw new CredentialsException("Cannot read the web identity token file " + file + " ("
            + settings.source() + "): " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String toString() {
    return "WebIdentityCredentialsProvider";
  }
}
