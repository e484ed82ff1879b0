package io.meterbridge.client.internal;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.credentials.CredentialsProvider;
import io.meterbridge.exception.MeteringClientException;
import java.util.Optional;

/**
 * TEMPORARY default region and credentials: the environment variables only, until the credentials
 * branch (with {@code DefaultCredentialsProvider} and the region chain: environment, system
 * properties, profiles, container and instance metadata) lands on main.
 */
public final class PlaceholderDefaults {
  private PlaceholderDefaults() {}

  /** {@code AWS_REGION}, then {@code AWS_DEFAULT_REGION}, then the {@code aws.region} property. */
  public static Optional<String> region() {
    return env("AWS_REGION").or(() -> env("AWS_DEFAULT_REGION"))
        .or(() -> Optional.ofNullable(System.getProperty("aws.region")).filter(s -> !s.isBlank()));
  }

  /** {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}. */
  public static CredentialsProvider credentials() {
    return new CredentialsProvider() {
      @Override
      public AwsCredentials resolveCredentials() {
        String id = env("AWS_ACCESS_KEY_ID").orElseThrow(() -> missing("AWS_ACCESS_KEY_ID"));
        String secret = env("AWS_SECRET_ACCESS_KEY").orElseThrow(() -> missing("AWS_SECRET_ACCESS_KEY"));
        return env("AWS_SESSION_TOKEN").map(token -> AwsCredentials.session(id, secret, token, null))
            .orElseGet(() -> AwsCredentials.of(id, secret));
      }

      @Override
      public String toString() {
        return "environment credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN)";
      }
    };
  }

  private static MeteringClientException missing(String name) {
    return new MeteringClientException("No credentials: " + name + " is not set; pass "
        + "credentialsProvider(...) to the client builder or set the AWS_* environment variables");
  }

  private static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).filter(s -> !s.isBlank());
  }
}
