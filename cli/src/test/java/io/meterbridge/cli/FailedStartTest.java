package io.meterbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A start that fails says why in a sentence or two, and leaves nothing behind. */
class FailedStartTest {
  @TempDir
  Path dir;

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  final List<Path> readOnly = new ArrayList<>();

  @AfterEach
  void writableAgain() throws Exception {
    for (Path path : readOnly) {
      if (root()) {
        run("chattr", "-i", path.toString());
      } else {
        path.toFile().setWritable(true);
      }
    }
  }

  int serve(String... args) {
    CommandLine cli = MeterbridgeCommand.commandLine(Map.of(), dir);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of("serve"));
    all.addAll(List.of(args));
    return cli.execute(all.toArray(String[]::new));
  }

  @Test
  void portTaken_failsBeforeTheDatabaseIsCreatedAndSuggestsPort0() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int exit = serve("--port", Integer.toString(taken.getLocalPort()), "--data", dir.resolve("data").toString());

      assertThat(exit).isEqualTo(1);
      assertThat(err.toString()).contains("Could not listen on 127.0.0.1:" + taken.getLocalPort(),
          "Address already in use", "--port 0 for a free one");
      assertThat(dir.resolve("data")).doesNotExist();
    }
  }

  @Test
  void readOnlyDataDirectory_oneSentenceNotTheMigrationLibrarysBlock() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    makeReadOnly(data);

    int exit = serve("--port", "0", "--data", data.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString().strip()).matches("meterbridge serve: could not start: the data directory " + data
        + " is not writable \\((permission denied|operation not permitted)\\); make it writable for this user,"
        + " or choose another data directory \\(--data\\)").doesNotContain("SQL State");
  }

  @Test
  void dataDirectoryThatCannotBeCreated_keepsTheReason() throws Exception {
    Path parent = Files.createDirectory(dir.resolve("parent"));
    makeReadOnly(parent);

    int exit = serve("--port", "0", "--data", parent.resolve("data").toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).containsPattern("cannot create the data directory " + parent.resolve("data")
        + ": (permission denied|operation not permitted); create it, or choose another data directory");
  }

  @Test
  void dataDirectoryUnderAFile_saysSo() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");

    int exit = serve("--port", "0", "--data", file.resolve("data").toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("cannot create the data directory " + file.resolve("data") + ": not a directory");
  }

  @Test
  void brokenSeedFile_ourMessageWithoutJacksonsSource() throws Exception {
    Path seed = Files.writeString(dir.resolve("seed.json"), "{\"products\": [\n");

    int exit = serve("--port", "0", "--data", dir.resolve("data").toString(), "--seed", seed.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains(seed + ": line 2, column 1: not valid JSON",
        "(start marker at line 1, column 14)").doesNotContain("Source", "REDACTED");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void postgresqlError_onceWithoutPoolClassNames() {
    int exit = serve("--port", "0", "--db", "jdbc:postgresql://127.0.0.1:5432/meterbridge_no_such_db?user=postgres");

    assertThat(exit).isEqualTo(1);
    String text = err.toString();
    assertThat(text).contains("cannot open the PostgreSQL database at jdbc:postgresql://127.0.0.1:5432/");
    assertThat(text.split("does not exist", -1)).as(text).hasSize(2);
    assertThat(text).doesNotContain("com.zaxxer", "Hikari", "Exception");
  }

  @Test
  void demoOffWithoutSeedOrAdminToken_refusesToStartSayingWhy() {
    int exit = serve("--port", "0", "--data", dir.resolve("data").toString(), "--demo", "off");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("meterbridge serve: will not start: the demo is off, there is no seed"
        + " file and no admin token, and the database has no products, so no one could call this server");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void demoOffOnAnEmptyPostgresqlDatabase_refusesToStartSayingWhy() throws Exception {
    String schema = "failed_start_" + Long.toHexString(System.nanoTime());
    String url = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
      try {
        int exit = serve("--port", "0", "--demo", "off", "--db", url + "&currentSchema=" + schema);

        assertThat(exit).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).contains("no one could call this server");
      } finally {
        st.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  @Test
  void demoOffWithAnAdminToken_starts() throws Exception {
    CommandLine cli = MeterbridgeCommand.commandLine(Map.of("METERBRIDGE_ADMIN_TOKEN", "admin-token-0123456789"), dir);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    ServeCommand command = (ServeCommand) cli.getSubcommands().get("serve").getCommandSpec().userObject();
    Thread thread = new Thread(() -> cli.execute("serve", "--port", "0", "--data", dir.resolve("data").toString(),
        "--demo", "off"));
    thread.start();
    try {
      assertThat(command.awaitStarted(java.time.Duration.ofSeconds(60))).as("started; %s", err).isTrue();
    } finally {
      command.stop();
      thread.join(30_000);
    }
  }

  private void makeReadOnly(Path path) throws Exception {
    if (root()) {
      // Root writes through permission bits; only the immutable attribute stops it.
      assumeTrue(run("chattr", "+i", path.toString()) == 0, "chattr +i is not supported here");
    } else {
      assumeTrue(path.toFile().setWritable(false, false), "cannot make " + path + " read-only");
    }
    readOnly.add(path);
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
