package io.meterbridge.client.credentials;

import static io.meterbridge.client.credentials.ScriptedServer.credentialsJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.credentials.ScriptedServer.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceProfileCredentialsProviderTest {

  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Instant EXPIRY = NOW.plus(Duration.ofHours(6));
  private static final String TOKEN = "/latest/api/token";
  private static final String ROLES = "/latest/meta-data/iam/security-credentials/";
  private static final String ROLE = ROLES + "meterbridge-role";

  @TempDir Path home;

  private final ScriptedServer imds = ScriptedServer.start();
  private final MutableClock clock = new MutableClock(NOW);
  private final Map<String, String> variables = new HashMap<>();

  @BeforeEach
  void pointAtFake() {
    variables.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.uri().toString());
  }

  @AfterEach
  void stop() {
    imds.close();
  }

  private InstanceProfileCredentialsProvider provider() {
    return InstanceProfileCredentialsProvider.create(
        Environment.of(variables, Map.of(), home).withClock(clock));
  }

  private void scriptHealthyInstance() {
    imds.on("PUT", TOKEN, Reply.ok("imds-session-token"));
    imds.on("GET", ROLES, Reply.ok("meterbridge-role\n"));
    imds.on("GET", ROLE, Reply.ok(credentialsJson("ASIAEC2", "ec2-secret", "ec2-token", EXPIRY)));
  }

  @Test
  void instanceProvider_imdsV2_putsForATokenThenSendsItOnEveryGet() {
    scriptHealthyInstance();

    AwsCredentials credentials = provider().resolveCredentials();

    assertThat(credentials.accessKeyId()).isEqualTo("ASIAEC2");
    assertThat(credentials.secretAccessKey()).isEqualTo("ec2-secret");
    assertThat(credentials.sessionToken()).contains("ec2-token");
    assertThat(credentials.expiration()).contains(EXPIRY);
    assertThat(imds.requests()).extracting(r -> r.method() + " " + r.path())
        .containsExactly("PUT " + TOKEN, "GET " + ROLES, "GET " + ROLE);
    assertThat(imds.requests().get(0).header("X-aws-ec2-metadata-token-ttl-seconds"))
        .isEqualTo("21600");
    assertThat(imds.requests().subList(1, 3))
        .allSatisfy(r -> assertThat(r.header("X-aws-ec2-metadata-token"))
            .isEqualTo("imds-session-token"));
  }

  @Test
  void instanceProvider_tokenRequestForbidden_fallsBackToImdsV1() {
    imds.on("PUT", TOKEN, Reply.status(403));
    imds.on("GET", ROLES, Reply.ok("meterbridge-role"));
    imds.on("GET", ROLE, Reply.ok(credentialsJson("ASIAV1", "s", "t", EXPIRY)));

    assertThat(provider().resolveCredentials().accessKeyId()).isEqualTo("ASIAV1");
    assertThat(imds.requests(("GET"), ROLE).get(0).header("X-aws-ec2-metadata-token")).isNull();
  }

  @Test
  void instanceProvider_v1Disabled_failsInsteadOfFallingBack() {
    imds.on("PUT", TOKEN, Reply.status(405));
    variables.put("AWS_EC2_METADATA_V1_DISABLED", "true");

    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessage("IMDS at " + imds.uri() + " answered HTTP 405 to the IMDSv2 token request"
            + " and IMDSv1 is disabled by AWS_EC2_METADATA_V1_DISABLED");
    assertThat(imds.requests()).hasSize(1);
  }

  @Test
  void instanceProvider_tokenRequestServerError_doesNotFallBack() {
    imds.on("PUT", TOKEN, Reply.status(500));

    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessage("IMDS at " + imds.uri() + " answered HTTP 500 to the IMDSv2 token request");
  }

  @Test
  void instanceProvider_noRole_saysTheInstanceHasNoRole() {
    imds.on("PUT", TOKEN, Reply.ok("tok"));
    imds.on("GET", ROLES, Reply.status(404));

    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessage("IMDS at " + imds.uri() + " has no IAM role for this instance");
  }

  @Test
  void instanceProvider_codeOtherThanSuccess_isAnError() {
    imds.on("PUT", TOKEN, Reply.ok("tok"));
    imds.on("GET", ROLES, Reply.ok("meterbridge-role"));
    imds.on("GET", ROLE, Reply.ok("{\"Code\":\"AssumeRoleUnauthorizedAccess\"}"));

    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessage("IMDS at " + imds.uri() + " answered Code AssumeRoleUnauthorizedAccess for"
            + " the credentials of role meterbridge-role");
  }

  @Test
  void instanceProvider_disabled_makesNoRequest() {
    variables.put("AWS_EC2_METADATA_DISABLED", "TRUE");

    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessage("IMDS is disabled by AWS_EC2_METADATA_DISABLED");
    assertThat(imds.requests()).isEmpty();
  }

  @Test
  void instanceProvider_notOnEc2_failsFast() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    variables.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + closedPort);

    long start = System.nanoTime();
    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessageStartingWith("Cannot reach http://127.0.0.1:" + closedPort);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void instanceProvider_silentEndpoint_timesOutWithinTheReadTimeout() {
    imds.on("PUT", TOKEN, Reply.ok("tok").after(Duration.ofSeconds(5)));
    InstanceProfileCredentialsProvider provider = InstanceProfileCredentialsProvider.create(
        Environment.of(variables, Map.of(), home)
            .withTimeouts(Duration.ofMillis(200), Duration.ofMillis(300)));

    long start = System.nanoTime();
    assertThatThrownBy(provider::resolveCredentials)
        .isInstanceOf(CredentialsException.class)
        .hasMessageStartingWith("Timed out calling " + imds.uri());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void instanceProvider_expiryApproaches_refreshesWithAFreshToken() {
    imds.on("PUT", TOKEN, Reply.ok("token-1"), Reply.ok("token-2"));
    imds.on("GET", ROLES, Reply.ok("meterbridge-role"));
    imds.on("GET", ROLE,
        Reply.ok(credentialsJson("ASIAONE", "s", "t", EXPIRY)),
        Reply.ok(credentialsJson("ASIATWO", "s", "t", EXPIRY.plus(Duration.ofHours(6)))));
    InstanceProfileCredentialsProvider provider = provider();

    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIAONE");
    clock.advance(Duration.ofHours(5).plusMinutes(50));
    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIAONE");
    assertThat(imds.requests()).hasSize(3);

    clock.advance(Duration.ofMinutes(6)); // 4 minutes left
    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIATWO");
    assertThat(imds.requests("GET", ROLE)).extracting(r -> r.header("X-aws-ec2-metadata-token"))
        .containsExactly("token-1", "token-2");
  }

  @Test
  void instanceProvider_roleNameWithSpecialCharacters_isPathEncoded() {
    imds.on("PUT", TOKEN, Reply.ok("tok"));
    imds.on("GET", ROLES, Reply.ok("role with+plus"));
    imds.on("GET", ROLES + "role%20with%2Bplus",
        Reply.ok(credentialsJson("ASIAENC", "s", "t", EXPIRY)));

    assertThat(provider().resolveCredentials().accessKeyId()).isEqualTo("ASIAENC");
  }

  @Test
  void instanceProvider_failureMessages_neverContainTheSessionTokenOrSecrets() {
    imds.on("PUT", TOKEN, Reply.ok("imds-session-token"));
    imds.on("GET", ROLES, Reply.ok("meterbridge-role"));
    imds.on("GET", ROLE, Reply.ok("{\"AccessKeyId\":\"ASIA\",\"Token\":\"leaked-token\"}"));

    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .message()
        .contains("has no SecretAccessKey")
        .doesNotContain("imds-session-token")
        .doesNotContain("leaked-token");
  }
}
