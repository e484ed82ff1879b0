package io.meterbridge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.credentials.SharedSettings;
import io.meterbridge.exception.ThrottlingException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings every AWS SDK reads (properties, environment, profile) reach the client, and a
 * builder value beats them. The environment is a map handed to the builder's package-private
 * seam; the real one is never read or changed.
 */
class SharedSettingsClientTest {
  private static final AwsCredentials CREDENTIALS = AwsCredentials.of("AKIDEXAMPLE", "secret");
  private static final String OK = "{\"MeteringRecordId\":\"r-1\"}";

  @TempDir Path home;

  private final ScriptedServer server = new ScriptedServer();
  private final Map<String, String> variables = new HashMap<>();
  private final Map<String, String> properties = new HashMap<>();

  @AfterEach
  void stop() {
    server.close();
  }

  private MeteringClient.Builder builder() {
    return MeteringClient.builder().region("us-east-1").credentials(CREDENTIALS)
        .sharedSettings(SharedSettings.of(variables, properties, home));
  }

  private void config(String text) throws IOException {
    Files.createDirectories(home.resolve(".aws"));
    Files.writeString(home.resolve(".aws/config"), text);
  }

  private static void meter(MeteringClient client) {
    client.meterUsage(b -> b.productCode("prod-1").timestamp(java.time.Instant.now())
        .usageDimension("users").usageQuantity(1));
  }

  @Test
  void endpointUrl_serviceVariable_sendsThere() {
    variables.put("AWS_ENDPOINT_URL_MARKETPLACE_METERING", server.uri().toString());
    variables.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    server.enqueue(ScriptedServer.ok(OK));

    try (MeteringClient client = builder().build()) {
      meter(client);
      assertThat(client.endpoint()).isEqualTo(server.uri());
    }
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void endpointUrl_precedence_propertyThenVariableThenServicesSectionThenProfile() throws IOException {
    config("[default]\nendpoint_url = http://profile.example\nservices = local\n"
        + "[services local]\nmarketplace_metering =\n  endpoint_url = http://services.example\n");
    try (MeteringClient client = builder().build()) {
      assertThat(client.endpoint()).isEqualTo(URI.create("http://services.example"));
    }
    variables.put("AWS_ENDPOINT_URL", "http://global-env.example");
    try (MeteringClient client = builder().build()) {
      assertThat(client.endpoint()).isEqualTo(URI.create("http://global-env.example"));
    }
    properties.put("aws.endpointUrl", "http://global-property.example");
    try (MeteringClient client = builder().build()) {
      assertThat(client.endpoint()).isEqualTo(URI.create("http://global-property.example"));
    }
    variables.put("AWS_ENDPOINT_URL_MARKETPLACE_METERING", "http://service-env.example");
    try (MeteringClient client = builder().build()) {
      assertThat(client.endpoint()).isEqualTo(URI.create("http://service-env.example"));
    }
    try (MeteringClient client = builder().endpointOverride(URI.create("http://explicit.example")).build()) {
      assertThat(client.endpoint()).isEqualTo(URI.create("http://explicit.example"));
    }
  }

  @Test
  void endpointUrl_profileEndpointUrl_isUsedWithoutServicesSection() throws IOException {
    config("[profile billing]\nendpoint_url = http://billing.example:8080\n");
    variables.put("AWS_PROFILE", "billing");

    try (MeteringClient client = builder().build()) {
      assertThat(client.endpoint()).isEqualTo(URI.create("http://billing.example:8080"));
    }
  }

  @Test
  void endpointUrl_ignoreConfigured_usesTheRegionsEndpoint() throws IOException {
    config("[default]\nendpoint_url = http://profile.example\n");
    variables.put("AWS_ENDPOINT_URL", "http://global-env.example");
    variables.put("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");

    try (MeteringClient client = builder().build()) {
      assertThat(client.endpoint())
          .isEqualTo(URI.create("https://metering.marketplace.us-east-1.amazonaws.com"));
    }
  }

  @Test
  void endpointUrl_notAUrl_saysWhichSetting() {
    variables.put("AWS_ENDPOINT_URL", "metering.local");

    assertThatThrownBy(() -> builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("AWS_ENDPOINT_URL is 'metering.local'; use an absolute http or https URL such"
            + " as https://metering.example.com");
  }

  @Test
  void endpointUrl_withConfiguredFips_isRefusedWithAWayOut() {
    variables.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    variables.put("AWS_USE_FIPS_ENDPOINT", "true");

    assertThatThrownBy(() -> builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
  }

  @Test
  void fipsAndDualStack_fromVariablesAndProfile_builderWins() throws IOException {
    variables.put("AWS_USE_FIPS_ENDPOINT", "true");
    try (MeteringClient client = builder().build()) {
      assertThat(client.endpoint().getHost()).isEqualTo("metering.marketplace-fips.us-east-1.amazonaws.com");
    }
    try (MeteringClient client = builder().useFips(false).build()) {
      assertThat(client.endpoint().getHost()).isEqualTo("metering.marketplace.us-east-1.amazonaws.com");
    }
    variables.remove("AWS_USE_FIPS_ENDPOINT");
    config("[default]\nuse_dualstack_endpoint = true\n");
    try (MeteringClient client = builder().build()) {
      assertThat(client.endpoint().getHost()).isEqualTo("metering-marketplace.us-east-1.api.aws");
    }
    properties.put("aws.useDualstackEndpoint", "false");
    try (MeteringClient client = builder().build()) {
      assertThat(client.endpoint().getHost()).isEqualTo("metering.marketplace.us-east-1.amazonaws.com");
    }
  }

  @Test
  void fips_notABoolean_saysWhichSetting() {
    variables.put("AWS_USE_FIPS_ENDPOINT", "yes");

    assertThatThrownBy(() -> builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("AWS_USE_FIPS_ENDPOINT is 'yes'; use true or false");
  }

  @Test
  void maxAttempts_fromVariable_limitsTheAttempts() {
    variables.put("AWS_MAX_ATTEMPTS", "2");
    variables.put("AWS_ENDPOINT_URL", server.uri().toString());
    server.enqueue(ScriptedServer.throttled(), ScriptedServer.throttled(), ScriptedServer.ok(OK));

    try (MeteringClient client = builder().retryPolicy(RetryPolicy.standard()).build()) {
      meter(client); // the builder's policy (3 attempts) wins over AWS_MAX_ATTEMPTS
    }
    assertThat(server.requests()).hasSize(3);

    server.enqueue(ScriptedServer.throttled(), ScriptedServer.throttled());
    try (MeteringClient client = builder().build()) {
      assertThatThrownBy(() -> meter(client)).isInstanceOf(ThrottlingException.class);
    }
    assertThat(server.requests()).hasSize(5);
  }

  @Test
  void maxAttempts_andRetryMode_fromProfile() throws IOException {
    config("[default]\nmax_attempts = 1\nretry_mode = adaptive\n");
    variables.put("AWS_ENDPOINT_URL", server.uri().toString());
    server.enqueue(ScriptedServer.throttled());

    try (MeteringClient client = builder().build()) {
      assertThatThrownBy(() -> meter(client)).isInstanceOf(ThrottlingException.class);
    }
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void maxAttempts_notANumber_saysWhichSettingAndWhere() throws IOException {
    config("[default]\nmax_attempts = lots\n");

    assertThatThrownBy(() -> builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("max_attempts in profile 'default' in " + home.resolve(".aws/credentials")
            + " or " + home.resolve(".aws/config") + " is 'lots'; set it to the number of attempts"
            + " per call, at least 1 (3 is the default)");
  }

  @Test
  void retryMode_unknown_isRefused() {
    properties.put("aws.retryMode", "aggressive");

    assertThatThrownBy(() -> builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the system property aws.retryMode is 'aggressive'; use standard, adaptive or legacy");
  }

  @Test
  void appId_fromVariable_goesIntoTheUserAgent_builderWins() {
    variables.put("AWS_SDK_UA_APP_ID", "acme-billing");
    variables.put("AWS_ENDPOINT_URL", server.uri().toString());
    server.enqueue(ScriptedServer.ok(OK), ScriptedServer.ok(OK));

    try (MeteringClient client = builder().build()) {
      meter(client);
    }
    try (MeteringClient client = builder().appId("explicit-app").build()) {
      meter(client);
    }
    assertThat(server.requests().get(0).header("User-Agent")).contains(" app/acme-billing");
    assertThat(server.requests().get(1).header("User-Agent")).contains(" app/explicit-app")
        .doesNotContain("acme-billing");
  }

  @Test
  void appId_tooLong_isRefused() {
    assertThatThrownBy(() -> builder().appId("x".repeat(51)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("appId is 51 characters long; the AWS SDKs allow at most 50");
  }

  @Test
  void caBundle_notPem_saysWhichSetting() throws IOException {
    Path bundle = home.resolve("bundle.pem");
    Files.writeString(bundle, "not a certificate");
    variables.put("AWS_CA_BUNDLE", bundle.toString());

    assertThatThrownBy(() -> builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("The CA bundle " + bundle + " (AWS_CA_BUNDLE or the profile's"
            + " ca_bundle) holds no -----BEGIN CERTIFICATE----- block");
  }

  @Test
  void caBundle_ignoredForPlainHttp() throws IOException {
    variables.put("AWS_CA_BUNDLE", home.resolve("missing.pem").toString());
    variables.put("AWS_ENDPOINT_URL", server.uri().toString());
    server.enqueue(ScriptedServer.ok(OK));

    try (MeteringClient client = builder().build()) {
      meter(client);
    }
  }

  @Test
  void region_fromProfile_whenTheBuilderHasNone() throws IOException {
    config("[default]\nregion = eu-central-1\n");

    try (MeteringClient client = MeteringClient.builder().credentials(CREDENTIALS)
        .sharedSettings(SharedSettings.of(variables, properties, home)).build()) {
      assertThat(client.region()).isEqualTo("eu-central-1");
    }
  }
}
