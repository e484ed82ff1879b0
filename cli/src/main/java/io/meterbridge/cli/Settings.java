package io.meterbridge.cli;

import static io.meterbridge.server.MeterbridgeServerConfig.ACCESS_LOG;
import static io.meterbridge.server.MeterbridgeServerConfig.ADMIN_TOKEN;
import static io.meterbridge.server.MeterbridgeServerConfig.AUDIT;
import static io.meterbridge.server.MeterbridgeServerConfig.AUDIT_RETENTION;
import static io.meterbridge.server.MeterbridgeServerConfig.BIND;
import static io.meterbridge.server.MeterbridgeServerConfig.DATA;
import static io.meterbridge.server.MeterbridgeServerConfig.DB;
import static io.meterbridge.server.MeterbridgeServerConfig.DEMO;
import static io.meterbridge.server.MeterbridgeServerConfig.DISABLED_REGIONS;
import static io.meterbridge.server.MeterbridgeServerConfig.INSECURE_ANY_CREDENTIALS;
import static io.meterbridge.server.MeterbridgeServerConfig.MAX_CONNECTIONS;
import static io.meterbridge.server.MeterbridgeServerConfig.MAX_CONNECTIONS_PER_ADDRESS;
import static io.meterbridge.server.MeterbridgeServerConfig.PORT;
import static io.meterbridge.server.MeterbridgeServerConfig.RATES;
import static io.meterbridge.server.MeterbridgeServerConfig.REGION;
import static io.meterbridge.server.MeterbridgeServerConfig.REGISTRATION_TOKEN_TTL;
import static io.meterbridge.server.MeterbridgeServerConfig.FAULTS;
import static io.meterbridge.server.MeterbridgeServerConfig.REQUEST_HEAD_TIMEOUT;
import static io.meterbridge.server.MeterbridgeServerConfig.SEED;
import static io.meterbridge.server.MeterbridgeServerConfig.THROTTLING;
import static io.meterbridge.server.MeterbridgeServerConfig.TIME_WINDOW;
import static io.meterbridge.server.MeterbridgeServerConfig.TLS_CERT;
import static io.meterbridge.server.MeterbridgeServerConfig.TLS_KEY;

import io.meterbridge.server.MeterbridgeServerConfig;
import io.meterbridge.server.MeterbridgeServerConfigException.Problem;
import io.meterbridge.server.MeterbridgeServerConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of {@code meterbridge serve}, from three sources: command-line flags, then
 * {@code METERBRIDGE_*} environment variables, then a properties config file, then the defaults.
 * Each setting has one name: {@code time-window} is {@code --time-window}, {@code
 * METERBRIDGE_TIME_WINDOW} and {@code time-window=} in the file. Every value remembers its source so
 * that an error says where to fix it.
 */
final class Settings {
  /** The config file's own setting; not itself allowed in the file. */
  static final String CONFIG = "config";

  /** Every setting, in the order they are documented. */
  static final List<String> NAMES = List.of(PORT, BIND, DATA, DB, REGION, TIME_WINDOW, THROTTLING, RATES,
      INSECURE_ANY_CREDENTIALS, ADMIN_TOKEN, REGISTRATION_TOKEN_TTL, SEED, DEMO, DISABLED_REGIONS, TLS_CERT, TLS_KEY,
      MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS, REQUEST_HEAD_TIMEOUT, FAULTS, AUDIT, AUDIT_RETENTION, ACCESS_LOG);

  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)([dhms])");

  /**
   * One setting's value.
   *
   * @param text the value as written
   * @param source where it was written, such as {@code --port} or {@code environment variable METERBRIDGE_PORT}
   * @param base the directory relative paths start from
   */
  record Value(String text, String source, Path base) {}

  private final Map<String, Value> values;
  private final List<Problem> problems;
  private final List<String> warnings;

  private Settings(Map<String, Value> values, List<Problem> problems, List<String> warnings) {
    this.values = values;
    this.problems = problems;
    this.warnings = warnings;
  }

  /** The environment variable of a setting: {@code METERBRIDGE_TIME_WINDOW}. */
  static String envName(String setting) {
    return "METERBRIDGE_" + setting.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** The command-line flag of a setting. */
  static String flag(String setting) {
    return setting.equals(RATES) ? "--rate" : "--" + setting;
  }

  /**
   * Resolves every setting.
   *
   * @param flags values given on the command line, by setting name
   * @param env the environment
   * @param workingDir where relative paths of flags and variables start
   */
  static Settings resolve(Map<String, String> flags, Map<String, String> env, Path workingDir) {
    return resolve(NAMES, flags, env, workingDir);
  }

  /**
   * Resolves the settings {@code names} of a command (serve's are {@link #NAMES}).
   *
   * @param flags values given on the command line, by setting name
   * @param env the environment
   * @param workingDir where relative paths of flags and variables start
   */
  static Settings resolve(List<String> names, Map<String, String> flags, Map<String, String> env,
      Path workingDir) {
    List<Problem> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Map<String, Value> values = new LinkedHashMap<>();

    Optional<Value> configFile = Optional.ofNullable(flags.get(CONFIG))
        .map(v -> new Value(v, flag(CONFIG), workingDir))
        .or(() -> Optional.ofNullable(env.get(envName(CONFIG)))
            .map(v -> new Value(v, "environment variable " + envName(CONFIG), workingDir)));
    if (configFile.isPresent()) {
      readFile(names, configFile.get(), values, problems);
    }
    for (String name : env.keySet()) {
      if (name.startsWith("METERBRIDGE_") && !name.equals(envName(CONFIG))
          && names.stream().noneMatch(s -> envName(s).equals(name))) {
        warnings.add("ignoring environment variable " + name + ": not a setting (known: "
            + names.stream().map(Settings::envName).toList() + ")");
      }
    }
    for (String setting : names) {
      String fromEnv = env.get(envName(setting));
      if (fromEnv != null) {
        values.put(setting, new Value(fromEnv, "environment variable " + envName(setting), workingDir));
      }
      String fromFlag = flags.get(setting);
      if (fromFlag != null) {
        values.put(setting, new Value(fromFlag, flag(setting), workingDir));
      }
    }
    return new Settings(values, problems, warnings);
  }

  private static void readFile(List<String> names, Value file, Map<String, Value> values, List<Problem> problems) {
    Path path = file.base().resolve(file.text());
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (NoSuchFileException e) {
      problems.add(new Problem(CONFIG, "no such file '" + path + "' (from " + file.source() + ")"));
      return;
    } catch (IOException | IllegalArgumentException e) {
      problems.add(new Problem(CONFIG, "cannot read '" + path + "': " + e.getMessage() + " (from " + file.source() + ")"));
      return;
    }
    Path base = path.toAbsolutePath().getParent();
    for (String key : new TreeSet<>(properties.stringPropertyNames())) {
      if (!names.contains(key)) {
        problems.add(new Problem(CONFIG, "'" + key + "' in " + path + " is not a setting; use one of "
            + String.join(", ", names)));
        continue;
      }
      values.put(key, new Value(properties.getProperty(key).strip(), "config file " + path, base));
    }
  }

  /** Problems with the sources themselves (the config file), found while resolving. */
  List<Problem> problems() {
    return problems;
  }

  /** A setting's value, if any source gave one. */
  Optional<Value> value(String setting) {
    return Optional.ofNullable(values.get(setting));
  }

  /** Warnings about the sources that do not stop the start (unknown METERBRIDGE_ variables). */
  List<String> warnings() {
    return warnings;
  }

  /** Where a setting's value came from: a flag, a variable, the config file, or the default. */
  String source(String setting) {
    Value value = values.get(setting);
    return value == null ? "default" : value.source();
  }

  /**
   * The configuration these settings describe.
   *
   * @throws MeterbridgeServerConfigException naming every invalid setting and where its value came from
   */
  MeterbridgeServerConfig toConfig() {
    List<Problem> all = new ArrayList<>(problems);
    MeterbridgeServerConfig.Builder builder = MeterbridgeServerConfig.builder();
    with(PORT, all, (v, text) -> builder.port(integer(text, "a port number from 0 to 65535")));
    with(BIND, all, (v, text) -> builder.bindAddress(text));
    with(DATA, all, (v, text) -> builder.dataDir(v.base().resolve(text).normalize()));
    with(DB, all, (v, text) -> builder.databaseUrl(text));
    with(REGION, all, (v, text) -> builder.regions(list(text)));
    with(TIME_WINDOW, all, (v, text) -> builder.timeWindow(text));
    with(THROTTLING, all, (v, text) -> builder.throttling(bool(text)));
    with(RATES, all, (v, text) -> {
      for (String rate : list(text)) {
        int eq = rate.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("'" + rate + "' is not OPERATION=CALLS_PER_SECOND, such as BatchMeterUsage=100");
        }
        String perSecond = rate.substring(eq + 1).strip();
        try {
          builder.rate(rate.substring(0, eq).strip(), Double.parseDouble(perSecond));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + perSecond + "' in '" + rate + "' is not a number of calls a second");
        }
      }
    });
    with(INSECURE_ANY_CREDENTIALS, all, (v, text) -> builder.insecureAnyCredentials(bool(text)));
    with(ADMIN_TOKEN, all, (v, text) -> builder.adminToken(text));
    with(REGISTRATION_TOKEN_TTL, all, (v, text) -> builder.registrationTokenTtl(duration(text)));
    with(SEED, all, (v, text) -> builder.seedFile(v.base().resolve(text).normalize()));
    with(FAULTS, all, (v, text) -> builder.faultsFile(v.base().resolve(text).normalize()));
    with(DEMO, all, (v, text) -> builder.demo(bool(text)));
    with(DISABLED_REGIONS, all, (v, text) -> builder.disabledRegions(java.util.Set.copyOf(list(text))));
    with(TLS_CERT, all, (v, text) -> builder.tlsCertificate(v.base().resolve(text).normalize()));
    with(TLS_KEY, all, (v, text) -> builder.tlsPrivateKey(v.base().resolve(text).normalize()));
    with(MAX_CONNECTIONS, all, (v, text) -> builder.maxConnections(integer(text, "a number of connections")));
    with(MAX_CONNECTIONS_PER_ADDRESS, all,
        (v, text) -> builder.maxConnectionsPerAddress(integer(text, "a number of connections")));
    with(REQUEST_HEAD_TIMEOUT, all, (v, text) -> builder.requestHeadTimeout(duration(text)));
    with(AUDIT, all, (v, text) -> builder.audit(bool(text)));
    with(AUDIT_RETENTION, all, (v, text) -> builder.auditRetention(duration(text)));
    with(ACCESS_LOG, all, (v, text) -> builder.accessLog(
        text.equals("off") || text.equals("stdout") ? text : v.base().resolve(text).normalize().toString()));
    try {
      MeterbridgeServerConfig config = builder.build();
      if (all.isEmpty()) {
        return config;
      }
    } catch (MeterbridgeServerConfigException e) {
      for (Problem problem : e.problems()) {
        all.add(new Problem(problem.setting(), problem.message() + " (from " + source(problem.setting()) + ")"));
      }
    }
    throw new MeterbridgeServerConfigException(all);
  }

  interface Apply {
    void apply(Value value, String text);
  }

  /** Applies a setting's value, if any; an IllegalArgumentException becomes a problem naming its source. */
  void with(String setting, List<Problem> problems, Apply apply) {
    Value value = values.get(setting);
    if (value == null) {
      return;
    }
    try {
      apply.apply(value, value.text().strip());
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(setting, e.getMessage() + " (from " + value.source() + ")"));
    }
  }

  static int integer(String text, String what) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not " + what);
    }
  }

  static boolean bool(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "on", "true", "yes", "1" -> true;
      case "off", "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException("'" + text + "' is not on or off (true/false, yes/no)");
    };
  }

  static List<String> list(String text) {
    return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /** {@code 4h}, {@code 90m}, {@code 1h30m}, {@code 2d}, {@code 45s}, or ISO-8601 such as {@code PT4H}. */
  static Duration duration(String text) {
    String what = "'" + text + "' is not a duration such as 4h, 30m, 1h30m, 2d or PT4H";
    if (text.toUpperCase(Locale.ROOT).startsWith("P")) {
      try {
        return Duration.parse(text);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(what);
      }
    }
    Matcher part = DURATION_PART.matcher(text.toLowerCase(Locale.ROOT));
    Duration total = Duration.ZERO;
    int end = 0;
    while (part.lookingAt()) {
      long amount;
      try {
        amount = Long.parseLong(part.group(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(what);
      }
      total = total.plus(switch (part.group(2)) {
        case "d" -> Duration.ofDays(amount);
        case "h" -> Duration.ofHours(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofSeconds(amount);
      });
      end = part.end();
      part.region(end, text.length());
    }
    if (end == 0 || end != text.length()) {
      throw new IllegalArgumentException(what);
    }
    return total;
  }
}
