package io.meterbridge.client.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.auth.SigV4Authorization;
import io.meterbridge.auth.SigV4Verification;
import io.meterbridge.auth.SigV4Verifier;
import io.meterbridge.auth.SignableRequest;
import io.meterbridge.client.credentials.ScriptedServer.Reply;
import io.meterbridge.client.credentials.ScriptedServer.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Roles (AssumeRole, chains) and IAM Identity Center profiles, against a loopback STS and portal. */
class RoleAndSsoCredentialsTest {

  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Instant EXPIRY = NOW.plus(Duration.ofHours(1));
  private static final String ROLE = "arn:aws:iam::123456789012:role/metering";

  @TempDir Path home;

  private final ScriptedServer server = ScriptedServer.start();
  private final MutableClock clock = new MutableClock(NOW);
  private final Map<String, String> variables = new HashMap<>();

  @BeforeEach
  void loopback() {
    variables.put("AWS_ENDPOINT_URL_STS", server.uri().toString());
    variables.put("AWS_ENDPOINT_URL_SSO", server.uri().toString());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void config(String text) throws IOException {
    Files.createDirectories(home.resolve(".aws"));
    Files.writeString(home.resolve(".aws/config"), text);
  }

  private AwsCredentials resolve(String profile) {
    return ProfileCredentialsProvider.create(
        Environment.of(variables, Map.of(), home).withClock(clock), profile).resolveCredentials();
  }

  private static String assumed(String accessKeyId, String token, Instant expiry) {
    return StsXml.credentials("AssumeRole", accessKeyId, "secret-of-" + accessKeyId, token, expiry);
  }

  /** Checks the request's SigV4 signature as STS would, with the secret we expect it signed with. */
  private static SigV4Verification verify(Request request, String secret, String region) {
    SignableRequest.Builder signable = SignableRequest.builder().method("POST").path(request.path())
        .body(request.body().getBytes(StandardCharsets.UTF_8));
    request.headers().forEach(signable::header);
    return SigV4Verifier.builder().service("sts").region(region).build().verify(signable.build(),
        SigV4Authorization.parse(request.header("Authorization")), secret, NOW);
  }

  @Test
  void role_sourceProfileWithKeys_assumeRoleSignedWithThoseKeys() throws IOException {
    config("""
        [profile base]
        aws_access_key_id = AKIDBASE
        aws_secret_access_key = base-secret
        [profile metering]
        role_arn = arn:aws:iam::123456789012:role/metering
        source_profile = base
        external_id = seller-7
        duration_seconds = 3600
        role_session_name = billing-job
        region = eu-west-1
        """);
    server.on("POST", "/", Reply.ok(assumed("ASIAROLE", "role-token", EXPIRY)));

    AwsCredentials credentials = resolve("metering");

    assertThat(credentials).isEqualTo(new AwsCredentials("ASIAROLE", "secret-of-ASIAROLE",
        Optional.of("role-token"), Optional.of(EXPIRY)));
    Request request = server.requests().get(0);
    assertThat(request.form("Action")).isEqualTo("AssumeRole");
    assertThat(request.form("RoleArn")).isEqualTo(ROLE);
    assertThat(request.form("ExternalId")).isEqualTo("seller-7");
    assertThat(request.form("DurationSeconds")).isEqualTo("3600");
    assertThat(request.form("RoleSessionName")).isEqualTo("billing-job");
    assertThat(request.header("Authorization")).contains("Credential=AKIDBASE/20300101/eu-west-1/sts/");
    assertThat(verify(request, "base-secret", "eu-west-1").isValid()).isTrue();
  }

  @Test
  void role_chain_eachHopSignedWithThePreviousHopsCredentials() throws IOException {
    config("""
        [profile root]
        aws_access_key_id = AKIDROOT
        aws_secret_access_key = root-secret
        [profile hop]
        role_arn = arn:aws:iam::111111111111:role/hop
        source_profile = root
        [profile metering]
        role_arn = arn:aws:iam::123456789012:role/metering
        source_profile = hop
        """);
    server.on("POST", "/",
        Reply.ok(assumed("ASIAHOP", "hop-token", EXPIRY)),
        Reply.ok(assumed("ASIAFINAL", "final-token", EXPIRY)));

    assertThat(resolve("metering").accessKeyId()).isEqualTo("ASIAFINAL");

    Request first = server.requests().get(0);
    Request second = server.requests().get(1);
    assertThat(first.form("RoleArn")).isEqualTo("arn:aws:iam::111111111111:role/hop");
    assertThat(verify(first, "root-secret", "us-east-1").isValid()).isTrue();
    assertThat(second.form("RoleArn")).isEqualTo(ROLE);
    assertThat(second.header("X-Amz-Security-Token")).isEqualTo("hop-token");
    assertThat(verify(second, "secret-of-ASIAHOP", "us-east-1").isValid()).isTrue();
  }

  @Test
  void role_sourceProfileIsItself_usesItsOwnKeys() throws IOException {
    config("""
        [profile self]
        aws_access_key_id = AKIDSELF
        aws_secret_access_key = self-secret
        role_arn = arn:aws:iam::123456789012:role/metering
        source_profile = self
        """);
    server.on("POST", "/", Reply.ok(assumed("ASIASELF", "t", EXPIRY)));

    assertThat(resolve("self").accessKeyId()).isEqualTo("ASIASELF");
    assertThat(verify(server.requests().get(0), "self-secret", "us-east-1").isValid()).isTrue();
  }

  @Test
  void role_loop_isRefused() throws IOException {
    config("""
        [profile a]
        role_arn = arn:aws:iam::123456789012:role/a
        source_profile = b
        [profile b]
        role_arn = arn:aws:iam::123456789012:role/b
        source_profile = a
        """);

    assertThatThrownBy(() -> resolve("a"))
        .isInstanceOf(CredentialsException.class)
        .hasMessage("The source_profile chain a -> b -> a loops; end it at a profile with keys or"
            + " credential_source");
  }

  @Test
  void role_mfaSerial_isRefusedWithAWayOut() throws IOException {
    config("""
        [profile admin]
        role_arn = arn:aws:iam::123456789012:role/admin
        source_profile = base
        mfa_serial = arn:aws:iam::123456789012:mfa/me
        """);

    assertThatThrownBy(() -> resolve("admin"))
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("sets mfa_serial: assuming its role needs an MFA code typed in")
        .hasMessageContaining("aws configure export-credentials --profile admin");
  }

  @Test
  void role_credentialSourceEnvironment_signsWithTheVariables() throws IOException {
    config("""
        [profile metering]
        role_arn = arn:aws:iam::123456789012:role/metering
        credential_source = Environment
        """);
    variables.put("AWS_ACCESS_KEY_ID", "AKIDENV");
    variables.put("AWS_SECRET_ACCESS_KEY", "env-secret");
    server.on("POST", "/", Reply.ok(assumed("ASIAENV", "t", EXPIRY)));

    assertThat(resolve("metering").accessKeyId()).isEqualTo("ASIAENV");
    assertThat(verify(server.requests().get(0), "env-secret", "us-east-1").isValid()).isTrue();
  }

  @Test
  void role_unknownCredentialSource_listsTheValidOnes() throws IOException {
    config("""
        [profile metering]
        role_arn = arn:aws:iam::123456789012:role/metering
        credential_source = Ec2
        """);

    assertThatThrownBy(() -> resolve("metering"))
        .isInstanceOf(CredentialsException.class)
        .hasMessageEndingWith("has credential_source = Ec2; use Environment, Ec2InstanceMetadata or"
            + " EcsContainer");
  }

  @Test
  void role_refreshedBeforeExpiry() throws IOException {
    config("""
        [profile base]
        aws_access_key_id = AKIDBASE
        aws_secret_access_key = base-secret
        [profile metering]
        role_arn = arn:aws:iam::123456789012:role/metering
        source_profile = base
        """);
    server.on("POST", "/",
        Reply.ok(assumed("ASIAONE", "t", EXPIRY)),
        Reply.ok(assumed("ASIATWO", "t", EXPIRY.plus(Duration.ofHours(1)))));
    ProfileCredentialsProvider provider = ProfileCredentialsProvider.create(
        Environment.of(variables, Map.of(), home).withClock(clock), "metering");

    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIAONE");
    clock.advance(Duration.ofMinutes(50));
    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIAONE");
    clock.advance(Duration.ofMinutes(6));
    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIATWO");
  }

  @Test
  void role_stsRefuses_namesTheRoleAndCode() throws IOException {
    config("""
        [profile base]
        aws_access_key_id = AKIDBASE
        aws_secret_access_key = base-secret
        [profile metering]
        role_arn = arn:aws:iam::123456789012:role/metering
        source_profile = base
        """);
    server.on("POST", "/", Reply.status(403, StsXml.error("AccessDenied",
        "User is not authorized to perform: sts:AssumeRole")));

    assertThatThrownBy(() -> resolve("metering"))
        .isInstanceOf(CredentialsException.class)
        .hasMessageEndingWith("failed: HTTP 403 AccessDenied: User is not authorized to perform:"
            + " sts:AssumeRole")
        .message().doesNotContain("base-secret");
  }

  private void ssoToken(String key, String token, Instant expiresAt) throws Exception {
    Path cache = home.resolve(".aws/sso/cache");
    Files.createDirectories(cache);
    String name = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
        .digest(key.getBytes(StandardCharsets.UTF_8)));
    Files.writeString(cache.resolve(name + ".json"), "{\"startUrl\": \"https://corp.awsapps.com/start\","
        + " \"region\": \"us-east-1\", \"accessToken\": \"" + token + "\", \"expiresAt\": \""
        + expiresAt + "\", \"refreshToken\": \"r\"}");
  }

  private static String roleCredentials(String accessKeyId, Instant expiry) {
    return "{\"roleCredentials\":{\"accessKeyId\":\"" + accessKeyId + "\",\"secretAccessKey\":\"sso-secret\","
        + "\"sessionToken\":\"sso-token\",\"expiration\":" + expiry.toEpochMilli() + "}}";
  }

  @Test
  void sso_session_readsTheCliTokenAndCallsThePortal() throws Exception {
    config("""
        [profile dev]
        sso_session = corp
        sso_account_id = 123456789012
        sso_role_name = MeteringRole
        [sso-session corp]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = us-east-1
        """);
    ssoToken("corp", "portal-access-token", NOW.plus(Duration.ofHours(8)));
    server.on("GET", "/federation/credentials", Reply.ok(roleCredentials("ASIASSO", EXPIRY)));

    AwsCredentials credentials = resolve("dev");

    assertThat(credentials).isEqualTo(new AwsCredentials("ASIASSO", "sso-secret",
        Optional.of("sso-token"), Optional.of(EXPIRY)));
    Request request = server.requests().get(0);
    assertThat(request.header("x-amz-sso_bearer_token")).isEqualTo("portal-access-token");
    assertThat(request.form("account_id")).isEqualTo("123456789012");
    assertThat(request.form("role_name")).isEqualTo("MeteringRole");
  }

  @Test
  void sso_legacyStartUrl_tokenFileNamedByTheUrl() throws Exception {
    config("""
        [profile dev]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = eu-west-1
        sso_account_id = 123456789012
        sso_role_name = MeteringRole
        """);
    ssoToken("https://corp.awsapps.com/start", "legacy-token", NOW.plus(Duration.ofHours(8)));
    server.on("GET", "/federation/credentials", Reply.ok(roleCredentials("ASIALEGACY", EXPIRY)));

    assertThat(resolve("dev").accessKeyId()).isEqualTo("ASIALEGACY");
    assertThat(server.requests().get(0).header("x-amz-sso_bearer_token")).isEqualTo("legacy-token");
  }

  @Test
  void sso_expiredToken_saysToLogInAgain() throws Exception {
    config("""
        [profile dev]
        sso_session = corp
        sso_account_id = 123456789012
        sso_role_name = MeteringRole
        [sso-session corp]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = us-east-1
        """);
    ssoToken("corp", "old", NOW.minus(Duration.ofMinutes(1)));

    assertThatThrownBy(() -> resolve("dev"))
        .isInstanceOf(CredentialsException.class)
        .hasMessageEndingWith("expired at " + NOW.minus(Duration.ofMinutes(1))
            + "; run aws sso login --profile dev");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void sso_noToken_saysToLogIn() throws Exception {
    config("""
        [profile dev]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = eu-west-1
        sso_account_id = 123456789012
        sso_role_name = MeteringRole
        """);

    assertThatThrownBy(() -> resolve("dev"))
        .isInstanceOf(CredentialsException.class)
        .hasMessageStartingWith("No IAM Identity Center token for the profile 'dev'")
        .hasMessageEndingWith("; run aws sso login --profile dev");
  }

  @Test
  void sso_portalRefusesTheToken_saysToLogInAgain() throws Exception {
    config("""
        [profile dev]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = eu-west-1
        sso_account_id = 123456789012
        sso_role_name = MeteringRole
        """);
    ssoToken("https://corp.awsapps.com/start", "revoked", NOW.plus(Duration.ofHours(1)));
    server.on("GET", "/federation/credentials", Reply.status(401,
        "{\"message\":\"Session token not found or invalid\"}"));

    assertThatThrownBy(() -> resolve("dev"))
        .isInstanceOf(CredentialsException.class)
        .hasMessageEndingWith("failed: HTTP 401, the access token was refused; run aws sso login"
            + " --profile dev")
        .message().doesNotContain("revoked");
  }
}
