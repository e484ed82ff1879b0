package io.meterbridge.client.credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The shared {@code ~/.aws/config} and {@code ~/.aws/credentials} files, parsed and merged.
 *
 * <p>The grammar follows the AWS CLI and SDKs: {@code [name]} sections in the credentials file,
 * {@code [profile name]} (and {@code [default]}) in the config file; {@code key = value} lines;
 * full-line comments starting with {@code #} or {@code ;}; inline comments introduced by
 * whitespace then {@code #} or {@code ;}; indented lines continue the previous value, and when
 * that value was empty they hold sub-properties ({@code key = value}), which we keep as text.
 * Malformed lines are skipped rather than fatal so that a typo in an unrelated profile cannot
 * stop this one from loading. When a profile appears in both files, each property from the
 * credentials file wins.
 */
final class ProfileFile {

  private final Path credentialsFile;
  private final Path configFile;
  private final Map<String, Map<String, String>> profiles;
  /** The config file's other sections by their full name: "services x", "sso-session y". */
  private final Map<String, Map<String, String>> sections;

  private ProfileFile(Path credentialsFile, Path configFile,
      Map<String, Map<String, String>> profiles, Map<String, Map<String, String>> sections) {
    this.credentialsFile = credentialsFile;
    this.configFile = configFile;
    this.profiles = profiles;
    this.sections = sections;
  }

  /** Loads both files from their default or overridden locations; a missing file is empty. */
  static ProfileFile load(Environment environment) {
    Path credentials = credentialsPath(environment);
    Path config = configPath(environment);
    Map<String, Map<String, String>> merged = new LinkedHashMap<>();
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    mergeInto(merged, parse(read(config), true, sections));
    mergeInto(merged, parse(read(credentials), false, new LinkedHashMap<>()));
    return new ProfileFile(credentials, config, merged, sections);
  }

  static Path credentialsPath(Environment environment) {
    return environment.variable("AWS_SHARED_CREDENTIALS_FILE")
        .map(environment::expandHome)
        .orElse(environment.home().resolve(".aws").resolve("credentials"));
  }

  static Path configPath(Environment environment) {
    return environment.variable("AWS_CONFIG_FILE")
        .map(environment::expandHome)
        .orElse(environment.home().resolve(".aws").resolve("config"));
  }

  /** The profile to use: system property {@code aws.profile}, else {@code AWS_PROFILE}, else default. */
  static String profileName(Environment environment) {
    return environment.property("aws.profile")
        .or(() -> environment.variable("AWS_PROFILE"))
        .orElse("default");
  }

  Optional<Map<String, String>> profile(String name) {
    return Optional.ofNullable(profiles.get(name));
  }

  /**
   * A non-profile section of the config file, such as {@code section("services", "local")} for
   * {@code [services local]} or {@code section("sso-session", "corp")}.
   */
  Optional<Map<String, String>> section(String type, String name) {
    return Optional.ofNullable(sections.get(type + " " + name));
  }

  /**
   * The sub-properties of a property written as an indented block, such as
   * {@code marketplace_metering =} followed by {@code   endpoint_url = http://...}.
   */
  static Map<String, String> subProperties(String value) {
    Map<String, String> properties = new LinkedHashMap<>();
    for (String line : value.split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        properties.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
      }
    }
    return properties;
  }

  Path credentialsFile() {
    return credentialsFile;
  }

  Path configFile() {
    return configFile;
  }

  /** For messages: "profile 'x' in /home/me/.aws/credentials or /home/me/.aws/config". */
  String describe(String profileName) {
    return "profile '" + profileName + "' in " + credentialsFile + " or " + configFile;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new CredentialsException("Cannot read the AWS shared file " + file, e);
    }
  }

  private static void mergeInto(
      Map<String, Map<String, String>> target, Map<String, Map<String, String>> source) {
    source.forEach((name, properties) ->
        target.computeIfAbsent(name, n -> new LinkedHashMap<>()).putAll(properties));
  }

  /**
   * Parses one file. In the config file, {@code [profile default]} beats {@code [default]} as in
   * the SDKs, and a bare {@code [name]} other than default is not a profile.
   */
  static Map<String, Map<String, String>> parse(String text, boolean configFile) {
    return parse(text, configFile, new LinkedHashMap<>());
  }

  /** As {@link #parse(String, boolean)}, putting the config file's other sections in {@code sections}. */
  static Map<String, Map<String, String>> parse(String text, boolean configFile,
      Map<String, Map<String, String>> sections) {
    Map<String, Map<String, String>> profiles = new LinkedHashMap<>();
    if (text.isEmpty()) {
      return profiles; // no file: skip the line splitter's regex, a start-up cost
    }
    boolean sawPrefixedDefault = false;
    Map<String, String> bareDefault = new LinkedHashMap<>();
    Map<String, String> current = null; // null: outside any profile we keep
    String lastKey = null;
    for (String rawLine : text.split("\r\n|\r|\n", -1)) {
      String line = stripBom(rawLine);
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
        continue;
      }
      // An indented line continues the previous property; with none to continue, indentation
      // is just untidiness and the line is read as usual.
      if (Character.isWhitespace(line.charAt(0)) && current != null && lastKey != null) {
        String previous = current.get(lastKey);
        current.put(lastKey, previous.isEmpty() ? trimmed : previous + "\n" + trimmed);
        continue;
      }
      if (trimmed.startsWith("[")) {
        lastKey = null;
        current = null;
        Optional<String> section = sectionName(trimmed);
        if (section.isEmpty()) {
          continue;
        }
        String name = section.get();
        if (!configFile) {
          current = profiles.computeIfAbsent(name, n -> new LinkedHashMap<>());
        } else if (name.equals("default")) {
          current = bareDefault;
        } else if (name.startsWith("profile ") || name.startsWith("profile\t")) {
          String profile = name.substring("profile".length()).strip();
          if (!profile.isEmpty()) {
            sawPrefixedDefault |= profile.equals("default");
            current = profiles.computeIfAbsent(profile, n -> new LinkedHashMap<>());
          }
        } else if (name.startsWith("services ") || name.startsWith("sso-session ")) {
          int space = name.indexOf(' ');
          String key = name.substring(0, space) + " " + name.substring(space + 1).strip();
          current = sections.computeIfAbsent(key, n -> new LinkedHashMap<>());
        }
        // Bare [x] sections other than default are not profiles.
        continue;
      }
      int equals = trimmed.indexOf('=');
      if (current == null || equals <= 0) {
        lastKey = null;
        continue;
      }
      String key = trimmed.substring(0, equals).strip();
      String value = stripInlineComment(trimmed.substring(equals + 1)).strip();
      current.put(key, value);
      lastKey = key;
    }
    if (!bareDefault.isEmpty() && !sawPrefixedDefault) {
      Map<String, String> merged = new LinkedHashMap<>(bareDefault);
      profiles.put("default", merged);
    }
    profiles.replaceAll((name, properties) -> Collections.unmodifiableMap(properties));
    return profiles;
  }

  private static Optional<String> sectionName(String line) {
    int close = line.indexOf(']');
    if (close < 0) {
      return Optional.empty();
    }
    String after = line.substring(close + 1).strip();
    if (!after.isEmpty() && !after.startsWith("#") && !after.startsWith(";")) {
      return Optional.empty();
    }
    String name = line.substring(1, close).strip();
    return name.isEmpty() ? Optional.empty() : Optional.of(name);
  }

  // Only a # or ; after whitespace starts a comment: secrets and URLs may contain either.
  private static String stripInlineComment(String value) {
    for (int i = 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c == '#' || c == ';') && Character.isWhitespace(value.charAt(i - 1))) {
        return value.substring(0, i);
      }
    }
    return value;
  }

  private static String stripBom(String line) {
    return line.startsWith("\uFEFF") ? line.substring(1) : line;
  }
}
