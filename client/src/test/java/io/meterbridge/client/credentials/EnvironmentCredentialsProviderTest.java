package io.meterbridge.client.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.AwsCredentials;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class EnvironmentCredentialsProviderTest {

  private static final Path HOME = Path.of("/nonexistent-home");

  private static EnvironmentCredentialsProvider provider(
      Map<String, String> variables, Map<String, String> properties) {
    return EnvironmentCredentialsProvider.create(Environment.of(variables, properties, HOME));
  }

  @Test
  void environmentProvider_variablesSet_returnsThem() {
    AwsCredentials credentials = provider(
        Map.of("AWS_ACCESS_KEY_ID", "AKIDENV", "AWS_SECRET_ACCESS_KEY", "env-secret"), Map.of())
        .resolveCredentials();

    assertThat(credentials).isEqualTo(AwsCredentials.of("AKIDENV", "env-secret"));
  }

  @Test
  void environmentProvider_sessionTokenSet_returnsSessionCredentials() {
    AwsCredentials credentials = provider(Map.of(
        "AWS_ACCESS_KEY_ID", "ASIAENV",
        "AWS_SECRET_ACCESS_KEY", "env-secret",
        "AWS_SESSION_TOKEN", "env-token"), Map.of()).resolveCredentials();

    assertThat(credentials.sessionToken()).contains("env-token");
    assertThat(credentials.expiration()).isEmpty();
  }

  @Test
  void environmentProvider_systemPropertiesAndVariablesSet_preferSystemProperties() {
    AwsCredentials credentials = provider(
        Map.of("AWS_ACCESS_KEY_ID", "AKIDENV", "AWS_SECRET_ACCESS_KEY", "env-secret",
            "AWS_SESSION_TOKEN", "env-token"),
        Map.of("aws.accessKeyId", "AKIDPROP", "aws.secretAccessKey", "prop-secret"))
        .resolveCredentials();

    assertThat(credentials.accessKeyId()).isEqualTo("AKIDPROP");
    assertThat(credentials.sessionToken()).as("never mixed across sources").isEmpty();
  }

  @Test
  void environmentProvider_systemPropertySessionToken_isUsed() {
    AwsCredentials credentials = provider(Map.of(), Map.of(
        "aws.accessKeyId", "ASIAPROP", "aws.secretAccessKey", "prop-secret",
        "aws.sessionToken", "prop-token")).resolveCredentials();

    assertThat(credentials.sessionToken()).contains("prop-token");
  }

  @Test
  void environmentProvider_halfSetProperties_fallsBackToVariables() {
    AwsCredentials credentials = provider(
        Map.of("AWS_ACCESS_KEY_ID", "AKIDENV", "AWS_SECRET_ACCESS_KEY", "env-secret"),
        Map.of("aws.accessKeyId", "AKIDPROP")).resolveCredentials();

    assertThat(credentials.accessKeyId()).isEqualTo("AKIDENV");
  }

  @Test
  void environmentProvider_blankValues_countAsUnset() {
    assertThatThrownBy(() -> provider(
        Map.of("AWS_ACCESS_KEY_ID", "  ", "AWS_SECRET_ACCESS_KEY", ""), Map.of())
        .resolveCredentials())
        .isInstanceOf(CredentialsException.class);
  }

  @Test
  void environmentProvider_nothingSet_explainsWhatIsMissing() {
    assertThatThrownBy(() -> provider(Map.of(), Map.of()).resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessage("Neither the system properties aws.accessKeyId and aws.secretAccessKey nor the"
            + " environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are both set");
  }

  @Test
  void environmentProvider_onlySecretSet_namesTheVariableButNotItsValue() {
    assertThatThrownBy(() -> provider(
        Map.of("AWS_SECRET_ACCESS_KEY", "very-secret-value"), Map.of()).resolveCredentials())
        .isInstanceOf(CredentialsException.class)
        .hasMessageEndingWith("(half set: AWS_SECRET_ACCESS_KEY)")
        .message().doesNotContain("very-secret-value");
  }

  @Test
  void environmentProvider_readsValuesOnEveryCall() {
    Map<String, String> variables = new ConcurrentHashMap<>();
    EnvironmentCredentialsProvider provider = provider(variables, Map.of());
    variables.put("AWS_ACCESS_KEY_ID", "AKIDFIRST");
    variables.put("AWS_SECRET_ACCESS_KEY", "first");
    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("AKIDFIRST");
    variables.put("AWS_ACCESS_KEY_ID", "AKIDSECOND");
    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("AKIDSECOND");
  }

  @Test
  void staticProvider_returnsItsCredentialsAndMasksSecretsInToString() {
    AwsCredentials credentials =
        AwsCredentials.session("ASIASTATIC", "static-secret", "static-token", null);
    StaticCredentialsProvider provider = StaticCredentialsProvider.create(credentials);

    assertThat(provider.resolveCredentials()).isSameAs(credentials);
    assertThat(provider.toString())
        .contains("ASIASTATIC")
        .doesNotContain("static-secret")
        .doesNotContain("static-token");
  }
}
