package io.meterbridge.client.credentials;

import io.meterbridge.auth.AwsCredentials;
import java.util.Objects;
import java.util.Optional;

/**
 * A profile's {@code role_arn}: STS {@code AssumeRole} signed with the source profile's (or the
 * credential source's) credentials, cached and refreshed five minutes before expiry. The source
 * is asked on every refresh, so a source that refreshes itself (a role, a container) stays valid
 * along the chain.
 */
final class AssumeRoleCredentials implements CredentialsProvider {

  private final CredentialsProvider source;
  private final Sts sts;
  private final String roleArn;
  private final String sessionName;
  private final Optional<String> externalId;
  private final Optional<Integer> durationSeconds;
  private final String where;
  private final RefreshingCredentials cache;

  AssumeRoleCredentials(Environment environment, CredentialsProvider source, Sts sts,
      String roleArn, Optional<String> sessionName, Optional<String> externalId,
      Optional<Integer> durationSeconds, String where) {
    this.source = Objects.requireNonNull(source, "source");
    this.sts = sts;
    this.roleArn = roleArn;
    this.sessionName = sessionName.orElse(Sts.defaultSessionName(environment.clock()));
    this.externalId = externalId;
    this.durationSeconds = durationSeconds;
    this.where = where;
    this.cache = new RefreshingCredentials(this::fetch, environment.clock());
  }

  private AwsCredentials fetch() {
    AwsCredentials sourceCredentials;
    try {
      sourceCredentials = source.resolveCredentials();
    } catch (CredentialsException e) {
      throw new CredentialsException("The source credentials of role_arn in the " + where
          + " failed: " + e.getMessage(), e);
    }
    return sts.assumeRole(sourceCredentials, roleArn, sessionName, externalId, durationSeconds);
  }

  @Override
  public AwsCredentials resolveCredentials() {
    return cache.resolveCredentials();
  }

  @Override
  public String toString() {
    return "AssumeRole[" + roleArn + "]";
  }
}
