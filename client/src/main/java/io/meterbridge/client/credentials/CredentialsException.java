package io.meterbridge.client.credentials;

import io.meterbridge.exception.MeteringClientException;

/**
 * Thrown when a {@link CredentialsProvider} cannot supply credentials, or no region is
 * configured.
 *
 * <p>Messages name the source that was tried (a variable, a file and profile, an endpoint) and
 * the reason; they never contain a secret key or session token.
 *
 * <pre>{@code
 * try {
 *   provider.resolveCredentials();
 * } catch (CredentialsException e) {
 *   System.err.println("Cannot sign requests: " + e.getMessage());
 * }
 * }</pre>
 */
public class CredentialsException extends MeteringClientException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message that must not contain secrets.
   *
   * <pre>{@code
   * throw new CredentialsException("AWS_ACCESS_KEY_ID is not set");
   * }</pre>
   */
  public CredentialsException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause, such as the I/O error from a credentials endpoint.
   *
   * <pre>{@code
   * throw new CredentialsException("Cannot read /home/me/.aws/credentials", ioException);
   * }</pre>
   */
  public CredentialsException(String message, Throwable cause) {
    super(message, cause);
  }
}
