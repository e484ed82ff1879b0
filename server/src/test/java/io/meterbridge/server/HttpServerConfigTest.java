package io.meterbridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.server.auth.Authenticator;
import io.meterbridge.server.http.HttpServer;
import io.meterbridge.server.http.HttpServerConfig;
import io.meterbridge.server.throttle.Throttling;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpServerConfigTest {
  @Test
  void defaults_areValid() {
    HttpServerConfig config = HttpServerConfig.defaults();

    assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.regions()).containsExactly("us-east-1");
    assertThat(config.bodyLimitBytes()).isEqualTo(1_048_576);
    assertThat(config.throttling()).isEqualTo(Throttling.defaults());
  }

  @Test
  void portOutOfRange_isRefusedNamingTheSetting() {
    assertThatThrownBy(() -> HttpServerConfig.builder().port(70_000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid server configuration: port must be between 0 and 65535, was 70000");
  }

  @Test
  void badBindAddress_isRefusedNamingTheSetting() {
    assertThatThrownBy(() -> HttpServerConfig.builder().bindAddress(" ").build())
        .hasMessageContaining("bindAddress must be set");
    assertThatThrownBy(() -> HttpServerConfig.builder().bindAddress("no-such-host.invalid").build())
        .hasMessageContaining("bindAddress 'no-such-host.invalid' is not an IP address or a known host name");
  }

  @Test
  void everyProblem_isReportedAtOnce() {
    assertThatThrownBy(() -> HttpServerConfig.builder()
        .port(-1)
        .regions("US East")
        .bodyLimitBytes(2_000_000)
        .maxHeaderBytes(10)
        .idleTimeout(Duration.ZERO)
        .ioThreads(0)
        .throttling(null)
        .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port must be between 0 and 65535, was -1")
        .hasMessageContaining("regions: 'US East' is not a region name such as us-east-1")
        .hasMessageContaining("bodyLimitBytes must be between 1024 and 1048576, was 2000000")
        .hasMessageContaining("maxHeaderBytes must be between 1024 and 1048576, was 10")
        .hasMessageContaining("idleTimeout must be between PT1S and PT1H, was PT0S")
        .hasMessageContaining("ioThreads must be between 1 and 256, was 0")
        .hasMessageContaining("throttling must be set; use Throttling.off() for no quotas");
  }

  @Test
  void noRegions_isRefused() {
    assertThatThrownBy(() -> HttpServerConfig.builder().regions().build())
        .hasMessageContaining("regions must name at least one region");
  }

  @Test
  void toBuilder_roundTrips() {
    HttpServerConfig config = HttpServerConfig.builder().port(0).regions("eu-west-1", "us-east-1")
        .throttling(Throttling.off()).idleTimeout(Duration.ofSeconds(5)).build();

    assertThat(config.toBuilder().build()).hasToString(config.toString());
  }

  @Test
  void serverWithoutService_isRefused() {
    assertThatThrownBy(() -> HttpServer.builder().authenticator(Authenticator.anyCredentials("123456789012", "us-east-1")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("service must be set");
  }

  @Test
  void serverWithoutAuthenticator_isRefused() {
    assertThatThrownBy(() -> HttpServer.builder().service(new CannedService()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("authenticator must be set");
  }

  @Test
  void port_beforeStart_isAnError() {
    HttpServer server = HttpServer.builder().port(0).service(new CannedService())
        .authenticator(Authenticator.anyCredentials("123456789012", "us-east-1")).build();

    assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class).hasMessage("The server is not started");
  }

  @Test
  void portInUse_failsStartWithTheAddress() {
    try (HttpServer first = HttpServer.builder().port(0).service(new CannedService())
        .authenticator(Authenticator.anyCredentials("123456789012", "us-east-1")).build().start()) {
      HttpServer second = HttpServer.builder().port(first.port()).service(new CannedService())
          .authenticator(Authenticator.anyCredentials("123456789012", "us-east-1")).build();

      assertThatThrownBy(second::start)
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageStartingWith("Could not listen on 127.0.0.1:" + first.port());
    }
  }

  @Test
  void start_twice_isAnError_andCloseIsIdempotent() {
    HttpServer server = HttpServer.builder().port(0).service(new CannedService())
        .authenticator(Authenticator.anyCredentials("123456789012", "us-east-1")).build().start();

    assertThatThrownBy(server::start).hasMessage("The server is already started");
    server.close();
    server.close();
    assertThat(server.running()).isFalse();
  }

  @Test
  void anyCredentials_wantsATwelveDigitAccount() {
    assertThatThrownBy(() -> Authenticator.anyCredentials("demo", "us-east-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("accountId must be 12 digits, was 'demo'");
  }
}
