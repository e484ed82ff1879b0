package io.meterbridge.client.credentials;

import io.meterbridge.auth.AwsCredentials;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 * <p>Supported, in this order of precedence within a profile:
 *
 * <ul>
 *   <li>{@code web_identity_token_file} with {@code role_arn} (and {@code role_session_name},
 *       {@code duration_seconds}): STS {@code AssumeRoleWithWebIdentity};
 *   <li>{@code role_arn} with {@code source_profile} (another profile, which may itself assume a
 *       role: chains are followed, loops refused) or {@code credential_source}
 *       ({@code Environment}, {@code Ec2InstanceMetadata}, {@code EcsContainer}); with
 *       {@code external_id}, {@code role_session_name}, {@code duration_seconds}: STS
 *       {@code AssumeRole} signed with the source's credentials, refreshed before expiry.
 *       {@code mfa_serial} is refused: a metering client cannot ask for a code;
 *   <li>{@code sso_session} (or legacy {@code sso_start_url}) with {@code sso_account_id} and
 *       {@code sso_role_name}: IAM Identity Center, with the token {@code aws sso login} cached;
 *   <li>{@code credential_process} (a command printing
 *       {@code {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}},
 *       cached until shortly before its expiry);
 *   <li>static keys ({@code aws_access_key_id}, {@code aws_secret_access_key}, optional
 *       {@code aws_session_token}).
 * </ul>
 *
 * <p>STS is called at the regional endpoint of the profile's {@code region} (see
 * {@link WebIdentityCredentialsProvider}).
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
    return providerFor(name, files, new LinkedHashSet<>());
  }

  /** The provider for one profile; {@code chain} holds the profiles that led here, for loops. */
  private CredentialsProvider providerFor(String name, ProfileFile files, Set<String> chain) {
    String where = files.describe(name);
    Map<String, String> profile = files.profile(name)
        .orElseThrow(() -> new CredentialsException("No " + where
            + (chain.isEmpty() ? "" : " (the source_profile of " + String.join(" -> ", chain) + ")")));
    chain.add(name);
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
    if (!roleArn.isEmpty()) {
      return assumeRole(name, profile, files, chain, roleArn, where);
    }
    if (!profile.getOrDefault("sso_session", "").isEmpty()
        || !profile.getOrDefault("sso_start_url", "").isEmpty()) {
      return new SsoCredentials(environment, files, name, profile);
    }
    return basic(profile, where);
  }

  private CredentialsProvider assumeRole(String name, Map<String, String> profile,
      ProfileFile files, Set<String> chain, String roleArn, String where) {
    if (optional(profile, "mfa_serial").isPresent()) {
      throw new CredentialsException("The " + where + " sets mfa_serial: assuming its role needs"
          + " an MFA code typed in, which a metering client cannot ask for. Use a role without"
          + " MFA, or credential_process = aws configure export-credentials --profile " + name
          + " --format process after an interactive login");
    }
    Optional<String> sourceProfile = optional(profile, "source_profile");
    Optional<String> credentialSource = optional(profile, "credential_source");
    if (sourceProfile.isPresent() && credentialSource.isPresent()) {
      throw new CredentialsException("The " + where + " sets both source_profile and"
          + " credential_source; keep one");
    }
    CredentialsProvider source;
    if (sourceProfile.isPresent()) {
      String next = sourceProfile.get();
      if (next.equals(name)) {
        // A profile that is its own source uses its own keys, as in the AWS CLI and SDKs.
        source = basic(profile, where);
      } else if (chain.contains(next)) {
        throw new CredentialsException("The source_profile chain " + String.join(" -> ", chain)
            + " -> " + next + " loops; end it at a profile with keys or credential_source");
      } else {
        source = providerFor(next, files, chain);
      }
    } else if (credentialSource.isPresent()) {
      source = switch (credentialSource.get()) {
        case "Environment" -> EnvironmentCredentialsProvider.create(environment);
        case "Ec2InstanceMetadata" -> InstanceProfileCredentialsProvider.create(environment);
        case "EcsContainer" -> ContainerCredentialsProvider.create(environment);
        default -> throw new CredentialsException("The " + where + " has credential_source = "
            + credentialSource.get() + "; use Environment, Ec2InstanceMetadata or EcsContainer");
      };
    } else {
      throw new CredentialsException("The " + where + " has role_arn but neither source_profile"
          + " nor credential_source; add the one whose credentials may assume the role");
    }
    Sts sts = new Sts(environment, Sts.region(environment, optional(profile, "region")));
    return new AssumeRoleCredentials(environment, source, sts, roleArn,
        optional(profile, "role_session_name"), optional(profile, "external_id"),
        durationSeconds(profile, where), where);
  }

  private CredentialsProvider basic(Map<String, String> profile, String where) {
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
