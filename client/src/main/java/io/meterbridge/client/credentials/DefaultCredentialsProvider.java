package io.meterbridge.client.credentials;

import io.meterbridge.auth.AwsCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The AWS default credentials chain: the first source that has credentials wins and is
 * remembered for later calls.
 *
 * <ol>
 *   <li>system properties {@code aws.accessKeyId} / {@code aws.secretAccessKey} /
 *       {@code aws.sessionToken}, then environment variables {@code AWS_ACCESS_KEY_ID} /
 *       {@code AWS_SECRET_ACCESS_KEY} / {@code AWS_SESSION_TOKEN}
 *       ({@link EnvironmentCredentialsProvider});
 *   <li>web identity: {@code AWS_WEB_IDENTITY_TOKEN_FILE} and {@code AWS_ROLE_ARN}, which EKS IAM
 *       Roles for Service Accounts (IRSA) sets ({@link WebIdentityCredentialsProvider});
 *   <li>the shared files' profile ({@link ProfileCredentialsProvider});
 *   <li>the ECS / EKS container endpoint ({@link ContainerCredentialsProvider});
 *   <li>the EC2 instance metadata service ({@link InstanceProfileCredentialsProvider}).
 * </ol>
 *
 * <p>On EKS, use IRSA: AWS documents that EKS Pod Identity (which the container endpoint would
 * serve) is not supported for AWS Marketplace metering.
 *
 * <p>Once a source has answered, later calls go straight to it (and its cache); if it fails later
 * its error is thrown rather than falling back, so that credentials never silently switch
 * identity. When every source fails, the {@link CredentialsException} lists each one's reason.
 *
 * <pre>{@code
 * CredentialsProvider provider = DefaultCredentialsProvider.create();
 * AwsCredentials credentials = provider.resolveCredentials();
 * }</pre>
 */
public final class DefaultCredentialsProvider implements CredentialsProvider {

  private final List<CredentialsProvider> chain;
  private volatile CredentialsProvider chosen;

  private DefaultCredentialsProvider(List<CredentialsProvider> chain) {
    this.chain = List.copyOf(chain);
  }

  /**
   * The chain over this process's environment, system properties, home directory and network.
   *
   * <pre>{@code
   * CredentialsProvider provider = DefaultCredentialsProvider.create();
   * }</pre>
   */
  public static DefaultCredentialsProvider create() {
    return create(Environment.system());
  }

  static DefaultCredentialsProvider create(Environment environment) {
    Objects.requireNonNull(environment, "environment");
    return new DefaultCredentialsProvider(List.of(
        EnvironmentCredentialsProvider.create(environment),
        WebIdentityCredentialsProvider.create(environment),
        ProfileCredentialsProvider.create(environment),
        ContainerCredentialsProvider.create(environment),
        InstanceProfileCredentialsProvider.create(environment)));
  }

  /**
   * Returns credentials from the remembered source, or from the first source that has some.
   *
   * <pre>{@code
   * AwsCredentials credentials = DefaultCredentialsProvider.create().resolveCredentials();
   * }</pre>
   *
   * @throws CredentialsException if no source has credentials; its message lists each source
   *     and why it failed
   */
  @Override
  public AwsCredentials resolveCredentials() {
    CredentialsProvider remembered = chosen;
    if (remembered != null) {
      return remembered.resolveCredentials();
    }
    List<String> reasons = new ArrayList<>();
    for (CredentialsProvider provider : chain) {
      try {
        AwsCredentials credentials = provider.resolveCredentials();
        chosen = provider;
        return credentials;
      } catch (CredentialsException e) {
        reasons.add(provider + ": " + e.getMessage());
      }
    }
    throw new CredentialsException(
        "No AWS credentials found; tried, in order:\n  " + String.join("\n  ", reasons));
  }

  @Override
  public String toString() {
    return "DefaultCredentialsProvider" + chain;
  }
}
