package io.meterbridge.client.credentials;

import io.meterbridge.auth.AwsCredentials;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials from JVM system properties, then from environment variables.
 *
 * <ol>
 *   <li>System properties {@code aws.accessKeyId}, {@code aws.secretAccessKey} and optionally
 *       {@code aws.sessionToken}, as in the AWS SDK for Java.
 *   <li>Environment variables {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and
 *       optionally {@code AWS_SESSION_TOKEN}.
 * </ol>
 *
 * <p>The three values of one source are used together: a session token is never paired with a
 * key from the other source. Values are read on every call, so changes are seen at once.
 *
 * <pre>{@code
 * // export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=...
 * AwsCredentials credentials = EnvironmentCredentialsProvider.create().resolveCredentials();
 * }</pre>
 */
public final class EnvironmentCredentialsProvider implements CredentialsProvider {

  private final Environment environment;

  private EnvironmentCredentialsProvider(Environment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  /**
   * A provider reading this process's system properties and environment variables.
   *
   * <pre>{@code
   * CredentialsProvider provider = EnvironmentCredentialsProvider.create();
   * }</pre>
   */
  public static EnvironmentCredentialsProvider create() {
    return new EnvironmentCredentialsProvider(Environment.system());
  }

  static EnvironmentCredentialsProvider create(Environment environment) {
    return new EnvironmentCredentialsProvider(environment);
  }

  /**
   * Returns the credentials from the system properties if both keys are set there, else from the
   * environment variables.
   *
   * <pre>{@code
   * AwsCredentials credentials = EnvironmentCredentialsProvider.create().resolveCredentials();
   * }</pre>
   *
   * @throws CredentialsException if neither source has both an access key id and a secret key
   */
  @Override
  public AwsCredentials resolveCredentials() {
    Optional<AwsCredentials> fromProperties = credentials(
        environment.property("aws.accessKeyId"),
        environment.property("aws.secretAccessKey"),
        environment.property("aws.sessionToken"));
    if (fromProperties.isPresent()) {
      return fromProperties.get();
    }
    return credentials(
            environment.variable("AWS_ACCESS_KEY_ID"),
            environment.variable("AWS_SECRET_ACCESS_KEY"),
            environment.variable("AWS_SESSION_TOKEN"))
        .orElseThrow(() -> new CredentialsException(
            "Neither the system properties aws.accessKeyId and aws.secretAccessKey nor the"
                + " environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are both set"
                + describePartial()));
  }

  private static Optional<AwsCredentials> credentials(
      Optional<String> accessKeyId, Optional<String> secretAccessKey, Optional<String> token) {
    if (accessKeyId.isEmpty() || secretAccessKey.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new AwsCredentials(accessKeyId.get(), secretAccessKey.get(), token, Optional.empty()));
  }

  // A half-configured pair is the usual mistake; naming which half is set (never its value)
  // saves a round of guessing.
  private String describePartial() {
    StringBuilder partial = new StringBuilder();
    appendIfSet(partial, environment.property("aws.accessKeyId"), "aws.accessKeyId");
    appendIfSet(partial, environment.property("aws.secretAccessKey"), "aws.secretAccessKey");
    appendIfSet(partial, environment.variable("AWS_ACCESS_KEY_ID"), "AWS_ACCESS_KEY_ID");
    appendIfSet(partial, environment.variable("AWS_SECRET_ACCESS_KEY"), "AWS_SECRET_ACCESS_KEY");
    return partial.length() == 0 ? "" : " (half set: " + partial + ")";
  }

  private static void appendIfSet(StringBuilder out, Optional<String> value, String name) {
    if (value.isPresent()) {
      out.append(out.length() == 0 ? "" : ", ").append(name);
    }
  }

  @Override
  public String toString() {
    return "EnvironmentCredentialsProvider";
  }
}
