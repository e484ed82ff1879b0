package io.meterbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.model.Operation;
import io.meterbridge.server.MeterbridgeServerConfig;
import io.meterbridge.server.MeterbridgeServerConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  @TempDir
  Path dir;

  Path configFile(String text) throws Exception {
    return Files.writeString(dir.resolve("meterbridge.properties"), text);
  }

  MeterbridgeServerConfig config(Map<String, String> flags, Map<String, String> env) {
    return Settings.resolve(flags, env, dir).toConfig();
  }

  @Test
  void precedence_flagsOverEnvironmentOverFileOverDefaults() throws Exception {
    Path file = configFile("port=1111\nbind=0.0.0.0\ntime-window=6h\nregion=eu-west-1\n");
    Map<String, String> env = Map.of("METERBRIDGE_CONFIG", file.toString(),
        "METERBRIDGE_PORT", "2222", "METERBRIDGE_BIND", "127.0.0.1");
    Map<String, String> flags = Map.of("port", "3333");

    MeterbridgeServerConfig config = config(flags, env);

    assertThat(config.port()).isEqualTo(3333);                    // flag
    assertThat(config.bindAddress()).isEqualTo("127.0.0.1");       // environment
    assertThat(config.timeWindow().name()).isEqualTo("6h");        // file
    assertThat(config.regions()).containsExactly("eu-west-1");     // file
    assertThat(config.registrationTokenTtl()).isEqualTo(Duration.ofHours(4)); // default
  }

  @Test
  void hardeningSettings_comeFromEverySource_andRelativeTlsPathsStartAtTheFile() throws Exception {
    Files.createDirectories(dir.resolve("tls"));
    Files.writeString(dir.resolve("tls/chain.pem"), "pem");
    Files.writeString(dir.resolve("tls/key.pem"), "pem");
    Path file = configFile("tls-cert=tls/chain.pem\ntls-key=tls/key.pem\nmax-connections=500\n");

    MeterbridgeServerConfig config = config(Map.of("disabled-regions", "eu-west-1,ap-south-1",
            "request-head-timeout", "5s", "config", file.toString()),
        Map.of("METERBRIDGE_MAX_CONNECTIONS_PER_ADDRESS", "50"));

    assertThat(config.tlsCertificate()).contains(dir.resolve("tls/chain.pem").toAbsolutePath());
    assertThat(config.tlsPrivateKey()).contains(dir.resolve("tls/key.pem").toAbsolutePath());
    assertThat(config.maxConnections()).isEqualTo(500);
    assertThat(config.maxConnectionsPerAddress()).isEqualTo(50);
    assertThat(config.requestHeadTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.disabledRegions()).containsExactlyInAnyOrder("eu-west-1", "ap-south-1");
  }

  @Test
  void hardeningSettings_invalidValues_nameTheSetting() {
    assertThatThrownBy(() -> config(Map.of("max-connections", "10", "max-connections-per-address", "20",
        "tls-cert", "missing.pem", "request-head-timeout", "0s"), Map.of()))
        .isInstanceOf(MeterbridgeServerConfigException.class)
        .hasMessageContaining("max-connections-per-address: must be between 1 and max-connections (10), was 20")
        .hasMessageContaining("tls-key: must be set with tls-cert")
        .hasMessageContaining("request-head-timeout: must be between 100ms and 10m, was PT0S");
  }

  @Test
  void configFlag_winsOverConfigVariable() throws Exception {
    Path file = configFile("port=1111\n");
    Path other = Files.writeString(dir.resolve("other.properties"), "port=4444\n");

    MeterbridgeServerConfig config = config(Map.of("config", other.toString()),
        Map.of("METERBRIDGE_CONFIG", file.toString()));

    assertThat(config.port()).isEqualTo(4444);
  }

  @Test
  void invalidValues_nameTheSettingAndWhereTheValueCameFrom() throws Exception {
    Path file = configFile("port=70000\nthrottling=maybe\n");

    assertThatThrownBy(() -> config(Map.of("time-window", "12h", "config", file.toString()),
        Map.of("METERBRIDGE_REGISTRATION_TOKEN_TTL", "soon")))
        .isInstanceOf(MeterbridgeServerConfigException.class)
        .hasMessageContaining("throttling: 'maybe' is not on or off (true/false, yes/no) (from config file " + file + ")")
        .hasMessageContaining("registration-token-ttl: 'soon' is not a duration such as 4h, 30m, 1h30m, 2d or PT4H"
            + " (from environment variable METERBRIDGE_REGISTRATION_TOKEN_TTL)")
        .hasMessageContaining("port: must be between 0 and 65535, was 70000 (from config file " + file + ")")
        .hasMessageContaining("time-window: '12h' is not a policy: use 24h (the current documented BatchMeterUsage"
            + " window) or 6h (legacy) (from --time-window)");
  }

  @Test
  void notANumber_fromTheEnvironment_namesTheVariable() {
    assertThatThrownBy(() -> config(Map.of(), Map.of("METERBRIDGE_PORT", "eighty")))
        .hasMessage("Invalid configuration: port: 'eighty' is not a port number from 0 to 65535"
            + " (from environment variable METERBRIDGE_PORT)");
  }

  @Test
  void configFile_unknownKeyOrMissingFile_isAProblem() throws Exception {
    Path file = configFile("prot=1\n");

    assertThatThrownBy(() -> config(Map.of("config", file.toString()), Map.of()))
        .hasMessageContaining("config: 'prot' in " + file + " is not a setting; use one of port, bind, data");
    assertThatThrownBy(() -> config(Map.of("config", "nope.properties"), Map.of()))
        .hasMessageContaining("config: no such file '" + dir.resolve("nope.properties") + "' (from --config)");
  }

  @Test
  void configFile_relativePaths_startAtTheFilesDirectory() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(sub.resolve("seed.json"), "{}");
    Path file = Files.writeString(sub.resolve("meterbridge.properties"), "data=state\nseed=seed.json\n");

    MeterbridgeServerConfig config = config(Map.of("config", file.toString()), Map.of());

    assertThat(config.dataDir()).isEqualTo(sub.resolve("state"));
    assertThat(config.seedFile()).contains(sub.resolve("seed.json"));
  }

  @Test
  void rates_andRegions_areCommaSeparatedLists() {
    MeterbridgeServerConfig config = config(Map.of("rates", "BatchMeterUsage=100, MeterUsage=2.5",
        "region", "us-east-1,eu-west-1"), Map.of());

    assertThat(config.throttling().limit(Operation.BATCH_METER_USAGE).orElseThrow().perSecond()).isEqualTo(100);
    assertThat(config.throttling().limit(Operation.METER_USAGE).orElseThrow().perSecond()).isEqualTo(2.5);
    assertThat(config.regions()).containsExactly("us-east-1", "eu-west-1");
  }

  @Test
  void rates_malformed_saysTheExpectedShape() {
    assertThatThrownBy(() -> config(Map.of("rates", "BatchMeterUsage:100"), Map.of()))
        .hasMessageContaining("rates: 'BatchMeterUsage:100' is not OPERATION=CALLS_PER_SECOND, such as"
            + " BatchMeterUsage=100 (from --rate)");
  }

  @Test
  void unknownMeterbridgeVariable_isAWarningNotAnError() {
    Settings settings = Settings.resolve(Map.of(), Map.of("METERBRIDGE_PROT", "1"), dir);

    assertThat(settings.warnings()).singleElement().asString()
        .startsWith("ignoring environment variable METERBRIDGE_PROT: not a setting");
    assertThat(settings.toConfig().port()).isEqualTo(8080);
  }

  @Test
  void duration_acceptsShortFormsAndIso() {
    assertThat(Settings.duration("4h")).isEqualTo(Duration.ofHours(4));
    assertThat(Settings.duration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Settings.duration("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(Settings.duration("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThat(Settings.duration("PT4H")).isEqualTo(Duration.ofHours(4));
    assertThatThrownBy(() -> Settings.duration("4 hours")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Settings.duration("h")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void booleans_acceptOnOffTrueFalseYesNo() {
    assertThat(Settings.bool("on")).isTrue();
    assertThat(Settings.bool("TRUE")).isTrue();
    assertThat(Settings.bool("no")).isFalse();
    assertThat(Settings.bool("0")).isFalse();
  }
}
