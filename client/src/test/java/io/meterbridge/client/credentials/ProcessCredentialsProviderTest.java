package io.meterbridge.client.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.condition.OS.WINDOWS;

import io.meterbridge.auth.AwsCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(value = WINDOWS, disabledReason = "the helper scripts are POSIX sh")
class ProcessCredentialsProviderTest {

  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  @TempDir Path home;

  private final MutableClock clock = new MutableClock(NOW);

  private Environment environment() {
    return Environment.of(Map.of(), Map.of(), home).withClock(clock);
  }

  /** Writes a helper that counts its runs in a file and prints {@code json}. */
  private String helper(String json) throws IOException {
    Path output = home.resolve("output.json");
    Files.writeString(output, json);
    Path script = home.resolve("helper.sh");
    Files.writeString(script, "echo run >> '" + home.resolve("runs") + "'\ncat '" + output + "'\n");
    return "sh '" + script + "'";
  }

  private long runs() throws IOException {
    Path runs = home.resolve("runs");
    return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
  }

  private void writeProfile(String command) throws IOException {
    Files.createDirectories(home.resolve(".aws"));
    Files.writeString(home.resolve(".aws/config"),
        "[profile tool]\ncredential_process = " + command + "\n");
  }

  @Test
  void profileProvider_credentialProcess_runsTheCommandAndParsesItsJson() throws IOException {
    writeProfile(helper("""
        {"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "proc-secret",
         "SessionToken": "proc-token", "Expiration": "2030-01-01T01:00:00+00:00"}
        """));

    AwsCredentials credentials =
        ProfileCredentialsProvider.create(environment(), "tool").resolveCredentials();

    assertThat(credentials.accessKeyId()).isEqualTo("ASIAPROC");
    assertThat(credentials.sessionToken()).contains("proc-token");
    assertThat(credentials.expiration()).contains(Instant.parse("2030-01-01T01:00:00Z"));
  }

  @Test
  void processProvider_cachesUntilTheRefreshWindow() throws IOException {
    String command = helper("""
        {"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "proc-secret",
         "SessionToken": "proc-token", "Expiration": "2030-01-01T01:00:00Z"}
        """);
    ProcessCredentialsProvider provider = new ProcessCredentialsProvider(command, "test", environment());

    provider.resolveCredentials();
    provider.resolveCredentials();
    assertThat(runs()).isEqualTo(1);

    clock.advance(Duration.ofMinutes(56));
    provider.resolveCredentials();
    assertThat(runs()).isEqualTo(2);
  }

  @Test
  void processProvider_withoutExpiration_runsOnce() throws IOException {
    String command = helper("""
        {"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "proc-secret"}
        """);
    ProcessCredentialsProvider provider = new ProcessCredentialsProvider(command, "test", environment());

    provider.resolveCredentials();
    clock.advance(Duration.ofDays(365));
    AwsCredentials credentials = provider.resolveCredentials();

    assertThat(credentials.sessionToken()).isEmpty();
    assertThat(runs()).isEqualTo(1);
  }

  @Test
  void processProvider_nonZeroExit_reportsStatusWithoutOutput() {
    ProcessCredentialsProvider provider = new ProcessCredentialsProvider(
        "echo '{\"SecretAccessKey\":\"leaked-secret\"}'; exit 3", "profile 'tool'", environment());

    assertThatThrownBy(provider::resolveCredentials)
        .isInstanceOf(CredentialsException.class)
        .hasMessage("The credential_process of profile 'tool' exited with status 3");
  }

  @Test
  void processProvider_wrongVersion_isRejected() throws IOException {
    String command = helper("""
        {"Version": 2, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "proc-secret"}
        """);

    assertThatThrownBy(() ->
        new ProcessCredentialsProvider(command, "profile 'tool'", environment()).resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessage("The output of the credential_process of profile 'tool' must have"
            + " \"Version\": 1, not '2'");
  }

  @Test
  void processProvider_outputNotJson_doesNotQuoteIt() {
    ProcessCredentialsProvider provider = new ProcessCredentialsProvider(
        "echo 'AccessKeyId=x SecretAccessKey=leaked-secret'", "profile 'tool'", environment());

    assertThatThrownBy(provider::resolveCredentials)
        .isInstanceOf(CredentialsException.class)
        .hasMessage("The response from the credential_process of profile 'tool' is not valid JSON");
  }
}
