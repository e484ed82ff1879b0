package io.meterbridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.model.Operation;
import io.meterbridge.server.MeterbridgeServerConfigException.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeterbridgeServerConfigTest {
  @TempDir
  Path dir;

  @Test
  void defaults_areTheDocumentedOnes() {
    MeterbridgeServerConfig config = MeterbridgeServerConfig.builder().build();

    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(config.dataDir()).isEqualTo(Path.of("data"));
    assertThat(config.databaseUrl()).isEmpty();
    assertThat(config.regions()).containsExactly("us-east-1");
    assertThat(config.timeWindow().name()).isEqualTo("24h");
    assertThat(config.throttling().limit(Operation.BATCH_METER_USAGE)).isPresent();
    assertThat(config.insecureAnyCredentials()).isFalse();
    assertThat(config.adminToken()).isEmpty();
    assertThat(config.registrationTokenTtl()).isEqualTo(Duration.ofHours(4));
    assertThat(config.seedFile()).isEmpty();
    assertThat(config.demo()).isTrue();
  }

  @Test
  void build_everyInvalidSetting_isNamedInOneException() {
    assertThatThrownBy(() -> MeterbridgeServerConfig.builder()
        .port(70_000)
        .timeWindow("12h")
        .regions("moon-1")
        .databaseUrl("jdbc:mysql://db/x")
        .adminToken("short")
        .registrationTokenTtl(Duration.ofSeconds(5))
        .seedFile(dir.resolve("missing.json"))
        .build())
        .isInstanceOfSatisfying(MeterbridgeServerConfigException.class, e -> assertThat(e.problems())
            .extracting(Problem::setting)
            .containsExactly("port", "db", "region", "time-window", "admin-token", "registration-token-ttl", "seed"))
        .hasMessageContaining("port: must be between 0 and 65535, was 70000")
        .hasMessageContaining("time-window: '12h' is not a policy: use 24h")
        .hasMessageContaining("region: 'moon-1' is not a region name such as us-east-1")
        .hasMessageContaining("db: 'jdbc:mysql://db/x' is not a PostgreSQL JDBC URL")
        .hasMessageContaining("admin-token: must be at least 16 characters")
        .hasMessageContaining("registration-token-ttl: must be between 1m and 365d, was PT5S")
        .hasMessageContaining("seed: '" + dir.resolve("missing.json") + "' is not a file");
  }

  @Test
  void rates_overrideThePublishedQuotas() {
    MeterbridgeServerConfig config = MeterbridgeServerConfig.builder().rate("BatchMeterUsage", 500).build();

    assertThat(config.throttling().limit(Operation.BATCH_METER_USAGE).orElseThrow().perSecond()).isEqualTo(500);
    assertThat(config.throttling().limit(Operation.REGISTER_USAGE).orElseThrow().perSecond()).isEqualTo(5);
  }

  @Test
  void rates_unknownOperationOrNonPositive_areRefused() {
    assertThatThrownBy(() -> MeterbridgeServerConfig.builder().rate("MeterUsages", 5).rate("MeterUsage", 0).build())
        .hasMessageContaining("rates: 'MeterUsages' is not an operation: use one of [BatchMeterUsage, MeterUsage,")
        .hasMessageContaining("rates: MeterUsage must be a positive number of calls a second, was 0.0");
  }

  @Test
  void rates_withThrottlingOff_areRefusedRatherThanIgnored() {
    assertThatThrownBy(() -> MeterbridgeServerConfig.builder().throttling(false).rate("MeterUsage", 5).build())
        .hasMessageContaining("rates: are set but throttling is off");
  }

  @Test
  void throttlingOff_hasNoQuotas() {
    assertThat(MeterbridgeServerConfig.builder().throttling(false).build().throttling().enabled()).isFalse();
  }

  @Test
  void data_thatIsAFile_isRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("data"), "x");

    assertThatThrownBy(() -> MeterbridgeServerConfig.builder().dataDir(file).build())
        .hasMessageContaining("data: '" + file + "' is a file, not a directory");
  }

  @Test
  void toString_hidesTheAdminTokenAndDatabasePassword() {
    MeterbridgeServerConfig config = MeterbridgeServerConfig.builder()
        .adminToken("0123456789abcdef-secret")
        .databaseUrl("jdbc:postgresql://db/x?user=u&password=hunter2")
        .build();

    assertThat(config.toString()).doesNotContain("secret", "hunter2").contains("password=***");
  }
}
