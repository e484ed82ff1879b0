package io.meterbridge.client.credentials;

import io.meterbridge.auth.AwsCredentials;
import java.util.Objects;

/**
 * Always returns the same credentials, for tests, tools and callers that manage keys themselves.
 *
 * <pre>{@code
 * CredentialsProvider provider =
 *     StaticCredentialsProvider.create(AwsCredentials.of("AKIDEXAMPLE", "secret"));
 * }</pre>
 */
public final class StaticCredentialsProvider implements CredentialsProvider {

  private final AwsCredentials credentials;

  private StaticCredentialsProvider(AwsCredentials credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
  }

  /**
   * A provider that returns {@code credentials} on every call, even after they expire.
   *
   * <pre>{@code
   * StaticCredentialsProvider.create(AwsCredentials.of("AKIDEXAMPLE", "secret"));
   * }</pre>
   */
  public static StaticCredentialsProvider create(AwsCredentials credentials) {
    return new StaticCredentialsProvider(credentials);
  }

  /**
   * Returns the credentials given to {@link #create}.
   *
   * <pre>{@code
   * AwsCredentials credentials = provider.resolveCredentials();
   * }</pre>
   */
  @Override
  public AwsCredentials resolveCredentials() {
    return credentials;
  }

  /** Names the access key id only; {@link AwsCredentials#toString()} masks the secrets. */
  @Override
  public String toString() {
    return "StaticCredentialsProvider[" + credentials + "]";
  }
}
