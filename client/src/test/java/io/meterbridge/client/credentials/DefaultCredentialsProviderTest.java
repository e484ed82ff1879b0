package io.meterbridge.client.credentials;

import static io.meterbridge.client.credentials.ScriptedServer.credentialsJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.client.credentials.ScriptedServer.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultCredentialsProviderTest {

  private static final Instant EXPIRY = Instant.now().plus(Duration.ofHours(6));

  @TempDir Path home;

  private final ScriptedServer server = ScriptedServer.start();
  private final Map<String, String> variables = new HashMap<>();
  private final Map<String, String> properties = new HashMap<>();

  @BeforeEach
  void isolateFromTheMachine() {
    // Never reach the real IMDS or container endpoint from a test run.
    variables.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.uri().toString());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private DefaultCredentialsProvider chain() {
    return DefaultCredentialsProvider.create(
        Environment.of(variables, properties, home).withContainerHost(server.uri()));
  }

  private void writeCredentials(String text) throws IOException {
    Files.createDirectories(home.resolve(".aws"));
    Files.writeString(home.resolve(".aws/credentials"), text);
  }

  private void scriptImds(String accessKeyId) {
    server.on("PUT", "/latest/api/token", Reply.ok("tok"));
    server.on("GET", "/latest/meta-data/iam/security-credentials/", Reply.ok("role"));
    server.on("GET", "/latest/meta-data/iam/security-credentials/role",
        Reply.ok(credentialsJson(accessKeyId, "s", "t", EXPIRY)));
  }

  @Test
  void chain_systemPropertiesBeatEnvironmentAndProfile() throws IOException {
    properties.put("aws.accessKeyId", "AKIDPROP");
    properties.put("aws.secretAccessKey", "p");
    variables.put("AWS_ACCESS_KEY_ID", "AKIDENV");
    variables.put("AWS_SECRET_ACCESS_KEY", "e");
    writeCredentials("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = f\n");

    assertThat(chain().resolveCredentials().accessKeyId()).isEqualTo("AKIDPROP");
  }

  @Test
  void chain_environmentBeatsProfile() throws IOException {
    variables.put("AWS_ACCESS_KEY_ID", "AKIDENV");
    variables.put("AWS_SECRET_ACCESS_KEY", "e");
    writeCredentials("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = f\n");

    assertThat(chain().resolveCredentials().accessKeyId()).isEqualTo("AKIDENV");
  }

  @Test
  void chain_profileBeatsContainerAndInstance() throws IOException {
    writeCredentials("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = f\n");
    variables.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds");
    server.on("GET", "/creds", Reply.ok(credentialsJson("ASIAECS", "s", "t", EXPIRY)));
    scriptImds("ASIAEC2");

    assertThat(chain().resolveCredentials().accessKeyId()).isEqualTo("AKIDFILE");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void chain_containerBeatsInstance() {
    variables.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds");
    server.on("GET", "/creds", Reply.ok(credentialsJson("ASIAECS", "s", "t", EXPIRY)));
    scriptImds("ASIAEC2");

    assertThat(chain().resolveCredentials().accessKeyId()).isEqualTo("ASIAECS");
  }

  @Test
  void chain_onlyInstanceProfile_usesIt() {
    scriptImds("ASIAEC2");

    assertThat(chain().resolveCredentials().accessKeyId()).isEqualTo("ASIAEC2");
  }

  @Test
  void chain_rememberTheProviderThatAnswered() throws IOException {
    scriptImds("ASIAEC2");
    DefaultCredentialsProvider chain = chain();
    chain.resolveCredentials();

    // Environment credentials appearing later do not switch identity under a running client.
    variables.put("AWS_ACCESS_KEY_ID", "AKIDENV");
    variables.put("AWS_SECRET_ACCESS_KEY", "e");

    assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("ASIAEC2");
  }

  @Test
  void chain_allFail_listsEveryReasonInOrderWithoutSecrets() {
    variables.put("AWS_SECRET_ACCESS_KEY", "half-set-secret");
    variables.put("AWS_EC2_METADATA_DISABLED", "true");

    assertThatThrownBy(() -> chain().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessage("No AWS credentials found; tried, in order:\n"
            + "  EnvironmentCredentialsProvider: Neither the system properties aws.accessKeyId and"
            + " aws.secretAccessKey nor the environment variables AWS_ACCESS_KEY_ID and"
            + " AWS_SECRET_ACCESS_KEY are both set (half set: AWS_SECRET_ACCESS_KEY)\n"
            + "  WebIdentityCredentialsProvider: AWS_WEB_IDENTITY_TOKEN_FILE is not set\n"
            + "  ProfileCredentialsProvider: No profile 'default' in "
            + home.resolve(".aws/credentials") + " or " + home.resolve(".aws/config") + "\n"
            + "  ContainerCredentialsProvider: Neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor"
            + " AWS_CONTAINER_CREDENTIALS_FULL_URI is set\n"
            + "  InstanceProfileCredentialsProvider: IMDS is disabled by AWS_EC2_METADATA_DISABLED")
        .message().doesNotContain("half-set-secret");
  }

  @Test
  void chain_failsThenSucceeds_triesAgainOnTheNextCall() {
    variables.put("AWS_EC2_METADATA_DISABLED", "true");
    DefaultCredentialsProvider chain = chain();
    assertThatThrownBy(chain::resolveCredentials).isInstanceOf(CredentialsException.class);

    variables.put("AWS_ACCESS_KEY_ID", "AKIDENV");
    variables.put("AWS_SECRET_ACCESS_KEY", "e");

    assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("AKIDENV");
  }

  @Test
  void chain_toString_listsProvidersWithoutSecrets() {
    variables.put("AWS_ACCESS_KEY_ID", "AKIDENV");
    variables.put("AWS_SECRET_ACCESS_KEY", "env-secret");

    assertThat(chain()).hasToString("DefaultCredentialsProvider[EnvironmentCredentialsProvider,"
        + " WebIdentityCredentialsProvider, ProfileCredentialsProvider, ContainerCredentialsProvider,"
        + " InstanceProfileCredentialsProvider]");
  }
}
