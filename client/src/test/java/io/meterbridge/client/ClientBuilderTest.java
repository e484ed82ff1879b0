package io.meterbridge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.AwsCredentials;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientBuilderTest {
  static final AwsCredentials CREDENTIALS = AwsCredentials.of("AKID", "secret");

  @Test
  void build_region_resolvesTheRegionalEndpoint() {
    try (MeteringClient client = MeteringClient.builder().region("eu-west-1").credentials(CREDENTIALS).build()) {
      assertThat(client.endpoint()).isEqualTo(URI.create("https://metering.marketplace.eu-west-1.amazonaws.com"));
      assertThat(client.region()).isEqualTo("eu-west-1");
    }
  }

  @Test
  void build_fipsAndDualStack_resolveTheirEndpoints() {
    try (MeteringAsyncClient fips = MeteringAsyncClient.builder().region("us-east-1").useFips(true).build();
        MeteringAsyncClient dual = MeteringAsyncClient.builder().region("us-east-1").useDualStack(true).build()) {
      assertThat(fips.endpoint()).hasHost("metering.marketplace-fips.us-east-1.amazonaws.com");
      assertThat(dual.endpoint()).hasHost("metering-marketplace.us-east-1.api.aws");
    }
  }

  @Test
  void build_fipsWithEndpointOverride_isRejected() {
    assertThatThrownBy(() -> MeteringClient.builder().region("us-east-1")
        .endpointOverride(URI.create("http://localhost:8080")).useFips(true).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("useFips(true) cannot be combined with endpointOverride");
  }

  @Test
  void endpointOverride_relativeUri_isRejected() {
    assertThatThrownBy(() -> MeteringClient.builder().endpointOverride(URI.create("localhost:8080")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpointOverride must be an absolute http or https URI, was localhost:8080");
  }

  @Test
  void timeouts_zero_areRejected() {
    assertThatThrownBy(() -> MeteringClient.builder().apiCallTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("apiCallTimeout must be positive, was PT0S");
  }

  @Test
  void toBuilder_keepsTheSettings() {
    try (MeteringClient client = MeteringClient.builder().region("ap-south-1").credentials(CREDENTIALS)
            .endpointOverride(URI.create("http://127.0.0.1:9")).build();
        MeteringClient copy = client.toBuilder().userAgentSuffix("x/1").build()) {
      assertThat(copy.region()).isEqualTo("ap-south-1");
      assertThat(copy.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9"));
    }
  }

  @Test
  void build_httpClientAndTransport_isRejected() {
    assertThatThrownBy(() -> MeteringClient.builder().region("us-east-1").credentials(CREDENTIALS)
        .httpClient(java.net.http.HttpClient.newHttpClient()).transport(new UrlConnectionTransport()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("httpClient and transport cannot be combined: the client sends through one or the other");
  }

  @Test
  void transportResponse_statusOutOfRange_isRejected() {
    assertThatThrownBy(() -> Transport.Response.of(42,
        java.net.http.HttpHeaders.of(java.util.Map.of(), (n, v) -> true), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("statusCode must be 100-599, was 42");
  }
}
