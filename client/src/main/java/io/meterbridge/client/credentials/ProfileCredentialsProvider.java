package io.meterbridge.client.credentials;

import io.meterbridge.auth.AwsCredentials;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials from a profile of the shared AWS files, {@code ~/.aws/credentials} and
 * {@code ~/.aws/config}.
 *
 * <p>The files are those named by {@code AWS_SHARED_CREDENTIALS_FILE} and {@code AWS_CONFIG_FILE}
 * when set; the profile is the one given to {@link #create(String)}, else the system property
 * {@code aws.profile}, else {@code AWS_PROFILE}, else {@code default}. Profiles are
 * {@code [name]} in the credentials file and {@code [profile name]} in the config file; when a
 * profile is in both, each property of the credentials file wins.
 *
 * <p>Supported: static keys ({@code aws_access_key_id}, {@code aws_secret_access_key}, optional
 * {@code aws_session_token}) and {@code credential_process} (a command printing
 * {@code {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}},
 * cached until shortly before its expiry).
 *
 * <p>Out of scope, reported as such rather than silently skipped: role assumption
 * ({@code role_arn}, {@code source_profile}, {@code credential_source}), web identity
 * ({@code web_identity_token_file}) and IAM Identity Center / SSO ({@code sso_*}). All need the
 * STS or SSO APIs, which this SDK does not carry. Workaround: a {@code credential_process} such as
 * {@code aws configure export-credentials --profile x --format process}.
 *
 * <p>The files are read on the first call and the outcome is kept; a failed load is retried on the
 * next call.
 *
 * <pre>{@code
 * // ~/.aws/credentials:
 * // [billing]
 * // aws_access_key_id = AKIDEXAMPLE
 * // aws_secret_access_key = ...
 * AwsCredentials credentials = ProfileCredentialsProvider.create("billing").resolveCredentials();
 * }</pre>
 */
public final class ProfileCredentialsProvider implements CredentialsProvider {

  private final Environment environment;
  private final Optional<String> profileName;
  private volatile CredentialsProvider loaded;

  private ProfileCredentialsProvider(Environment environment, Optional<String> profileName) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.profileName = profileName;
  }

  /**
   * A provider for the profile named by {@code aws.profile} or {@code AWS_PROFILE}, else
   * {@code default}.
   *
   * <pre>{@code
   * CredentialsProvider provider = ProfileCredentialsProvider.create();
   * }</pre>
   */
  public static ProfileCredentialsProvider create() {
    return new ProfileCredentialsProvider(Environment.system(), Optional.empty());
  }

  /**
   * A provider for the named profile, whatever {@code AWS_PROFILE} says.
   *
   * <pre>{@code
   * CredentialsProvider provider = ProfileCredentialsProvider.create("billing");
   * }</pre>
   */
  public static ProfileCredentialsProvider create(String profileName) {
    return new ProfileCredentialsProvider(
        Environment.system(), Optional.of(requireName(profileName)));
  }

  static ProfileCredentialsProvider create(Environment environment) {
    return new ProfileCredentialsProvider(environment, Optional.empty());
  }

  static ProfileCredentialsProvider create(Environment environment, String profileName) {
    return new ProfileCredentialsProvider(environment, Optional.of(requireName(profileName)));
  }

  /**
   * Returns the profile's credentials.
   *
   * <pre>{@code
   * AwsCredentials credentials = ProfileCredentialsProvider.create().resolveCredentials();
   * }</pre>
   *
   * @throws CredentialsException if the profile is absent from both files, lacks keys, uses an
   *     unsupported mechanism, or its {@code credential_process} fails; the message names the
   *     files and the profile
   */
  @Override
  public AwsCredentials resolveCredentials() {
    CredentialsProvider provider = loaded;
    if (provider == null) {
      synchronized (this) {
        provider = loaded;
        if (provider == null) {
          provider = load();
          loaded = provider;
        }
      }
    }
    return provider.resolveCredentials();
  }

  private CredentialsProvider load() {
    String name = profileName.orElseGet(() -> ProfileFile.profileName(environment));
    ProfileFile files = ProfileFile.load(environment);
    String where = files.describe(name);
    Map<String, String> profile = files.profile(name)
        .orElseThrow(() -> new CredentialsException("No " + where));
    String roleArn = profile.getOrDefault("role_arn", "");
    String tokenFile = profile.getOrDefault("web_identity_token_file", "");
    if (!tokenFile.isEmpty()) {
      if (roleArn.isEmpty()) {
        throw new CredentialsException("The " + where + " has web_identity_token_file but no"
            + " role_arn; add the role the token may assume");
      }
      return WebIdentityCredentialsProvider.create(environment,
          new WebIdentityCredentialsProvider.Settings(environment.expandHome(tokenFile), roleArn,
              optional(profile, "role_session_name"), optional(profile, "region"),
              durationSeconds(profile, where), "web_identity_token_file of " + where));
    }
    for (String unsupported : new String[] {"role_arn", "sso_session", "sso_start_url"}) {
      if (profile.containsKey(unsupported)) {
        throw new CredentialsException("The " + where + " uses " + unsupported
            + ", which this SDK does not support (no role assumption, web identity or SSO);"
            + " use static keys or credential_process");
      }
    }
    String process = profile.get("credential_process");
    if (process != null && !process.isEmpty()) {
      return new ProcessCredentialsProvider(process, where, environment);
    }
    String accessKeyId = profile.getOrDefault("aws_access_key_id", "");
    String secretAccessKey = profile.getOrDefault("aws_secret_access_key", "");
    if (accessKeyId.isEmpty() || secretAccessKey.isEmpty()) {
      throw new CredentialsException("The " + where + " has no "
          + (accessKeyId.isEmpty() ? "aws_access_key_id" : "aws_secret_access_key"));
    }
    AwsCredentials credentials = new AwsCredentials(
        accessKeyId,
        secretAccessKey,
        Optional.ofNullable(profile.get("aws_session_token")),
        Optional.empty());
    return StaticCredentialsProvider.create(credentials);
  }

  private static Optional<String> optional(Map<String, String> profile, String key) {
    return Optional.ofNullable(profile.get(key)).map(String::strip).filter(v -> !v.isEmpty());
  }

  /** {@code duration_seconds}: STS accepts 900 up to the role's maximum (at most 43200). */
  static Optional<Integer> durationSeconds(Map<String, String> profile, String where) {
    Optional<String> text = optional(profile, "duration_seconds");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      int seconds = Integer.parseInt(text.get());
      if (seconds >= 900 && seconds <= 43200) {
        return Optional.of(seconds);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CredentialsException("The " + where + " has duration_seconds = " + text.get()
        + "; use a whole number of seconds from 900 to 43200 (and at most the role's maximum"
        + " session duration)");
  }

  private static String requireName(String profileName) {
    Objects.requireNonNull(profileName, "profileName");
    if (profileName.isBlank()) {
      throw new IllegalArgumentException("profileName is blank");
    }
    return profileName.strip();
  }

  @Override
  public String toString() {
    return "ProfileCredentialsProvider" + profileName.map(n -> "[" + n + "]").orElse("");
  }
}
