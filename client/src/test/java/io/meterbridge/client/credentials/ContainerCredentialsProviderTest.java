package io.meterbridge.client.credentials;

import static io.meterbridge.client.credentials.ScriptedServer.credentialsJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.credentials.ScriptedServer.Reply;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerCredentialsProviderTest {

  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Instant EXPIRY = NOW.plus(Duration.ofHours(1));
  private static final String PATH = "/v2/credentials/6d0e0d9b-task";

  @TempDir Path dir;

  private final ScriptedServer server = ScriptedServer.start();
  private final MutableClock clock = new MutableClock(NOW);
  private final Map<String, String> variables = new HashMap<>();

  @AfterEach
  void stop() {
    server.close();
  }

  private ContainerCredentialsProvider provider() {
    return ContainerCredentialsProvider.create(Environment.of(variables, Map.of(), dir)
        .withClock(clock)
        .withContainerHost(server.uri()));
  }

  @Test
  void containerProvider_relativeUri_fetchesFromTheContainerHost() {
    server.on("GET", PATH, Reply.ok(credentialsJson("ASIAECS", "ecs-secret", "ecs-token", EXPIRY)));
    variables.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", PATH);

    AwsCredentials credentials = provider().resolveCredentials();

    assertThat(credentials).isEqualTo(new AwsCredentials("ASIAECS", "ecs-secret",
        Optional.of("ecs-token"), Optional.of(EXPIRY)));
    assertThat(server.requests("GET", PATH)).hasSize(1);
  }

  @Test
  void containerProvider_relativeUriWinsOverFullUri() {
    server.on("GET", PATH, Reply.ok(credentialsJson("ASIAREL", "s", "t", EXPIRY)));
    variables.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", PATH);
    variables.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.uri() + "/full");

    assertThat(provider().resolveCredentials().accessKeyId()).isEqualTo("ASIAREL");
  }

  @Test
  void containerProvider_fullUriWithTokenFile_sendsAuthorizationHeader() throws IOException {
    Path tokenFile = dir.resolve("eks-pod-identity-token");
    Files.writeString(tokenFile, "pod-token-1\n");
    server.on("GET", "/v1/credentials", Reply.ok(credentialsJson("ASIAEKS", "s", "t", EXPIRY)));
    variables.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.uri() + "/v1/credentials");
    variables.put("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString());
    variables.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored-when-file-set");

    provider().resolveCredentials();

    assertThat(server.requests().get(0).header("Authorization")).isEqualTo("pod-token-1");
  }

  @Test
  void containerProvider_tokenFile_isReReadOnEveryFetch() throws IOException {
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, "first-token");
    server.on("GET", "/creds", Reply.ok(credentialsJson("ASIAEKS", "s", "t", EXPIRY)));
    variables.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.uri() + "/creds");
    variables.put("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString());
    ContainerCredentialsProvider provider = provider();

    provider.resolveCredentials();
    Files.writeString(tokenFile, "rotated-token");
    clock.advance(Duration.ofMinutes(58));
    provider.resolveCredentials();

    assertThat(server.requests()).extracting(r -> r.header("Authorization"))
        .containsExactly("first-token", "rotated-token");
  }

  @Test
  void containerProvider_tokenVariable_sendsAuthorizationHeader() {
    server.on("GET", "/creds", Reply.ok(credentialsJson("ASIAEKS", "s", "t", EXPIRY)));
    variables.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.uri() + "/creds");
    variables.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic abc");

    provider().resolveCredentials();

    assertThat(server.requests().get(0).header("Authorization")).isEqualTo("Basic abc");
  }

  @Test
  void containerProvider_noToken_sendsNoAuthorizationHeader() {
    server.on("GET", PATH, Reply.ok(credentialsJson("ASIAECS", "s", "t", EXPIRY)));
    variables.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", PATH);

    provider().resolveCredentials();

    assertThat(server.requests().get(0).header("Authorization")).isNull();
  }

  @Test
  void containerProvider_tokenWithLineBreak_isRefused() {
    variables.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.uri() + "/creds");
    variables.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", "abc\r\nX-Injected: 1");

    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessage("The container authorization token contains a line break");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void containerProvider_tokenFileMissing_namesTheFile() {
    variables.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.uri() + "/creds");
    variables.put("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", dir.resolve("absent").toString());

    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessageStartingWith("Cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE "
            + dir.resolve("absent"));
  }

  @Test
  void containerProvider_fullUriOverPlainHttpToAnotherHost_isRefused() {
    variables.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://192.0.2.10:8080/creds");
    variables.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", "secret-token");

    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessage("AWS_CONTAINER_CREDENTIALS_FULL_URI must use https, or http to a loopback"
            + " address or to 169.254.170.2, 169.254.170.23 or [fd00:ec2::23]; got"
            + " http://192.0.2.10:8080");
  }

  @Test
  void containerProvider_allowedFullUris_passTheCheck() {
    for (String uri : new String[] {
        "https://credentials.example.com/creds",
        "http://127.0.0.1:8080/creds",
        "http://localhost/creds",
        "http://[::1]/creds",
        "http://169.254.170.2/creds",
        "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]/v1/credentials"}) {
      ContainerCredentialsProvider.checkAllowed(URI.create(uri));
    }
  }

  @Test
  void containerProvider_noVariables_saysWhichAreMissing() {
    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessage("Neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor"
            + " AWS_CONTAINER_CREDENTIALS_FULL_URI is set");
  }

  @Test
  void containerProvider_errorStatus_reportsStatusButNotBody() {
    server.on("GET", PATH, Reply.status(500, "{\"SecretAccessKey\":\"leaked-secret\"}"));
    variables.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", PATH);

    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessage("the container credentials endpoint " + server.uri() + " answered HTTP 500")
        .message().doesNotContain("leaked-secret").doesNotContain("6d0e0d9b");
  }

  @Test
  void containerProvider_malformedJson_doesNotQuoteTheBody() {
    server.on("GET", PATH, Reply.ok("{\"AccessKeyId\":\"ASIA\",\"SecretAccessKey\":\"leaked-secret"));
    variables.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", PATH);

    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessageEndingWith("is not valid JSON")
        .message().doesNotContain("leaked-secret");
  }

  @Test
  void containerProvider_missingSecret_namesTheField() {
    server.on("GET", PATH, Reply.ok("{\"AccessKeyId\":\"ASIA\",\"Token\":\"t\"}"));
    variables.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", PATH);

    assertThatThrownBy(() -> provider().resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessageEndingWith("has no SecretAccessKey");
  }

  @Test
  void containerProvider_endpointTooSlow_timesOut() {
    server.on("GET", PATH, Reply.ok("{}").after(Duration.ofSeconds(5)));
    variables.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", PATH);
    ContainerCredentialsProvider provider = ContainerCredentialsProvider.create(
        Environment.of(variables, Map.of(), dir)
            .withContainerHost(server.uri())
            .withTimeouts(Duration.ofMillis(200), Duration.ofMillis(200)));

    long start = System.nanoTime();
    assertThatThrownBy(provider::resolveCredentials)
        .isInstanceOf(CredentialsException.class)
        .hasMessageStartingWith("Timed out calling " + server.uri());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void containerProvider_cachedCredentials_areNotRefetchedBeforeTheRefreshWindow() {
    server.on("GET", PATH,
        Reply.ok(credentialsJson("ASIAFIRST", "s", "t", EXPIRY)),
        Reply.ok(credentialsJson("ASIASECOND", "s", "t", EXPIRY.plus(Duration.ofHours(1)))));
    variables.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", PATH);
    ContainerCredentialsProvider provider = provider();

    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIAFIRST");
    clock.advance(Duration.ofMinutes(54));
    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIAFIRST");
    clock.advance(Duration.ofMinutes(2)); // 4 minutes left: inside the refresh window
    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIASECOND");
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void containerProvider_refreshFailsWhileCachedStillValid_keepsCachedCredentials() {
    server.on("GET", PATH,
        Reply.ok(credentialsJson("ASIAFIRST", "s", "t", EXPIRY)),
        Reply.status(503));
    variables.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", PATH);
    ContainerCredentialsProvider provider = provider();
    provider.resolveCredentials();

    clock.advance(Duration.ofMinutes(58)); // refresh window: the attempt fails
    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIAFIRST");

    clock.advance(Duration.ofMinutes(3)); // expired: nothing left to fall back on
    assertThatThrownBy(provider::resolveCredentials)
        .isInstanceOf(CredentialsException.class)
        .hasMessageEndingWith("answered HTTP 503");
  }

  @Test
  void containerProvider_toString_hasNoSecrets() {
    variables.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", "secret-token");

    assertThat(provider()).hasToString("ContainerCredentialsProvider");
  }
}
