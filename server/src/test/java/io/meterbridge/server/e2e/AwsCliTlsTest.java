package io.meterbridge.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AWS CLI over HTTPS, trusting the test's own CA with {@code --ca-bundle}; skipped without {@code aws}. */
class AwsCliTlsTest {
  @TempDir Path dir;

  @Test
  void awsCli_metersAndResolvesOverHttps_withTheTestsCa() throws Exception {
    Optional<Path> aws = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(d -> Path.of(d, "aws")).filter(Files::isExecutable).findFirst();
    assumeTrue(aws.isPresent(), "the AWS CLI (aws) is not installed on this machine, so its HTTPS check is skipped;"
        + " install it to run this test");
    try (TestServer server = TlsScenarios.sqlite(dir)) {
      String hour = server.clock().instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1)).toString();
      String meter = run(aws.get(), server, TestServer.BUYER_KEY, "meter-usage", "--product-code", TestServer.AMI,
          "--timestamp", hour, "--usage-dimension", "vcpu_hours", "--usage-quantity", "3");
      assertThat(meter).contains("MeteringRecordId");
      String resolve = run(aws.get(), server, TestServer.SELLER_KEY, "resolve-customer",
          "--registration-token", TestServer.TOKEN);
      assertThat(resolve).contains("cust-buyer");
    }
  }

  private String run(Path aws, TestServer server, String key, String... command) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of(aws.toString(), "meteringmarketplace"));
    args.addAll(List.of(command));
    args.addAll(List.of("--endpoint-url", server.endpoint(), "--ca-bundle", TlsScenarios.tls().ca().toString(),
        "--region", "us-east-1", "--output", "json"));
    ProcessBuilder process = new ProcessBuilder(args).redirectErrorStream(true);
    // Keep the machine's own AWS profile and credentials out of it.
    process.environment().put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
    process.environment().put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
    process.environment().remove("AWS_PROFILE");
    process.environment().remove("AWS_SESSION_TOKEN");
    process.environment().remove("AWS_CA_BUNDLE");
    process.environment().put("AWS_ACCESS_KEY_ID", key);
    process.environment().put("AWS_SECRET_ACCESS_KEY", TestServer.SECRET);
    Process started = process.start();
    String output = new String(started.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(started.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(started.exitValue()).as("%s%n%s", args, output).isZero();
    return output;
  }
}
