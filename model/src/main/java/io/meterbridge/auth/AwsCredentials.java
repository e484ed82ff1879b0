package io.meterbridge.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An AWS access key pair, with the session token and expiry of temporary credentials.
 *
 * <p>{@link #toString()} never prints the secret key or the session token, so credentials are
 * safe to log by accident.
 *
 * <pre>{@code
 * AwsCredentials permanent = AwsCredentials.of("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
 * AwsCredentials temporary = AwsCredentials.session("ASIA...", "secret", "token", Instant.parse("2030-01-01T00:00:00Z"));
 * }</pre>
 *
 * @param accessKeyId the access key id, such as {@code AKIDEXAMPLE}
 * @param secretAccessKey the secret access key
 * @param sessionToken the session token of temporary credentials
 * @param expiration when temporary credentials stop working
 */
public record AwsCredentials(
    String accessKeyId,
    String secretAccessKey,
    Optional<String> sessionToken,
    Optional<Instant> expiration) {

  /** Checks the components. */
  public AwsCredentials {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    if (accessKeyId.isBlank()) {
      throw new IllegalArgumentException("accessKeyId is blank");
    }
    if (secretAccessKey.isBlank()) {
      throw new IllegalArgumentException("secretAccessKey is blank");
    }
    sessionToken = Objects.requireNonNullElse(sessionToken, Optional.<String>empty())
        .filter(token -> !token.isEmpty());
    expiration = Objects.requireNonNullElse(expiration, Optional.empty());
  }

  /** Long-term credentials: an access key id and its secret. */
  public static AwsCredentials of(String accessKeyId, String secretAccessKey) {
    return new AwsCredentials(accessKeyId, secretAccessKey, Optional.empty(), Optional.empty());
  }

  /** Temporary credentials with a session token and, when known, an expiry. */
  public static AwsCredentials session(
      String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {
    return new AwsCredentials(
        accessKeyId,
        secretAccessKey,
        Optional.of(Objects.requireNonNull(sessionToken, "sessionToken")),
        Optional.ofNullable(expiration));
  }

  /** Whether these credentials expire before {@code instant}. Permanent ones never do. */
  public boolean expiresBefore(Instant instant) {
    return expiration.map(e -> e.isBefore(instant)).orElse(false);
  }

  @Override
  public String toString() {
    return "AwsCredentials[accessKeyId=" + accessKeyId
        + ", secretAccessKey=***"
        + (sessionToken.isPresent() ? ", sessionToken=***" : "")
        + expiration.map(e -> ", expiration=" + e).orElse("")
        + "]";
  }
}
