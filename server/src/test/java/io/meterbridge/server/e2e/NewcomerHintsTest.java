package io.meterbridge.server.e2e;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.MeteringClient;
import io.meterbridge.client.RetryPolicy;
import io.meterbridge.exception.ExpiredTokenException;
import io.meterbridge.exception.InvalidSignatureException;
import io.meterbridge.exception.UnrecognizedClientException;
import io.meterbridge.model.ResolveCustomerRequest;
import io.meterbridge.server.MeterbridgeServer;
import io.meterbridge.server.MeterbridgeServerConfig;
import io.meterbridge.server.seed.DemoCatalog;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mistakes a newcomer makes first keep AWS's error code and words, and add what to do; through
 * the wire with our client against a demo server that checks signatures.
 */
class NewcomerHintsTest {
  @TempDir
  static Path dir;

  static MeterbridgeServer server;

  @BeforeAll
  static void start() {
    server = MeterbridgeServer.start(MeterbridgeServerConfig.builder().port(0).dataDir(dir.resolve("data"))
        .regions("us-east-1").build());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static MeteringClient client(String region, String accessKeyId, String secret) {
    return MeteringClient.builder().region(region).credentials(AwsCredentials.of(accessKeyId, secret))
        .endpointOverride(server.endpoint()).retryPolicy(RetryPolicy.none()).build();
  }

  static ResolveCustomerRequest demoToken() {
    return new ResolveCustomerRequest(DemoCatalog.REGISTRATION_TOKEN);
  }

  @Test
  void realAwsKeys_areUnrecognizedClient_andNameTheDemoKeys() {
    try (MeteringClient client = client("us-east-1", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")) {
      assertThatThrownBy(() -> client.resolveCustomer(demoToken()))
          .isInstanceOf(UnrecognizedClientException.class)
          .hasMessageContaining("The security token included in the request is invalid.")
          .hasMessageContaining("'AKIAIOSFODNN7EXAMPLE' is not known to this server")
          .hasMessageContaining("meterbridge demo");
    }
  }

  @Test
  void anotherRegion_isInvalidSignature_andNamesTheServersRegionAndTheFlag() {
    try (MeteringClient client = client("eu-west-1", DemoCatalog.SELLER_ACCESS_KEY_ID,
        DemoCatalog.SELLER_SECRET_ACCESS_KEY)) {
      assertThatThrownBy(() -> client.resolveCustomer(demoToken()))
          .isInstanceOf(InvalidSignatureException.class)
          .hasMessageContaining("Credential should be scoped to a valid region, not 'eu-west-1'.")
          .hasMessageContaining("this server serves us-east-1")
          .hasMessageContaining("--region eu-west-1");
    }
  }

  @Test
  void expiredDemoToken_isExpiredToken_andSaysHowToGetANewOne() {
    try (MeteringClient client = client("us-east-1", DemoCatalog.SELLER_ACCESS_KEY_ID,
        DemoCatalog.SELLER_SECRET_ACCESS_KEY)) {
      server.clock().shift(Duration.ofHours(5));
      try {
        assertThatThrownBy(() -> client.resolveCustomer(demoToken()))
            .isInstanceOf(ExpiredTokenException.class)
            .hasMessageContaining("Registration token expired at")
            .hasMessageContaining("'meterbridge demo' issues a new demo token");
      } finally {
        server.clock().reset();
      }
    }
  }
}
