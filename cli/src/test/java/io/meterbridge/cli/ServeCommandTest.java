package io.meterbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meterbridge.server.seed.DemoCatalog;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
  @TempDir
  Path dir;

  final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void shutdown() {
    threads.shutdownNow();
  }

  /** One run of the command line: its output and, for serve, the command to stop. */
  final class Run {
    final CommandLine cli;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final ServeCommand serve;

    Run(Map<String, String> env) {
      cli = MeterbridgeCommand.commandLine(env, dir);
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      serve = (ServeCommand) cli.getSubcommands().get("serve").getCommandSpec().userObject();
    }

    int execute(String... args) {
      return cli.execute(args);
    }

    /** Starts serve in a thread and waits until it listens. */
    Future<Integer> serve(String... args) throws Exception {
      String[] all = Stream.concat(Stream.of("serve", "--port", "0", "--data", dir.resolve("data").toString()),
          Arrays.stream(args)).toArray(String[]::new);
      Future<Integer> exit = threads.submit(() -> cli.execute(all));
      for (int i = 0; i < 600 && !serve.awaitStarted(Duration.ofMillis(100)); i++) {
        if (exit.isDone()) {
          throw new AssertionError("serve ended with " + exit.get() + ": " + err);
        }
      }
      assertThat(serve.running()).as("serve started; stderr: %s", err).isPresent();
      return exit;
    }

    URI endpoint() {
      return serve.running().orElseThrow().endpoint();
    }

    int stop(Future<Integer> exit) throws Exception {
      serve.stop();
      return exit.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void serve_startsReachableOverHttpAndStopsCleanly() throws Exception {
    Run run = new Run(Map.of());
    Future<Integer> exit = run.serve();

    HttpResponse<String> health = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(run.endpoint().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(run.out.toString()).contains("Meterbridge ", " listening on " + run.endpoint(),
        "authentication  SigV4", "Press Ctrl-C to stop.");
    assertThat(run.stop(exit)).isZero();
    assertThat(run.out.toString()).endsWith("Meterbridge stopped." + System.lineSeparator());
    assertThat(run.serve.running()).isEmpty();
  }

  @Test
  void serve_printsTheDemoCatalogOnAnEmptyDatabaseOnly() throws Exception {
    Run first = new Run(Map.of());
    first.stop(first.serve());
    Run second = new Run(Map.of());
    second.stop(second.serve());

    assertThat(first.out.toString()).contains("Demo catalog loaded",
        DemoCatalog.SELLER_ACCESS_KEY_ID, DemoCatalog.SELLER_SECRET_ACCESS_KEY,
        DemoCatalog.BUYER_ACCESS_KEY_ID, DemoCatalog.BUYER_SECRET_ACCESS_KEY,
        DemoCatalog.SAAS_PRODUCT, DemoCatalog.AMI_PRODUCT, DemoCatalog.CONTAINER_PRODUCT,
        DemoCatalog.CUSTOMER_IDENTIFIER, DemoCatalog.REGISTRATION_TOKEN,
        "aws meteringmarketplace batch-meter-usage --endpoint-url http://127.0.0.1:");
    assertThat(second.out.toString()).doesNotContain("Demo catalog loaded", DemoCatalog.SELLER_SECRET_ACCESS_KEY)
        .contains("holds the demo catalog of an earlier start");
  }

  @Test
  void serve_insecureFlag_isShownInTheBanner() throws Exception {
    Run run = new Run(Map.of());
    Future<Integer> exit = run.serve("--insecure-any-credentials");

    assertThat(run.out.toString()).contains("INSECURE: signatures are not checked");
    assertThat(run.stop(exit)).isZero();
  }

  @Test
  void serve_settingsFromTheEnvironment() throws Exception {
    Run run = new Run(Map.of("METERBRIDGE_INSECURE_ANY_CREDENTIALS", "true", "METERBRIDGE_THROTTLING", "off",
        "METERBRIDGE_REGION", "eu-west-1"));
    Future<Integer> exit = run.serve();

    assertThat(run.serve.running().orElseThrow().config().regions()).containsExactly("eu-west-1");
    assertThat(run.out.toString()).contains("throttling      off");
    assertThat(run.stop(exit)).isZero();
  }

  @Test
  void serve_invalidSettings_exitWith2AndNameThem() {
    Run run = new Run(Map.of("METERBRIDGE_PORT", "eighty"));

    int exit = run.execute("serve", "--time-window", "12h");

    assertThat(exit).isEqualTo(2);
    assertThat(run.err.toString()).contains("meterbridge serve: invalid configuration",
        "port: 'eighty' is not a port number from 0 to 65535 (from environment variable METERBRIDGE_PORT)",
        "time-window: '12h' is not a policy");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void serve_faultsFile_isInForceFromTheStart() throws Exception {
    Path faults = dir.resolve("faults.json");
    Files.writeString(faults, "{\"rules\":[{\"operation\":\"*\",\"kind\":\"throttle\",\"probability\":0.1}],"
        + "\"seed\":42}");
    Run run = new Run(Map.of());
    Future<Integer> exit = run.serve("--faults", faults.toString());

    assertThat(run.out.toString()).contains("FAULTS          1 rule(s) from " + faults);
    assertThat(run.serve.running().orElseThrow().faults().plan().seed()).isEqualTo(42);
    assertThat(run.stop(exit)).isZero();
  }

  @Test
  void serve_invalidFaultsFile_exitsWith1NamingTheProblem() throws Exception {
    Path faults = dir.resolve("faults.json");
    Files.writeString(faults, "{\"rules\":[{\"operation\":\"*\",\"kind\":\"melt\",\"count\":1}]}");
    Run run = new Run(Map.of());

    assertThat(run.execute("serve", "--port", "0", "--data", dir.resolve("data").toString(), "--faults",
        faults.toString())).isEqualTo(1);
    assertThat(run.err.toString()).contains(faults + ": rules[0].kind: 'melt' is not one of throttle");
  }

  @Test
  void serve_unknownOption_exitsWith2() {
    Run run = new Run(Map.of());

    assertThat(run.execute("serve", "--prot", "1")).isEqualTo(2);
    assertThat(run.err.toString()).contains("Unknown options: '--prot'");
  }

  @Test
  void serve_portTaken_exitsWith1() throws Exception {
    Run first = new Run(Map.of());
    Future<Integer> running = first.serve();
    try {
      Run second = new Run(Map.of());

      int exit = second.execute("serve", "--port", Integer.toString(first.endpoint().getPort()),
          "--data", dir.resolve("other").toString());

      assertThat(exit).isEqualTo(1);
      assertThat(second.err.toString()).contains("meterbridge serve: could not start:", "Could not listen on");
    } finally {
      first.stop(running);
    }
  }

  @Test
  void serve_invalidSeed_exitsWith1WithThePath() throws Exception {
    Path seed = Files.writeString(dir.resolve("seed.json"), "{\"products\": [{\"productCode\": \"p\","
        + " \"seller\": \"111111111111\", \"type\": \"SASS\"}]}");
    Run run = new Run(Map.of());

    int exit = run.execute("serve", "--port", "0", "--seed", seed.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(run.err.toString()).contains("products[0].type: 'SASS' is not one of SAAS, AMI, CONTAINER");
  }

  @Test
  void version_printsTheBuildVersion() {
    Run run = new Run(Map.of());

    assertThat(run.execute("version")).isZero();
    assertThat(run.out.toString()).startsWith("meterbridge 0.").doesNotContain("${");
  }

  @Test
  void printedAwsCliCommands_workAsPrintedWithSigV4() throws Exception {
    Optional<Path> aws = onPath("aws");
    assumeTrue(aws.isPresent(), "the AWS CLI (aws) is not installed on this machine, so the printed command"
        + " cannot be run; install it to run this test");
    Run run = new Run(Map.of());
    Future<Integer> exit = run.serve();
    try {
      List<String> commands = run.out.toString().lines().map(String::strip)
          .filter(line -> line.startsWith("AWS_ACCESS_KEY_ID=")).toList();
      assertThat(commands).hasSize(4);
      for (String command : commands) {
        ProcessBuilder process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true);
        // Keep the machine's own AWS profile and credentials out of it.
        process.environment().put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
        process.environment().put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
        process.environment().remove("AWS_PROFILE");
        process.environment().remove("AWS_SESSION_TOKEN");
        Process started = process.start();
        String output = new String(started.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(started.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(started.exitValue()).as("%s%n%s", command, output).isZero();
        if (command.contains("batch-meter-usage")) {
          assertThat(output).contains("\"Status\": \"Success\"");
        } else if (command.contains("register-usage")) {
          assertThat(output).contains("\"Signature\": \"");
        } else if (command.contains("resolve-customer")) {
          assertThat(output).contains(DemoCatalog.CUSTOMER_IDENTIFIER);
        } else {
          assertThat(output).contains("MeteringRecordId");
        }
      }
    } finally {
      run.stop(exit);
    }
  }

  private static Optional<Path> onPath(String program) {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(d -> Path.of(d, program))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
