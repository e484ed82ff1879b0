package io.meterbridge.client.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.credentials.ScriptedServer.Reply;
import io.meterbridge.client.credentials.ScriptedServer.Request;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebIdentityCredentialsProviderTest {

  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Instant EXPIRY = NOW.plus(Duration.ofHours(1));
  private static final String ROLE = "arn:aws:iam::123456789012:role/metering";
  private static final String ACTION = "AssumeRoleWithWebIdentity";

  @TempDir Path home;

  private final ScriptedServer sts = ScriptedServer.start();
  private final MutableClock clock = new MutableClock(NOW);
  private final Map<String, String> variables = new HashMap<>();
  private final Map<String, String> properties = new HashMap<>();
  private Path tokenFile;

  @BeforeEach
  void irsa() throws IOException {
    tokenFile = home.resolve("eks.amazonaws.com/serviceaccount/token");
    Files.createDirectories(tokenFile.getParent());
    Files.writeString(tokenFile, "eyJhbGciOiJSUzI1NiJ9.token-1.sig\n");
    variables.put("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile.toString());
    variables.put("AWS_ROLE_ARN", ROLE);
    variables.put("AWS_ENDPOINT_URL_STS", sts.uri().toString());
    // Never reach the real IMDS from a chain test.
    variables.put("AWS_EC2_METADATA_DISABLED", "true");
  }

  @AfterEach
  void stop() {
    sts.close();
  }

  private Environment environment() {
    return Environment.of(variables, properties, home).withClock(clock);
  }

  private WebIdentityCredentialsProvider provider() {
    return WebIdentityCredentialsProvider.create(environment());
  }

  @Test
  void webIdentity_fromEnvironment_assumesTheRoleWithTheTokenUnsigned() {
    sts.on("POST", "/", Reply.ok(StsXml.credentials(ACTION, "ASIAIRSA", "irsa-secret", "irsa-token", EXPIRY)));
    variables.put("AWS_ROLE_SESSION_NAME", "meter-pod-1");

    AwsCredentials credentials = provider().resolveCredentials();

    assertThat(credentials).isEqualTo(new AwsCredentials("ASIAIRSA", "irsa-secret",
        Optional.of("irsa-token"), Optional.of(EXPIRY)));
    Request request = sts.requests().get(0);
    assertThat(request.form("Action")).isEqualTo(ACTION);
    assertThat(request.form("Version")).isEqualTo("2011-06-15");
    assertThat(request.form("RoleArn")).isEqualTo(ROLE);
    assertThat(request.form("RoleSessionName")).isEqualTo("meter-pod-1");
    assertThat(request.form("WebIdentityToken")).isEqualTo("eyJhbGciOiJSUzI1NiJ9.token-1.sig");
    assertThat(request.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(request.header("Authorization")).isNull();
  }

  @Test
  void webIdentity_noSessionName_makesOne() {
    sts.on("POST", "/", Reply.ok(StsXml.credentials(ACTION, "ASIAIRSA", "s", "t", EXPIRY)));

    provider().resolveCredentials();

    assertThat(sts.requests().get(0).form("RoleSessionName"))
        .isEqualTo("meterbridge-" + NOW.toEpochMilli());
  }

  @Test
  void webIdentity_cachedUntilCloseToExpiry_thenReadsTheRotatedTokenAgain() throws IOException {
    sts.on("POST", "/",
        Reply.ok(StsXml.credentials(ACTION, "ASIAONE", "s", "t", EXPIRY)),
        Reply.ok(StsXml.credentials(ACTION, "ASIATWO", "s", "t", EXPIRY.plus(Duration.ofHours(1)))));
    WebIdentityCredentialsProvider provider = provider();
    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIAONE");

    clock.advance(Duration.ofMinutes(30));
    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIAONE");
    assertThat(sts.requests()).hasSize(1);

    Files.writeString(tokenFile, "eyJhbGciOiJSUzI1NiJ9.token-2.sig");
    clock.advance(Duration.ofMinutes(26));
    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIATWO");
    assertThat(sts.requests().get(1).form("WebIdentityToken"))
        .isEqualTo("eyJhbGciOiJSUzI1NiJ9.token-2.sig");
  }

  @Test
  void webIdentity_stsRefuses_saysTheCodeAndRoleButNotTheToken() {
    sts.on("POST", "/", Reply.status(400, StsXml.error("InvalidIdentityToken",
        "Couldn't retrieve verification key from your identity provider")));

    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessage("STS AssumeRoleWithWebIdentity for " + ROLE + " at " + sts.uri()
            + " failed: HTTP 400 InvalidIdentityToken: Couldn't retrieve verification key from"
            + " your identity provider")
        .message().doesNotContain("token-1");
  }

  @Test
  void webIdentity_stsAnswersHtml_saysTheStatusOnly() {
    sts.on("POST", "/", Reply.status(502, "<html><body>Bad gateway</body></html>"));

    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessageEndingWith("failed: HTTP 502");
  }

  @Test
  void webIdentity_answerWithoutCredentials_isRefused() {
    sts.on("POST", "/", Reply.ok("<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult/>"
        + "</AssumeRoleWithWebIdentityResponse>"));

    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessageEndingWith("answered without a Credentials element");
  }

  @Test
  void webIdentity_answerWithEntityDeclarations_isNotExpanded() {
    sts.on("POST", "/", Reply.ok("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM"
        + " \"file:///etc/passwd\">]><AssumeRoleWithWebIdentityResponse><Credentials>"
        + "<AccessKeyId>&e;</AccessKeyId></Credentials></AssumeRoleWithWebIdentityResponse>"));

    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .message().doesNotContain("root:");
  }

  @Test
  void webIdentity_roleArnMissing_saysWhatToSet() {
    variables.remove("AWS_ROLE_ARN");

    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessageStartingWith("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not");
  }

  @Test
  void webIdentity_tokenFileMissing_namesTheFile() throws IOException {
    Files.delete(tokenFile);

    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessage("The web identity token file " + tokenFile
            + " (AWS_WEB_IDENTITY_TOKEN_FILE) does not exist");
  }

  @Test
  void webIdentity_notConfigured_saysSo() {
    variables.remove("AWS_WEB_IDENTITY_TOKEN_FILE");

    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessage("AWS_WEB_IDENTITY_TOKEN_FILE is not set");
  }

  @Test
  void webIdentity_systemPropertiesBeatVariables() {
    sts.on("POST", "/", Reply.ok(StsXml.credentials(ACTION, "ASIAIRSA", "s", "t", EXPIRY)));
    properties.put("aws.roleArn", "arn:aws:iam::123456789012:role/from-property");

    provider().resolveCredentials();

    assertThat(sts.requests().get(0).form("RoleArn"))
        .isEqualTo("arn:aws:iam::123456789012:role/from-property");
  }

  @Test
  void webIdentity_fromProfile_usesTheProfilesFileRoleAndSessionName() throws IOException {
    variables.remove("AWS_WEB_IDENTITY_TOKEN_FILE");
    variables.remove("AWS_ROLE_ARN");
    Files.createDirectories(home.resolve(".aws"));
    Files.writeString(home.resolve(".aws/config"), "[profile irsa]\n"
        + "web_identity_token_file = " + tokenFile + "\n"
        + "role_arn = arn:aws:iam::123456789012:role/profile-role\n"
        + "role_session_name = from-profile\n"
        + "duration_seconds = 1800\n");
    sts.on("POST", "/", Reply.ok(StsXml.credentials(ACTION, "ASIAPROF", "s", "t", EXPIRY)));

    AwsCredentials credentials =
        ProfileCredentialsProvider.create(environment(), "irsa").resolveCredentials();

    assertThat(credentials.accessKeyId()).isEqualTo("ASIAPROF");
    Request request = sts.requests().get(0);
    assertThat(request.form("RoleArn")).isEqualTo("arn:aws:iam::123456789012:role/profile-role");
    assertThat(request.form("RoleSessionName")).isEqualTo("from-profile");
    assertThat(request.form("DurationSeconds")).isEqualTo("1800");
  }

  @Test
  void webIdentity_defaultChain_triesItBeforeTheProfile() throws IOException {
    Files.createDirectories(home.resolve(".aws"));
    Files.writeString(home.resolve(".aws/credentials"),
        "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = p\n");
    sts.on("POST", "/", Reply.ok(StsXml.credentials(ACTION, "ASIAIRSA", "s", "t", EXPIRY)));

    AwsCredentials credentials = DefaultCredentialsProvider.create(environment()).resolveCredentials();

    assertThat(credentials.accessKeyId()).isEqualTo("ASIAIRSA");
  }

  @Test
  void sts_regionalEndpointByDefault() {
    Environment plain = Environment.of(Map.of(), Map.of(), home);
    assertThat(Sts.endpoint(plain, "eu-west-1")).isEqualTo(URI.create("https://sts.eu-west-1.amazonaws.com"));
    assertThat(Sts.endpoint(plain, "cn-north-1"))
        .isEqualTo(URI.create("https://sts.cn-north-1.amazonaws.com.cn"));
    assertThat(Sts.region(Environment.of(Map.of("AWS_REGION", "ap-south-1"), Map.of(), home),
        Optional.empty())).isEqualTo("ap-south-1");
    assertThat(Sts.region(plain, Optional.empty())).isEqualTo("us-east-1");
    assertThat(Sts.region(plain, Optional.of("eu-central-1"))).isEqualTo("eu-central-1");
  }

  @Test
  void sts_encodesFormFieldsAsTheQueryProtocolWants() {
    assertThat(Sts.encode(new java.util.LinkedHashMap<>(Map.of("RoleArn", "arn:aws:iam::1:role/a b+c"))))
        .isEqualTo("RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa+b%2Bc");
    assertThat(List.of()).isEmpty();
  }
}
