package io.meterbridge.cli;

import io.meterbridge.internal.BuildVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code meterbridge} command: {@code serve}, {@code gateway}, {@code report}, {@code reconcile},
 * {@code admin}, {@code demo}, {@code send} and {@code version}.
 *
 * <pre>{@code
 * int exit = MeterbridgeCommand.commandLine(System.getenv(), Path.of("")).execute("serve", "--port", "0");
 * }</pre>
 *
 * <p>Exit codes: 0 success (and a clean stop by SIGTERM or Ctrl-C), 1 a runtime failure (the database cannot be opened, the port is taken,
 * the seed file is invalid), 2 a usage error (an unknown option, an invalid setting).
 */
@Command(name = "meterbridge",
    description = "A self-hostable AWS Marketplace Metering Service.",
    mixinStandardHelpOptions = true,
    versionProvider = MeterbridgeCommand.Version.class,
    subcommands = {CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 success (also a clean stop by SIGTERM or Ctrl-C), 1 failure,"
        + " 2 invalid usage (no command, an unknown option, an invalid setting)."})
public final class MeterbridgeCommand implements Callable<Integer> {
  // java.util.logging holds loggers weakly: keep these so their levels stick.
  private static final List<Logger> QUIETER = new ArrayList<>();

  @Spec
  private CommandSpec spec;

  private MeterbridgeCommand() {}

  /** Runs the command and exits with its code; {@code serve} returns only once stopped. */
  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s - %5$s%6$s%n");
    }
    // The pool's and the migrations' start-up chatter hides the banner; their warnings still show.
    for (String name : List.of("com.zaxxer.hikari", "org.flywaydb")) {
      Logger logger = Logger.getLogger(name);
      logger.setLevel(Level.WARNING);
      QUIETER.add(logger);
    }
    System.exit(commandLine(System.getenv(), Path.of(""), true).execute(args));
  }

  /**
   * The command line, reading settings from {@code env} and resolving relative paths from {@code
   * workingDir}. Output goes to the command line's writers ({@link CommandLine#setOut}).
   */
  public static CommandLine commandLine(Map<String, String> env, Path workingDir) {
    return commandLine(env, workingDir, false);
  }

  /**
   * The command line of {@code main} when {@code ownsJvm}: a stop by SIGTERM or Ctrl-C ends the JVM
   * with 0 once the shutdown was clean (see {@link CleanStop}).
   */
  static CommandLine commandLine(Map<String, String> env, Path workingDir, boolean ownsJvm) {
    CommandLine commandLine = new CommandLine(new MeterbridgeCommand());
    commandLine.addSubcommand("serve", new ServeCommand(env, workingDir, ownsJvm));
    commandLine.addSubcommand("gateway", new GatewayCommand(env, workingDir, ownsJvm));
    commandLine.addSubcommand("report", new ReportCommand(env, workingDir));
    commandLine.addSubcommand("reconcile", new ReconcileCommand(env, workingDir));
    commandLine.addSubcommand("admin", AdminCommand.commandLine(env, workingDir));
    commandLine.addSubcommand("demo", new DemoCommand(env, workingDir));
    commandLine.addSubcommand("send", new SendCommand(env, workingDir));
    commandLine.addSubcommand("version", new VersionCommand());
    commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
      cl.getErr().println(cl.getColorScheme().errorText(cl.getCommandName() + ": " + e));
      e.printStackTrace(cl.getErr());
      return CommandLine.ExitCode.SOFTWARE;
    });
    return commandLine;
  }

  /** Without a subcommand there is nothing to do: the usage, on stderr, and exit code 2. */
  @Override
  public Integer call() {
    spec.commandLine().getErr().println("meterbridge: which command? Choose one of those below.");
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }

  /** The version of this build, from the jar's build-time resource. */
  static String version() {
    return BuildVersion.VERSION;
  }

  /** {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"meterbridge " + version()};
    }
  }
}
