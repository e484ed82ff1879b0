package io.meterbridge.client.credentials;

import io.meterbridge.auth.AwsCredentials;

/**
 * A source of AWS credentials for signing requests.
 *
 * <p>Implementations are thread-safe and may be called on every request: those that fetch
 * temporary credentials cache them and refresh them shortly before they expire.
 *
 * <pre>{@code
 * CredentialsProvider provider = DefaultCredentialsProvider.create();
 * AwsCredentials credentials = provider.resolveCredentials();
 * }</pre>
 */
@FunctionalInterface
public interface CredentialsProvider {

  /**
   * Returns credentials that are valid now.
   *
   * <pre>{@code
   * AwsCredentials credentials = ProfileCredentialsProvider.create("billing").resolveCredentials();
   * }</pre>
   *
   * @throws CredentialsException when this provider has no credentials to give; the message says
   *     why and never contains a secret
   */
  AwsCredentials resolveCredentials();
}
