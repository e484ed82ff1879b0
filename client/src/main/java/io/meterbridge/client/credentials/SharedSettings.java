package io.meterbridge.client.credentials;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings every AWS SDK reads from outside the code, for the Marketplace Metering client:
 * system properties, then environment variables, then the selected profile of the shared config
 * file, the same order as the AWS SDK for Java. A value given to the client builder beats all of
 * them; the builder asks this class only for what it was not given.
 *
 * <table>
 *   <caption>Settings and where they are read</caption>
 *   <tr><th>setting</th><th>system property</th><th>variable</th><th>profile</th></tr>
 *   <tr><td>endpoint (this service)</td><td>{@code aws.endpointUrlMarketplaceMetering}</td>
 *       <td>{@code AWS_ENDPOINT_URL_MARKETPLACE_METERING}</td>
 *       <td>{@code marketplace_metering.endpoint_url} in its {@code [services x]} section</td></tr>
 *   <tr><td>endpoint (all services)</td><td>{@code aws.endpointUrl}</td>
 *       <td>{@code AWS_ENDPOINT_URL}</td><td>{@code endpoint_url}</td></tr>
 *   <tr><td>ignore configured endpoints</td><td>{@code aws.ignoreConfiguredEndpointUrls}</td>
 *       <td>{@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS}</td>
 *       <td>{@code ignore_configured_endpoint_urls}</td></tr>
 *   <tr><td>max attempts</td><td>{@code aws.maxAttempts}</td><td>{@code AWS_MAX_ATTEMPTS}</td>
 *       <td>{@code max_attempts}</td></tr>
 *   <tr><td>retry mode</td><td>{@code aws.retryMode}</td><td>{@code AWS_RETRY_MODE}</td>
 *       <td>{@code retry_mode}</td></tr>
 *   <tr><td>FIPS endpoint</td><td>{@code aws.useFipsEndpoint}</td>
 *       <td>{@code AWS_USE_FIPS_ENDPOINT}</td><td>{@code use_fips_endpoint}</td></tr>
 *   <tr><td>dual-stack endpoint</td><td>{@code aws.useDualstackEndpoint}</td>
 *       <td>{@code AWS_USE_DUALSTACK_ENDPOINT}</td><td>{@code use_dualstack_endpoint}</td></tr>
 *   <tr><td>application id (User-Agent)</td><td>{@code sdk.ua.appId}</td>
 *       <td>{@code AWS_SDK_UA_APP_ID}</td><td>{@code sdk_ua_app_id}</td></tr>
 *   <tr><td>CA bundle (PEM)</td><td></td><td>{@code AWS_CA_BUNDLE}</td>
 *       <td>{@code ca_bundle}</td></tr>
 *   <tr><td>region</td><td>{@code aws.region}</td>
 *       <td>{@code AWS_REGION}, {@code AWS_DEFAULT_REGION}</td><td>{@code region}</td></tr>
 * </table>
 *
 * <p>The service-specific endpoint beats the global one at every level (property, variable,
 * profile), as the AWS SDKs order them. Values are read on each call, so build the client after
 * changing them. A value that cannot be used (a word where a number belongs) fails with an
 * {@link IllegalStateException} naming the setting and where it came from.
 *
 * <pre>{@code
 * Optional<Integer> attempts = SharedSettings.system().maxAttempts();
 * }</pre>
 */
public final class SharedSettings {

  /** The service's key in a {@code [services x]} section and its environment suffix. */
  static final String SERVICE_KEY = "marketplace_metering";

  private final Environment environment;
  /** Null: read the files on every lookup; otherwise the files as read once. */
  private final ProfileFile[] snapshot;

  private SharedSettings(Environment environment, boolean snapshot) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.snapshot = snapshot ? new ProfileFile[1] : null;
  }

  /**
   * These settings with the shared files read at most once from now on, so that a client's
   * build reads {@code ~/.aws/config} once rather than once per setting. Properties and variables
   * are still read live.
   *
   * <pre>{@code
   * SharedSettings once = SharedSettings.system().snapshot();
   * }</pre>
   */
  public SharedSettings snapshot() {
    return new SharedSettings(environment, true);
  }

  private ProfileFile files() {
    if (snapshot == null) {
      return ProfileFile.load(environment);
    }
    synchronized (snapshot) {
      if (snapshot[0] == null) {
        snapshot[0] = ProfileFile.load(environment);
      }
      return snapshot[0];
    }
  }

  /**
   * This process's system properties, environment and {@code ~/.aws/config}.
   *
   * <pre>{@code
   * SharedSettings settings = SharedSettings.system();
   * }</pre>
   */
  public static SharedSettings system() {
    return new SharedSettings(Environment.system(), false);
  }

  /**
   * Settings from the given variables and properties, with {@code home} as the home directory
   * (for {@code ~/.aws/config}), instead of the process's: for tests, so they need not change the
   * real environment. The maps are read live.
   *
   * <pre>{@code
   * SharedSettings settings = SharedSettings.of(Map.of("AWS_MAX_ATTEMPTS", "5"), Map.of(), tempDir);
   * }</pre>
   */
  public static SharedSettings of(Map<String, String> variables, Map<String, String> properties,
      Path home) {
    return new SharedSettings(Environment.of(variables, properties, home), false);
  }

  /** A value and where it was found, for messages. */
  private record Found(String value, String source) {}

  /**
   * The configured endpoint URL for Marketplace Metering, unless
   * {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS} (or its property or profile key) is true.
   *
   * @throws IllegalStateException if the value is not an absolute http or https URI
   */
  public Optional<URI> endpointUrl() {
    if (flag("aws.ignoreConfiguredEndpointUrls", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "ignore_configured_endpoint_urls").orElse(false)) {
      return Optional.empty();
    }
    Optional<Found> found = find("aws.endpointUrlMarketplaceMetering",
        "AWS_ENDPOINT_URL_MARKETPLACE_METERING", null);
    if (found.isEmpty()) {
      found = find("aws.endpointUrl", "AWS_ENDPOINT_URL", null);
    }
    if (found.isEmpty()) {
      found = servicesEndpoint();
    }
    if (found.isEmpty()) {
      found = find(null, null, "endpoint_url");
    }
    return found.map(SharedSettings::uri);
  }

  /**
   * {@code AWS_MAX_ATTEMPTS}: attempts per call, the first included.
   *
   * @throws IllegalStateException if not a whole number of at least 1
   */
  public Optional<Integer> maxAttempts() {
    Optional<Found> found = find("aws.maxAttempts", "AWS_MAX_ATTEMPTS", "max_attempts");
    if (found.isEmpty()) {
      return Optional.empty();
    }
    String value = found.get().value();
    try {
      int attempts = Integer.parseInt(value);
      if (attempts >= 1) {
        return Optional.of(attempts);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalStateException(found.get().source() + " is '" + value
        + "'; set it to the number of attempts per call, at least 1 (3 is the default)");
  }

  /**
   * {@code AWS_RETRY_MODE}, lower case: {@code standard}, {@code adaptive} or {@code legacy}.
   *
   * @throws IllegalStateException for any other value
   */
  public Optional<String> retryMode() {
    Optional<Found> found = find("aws.retryMode", "AWS_RETRY_MODE", "retry_mode");
    if (found.isEmpty()) {
      return Optional.empty();
    }
    String mode = found.get().value().toLowerCase(Locale.ROOT);
    if (mode.equals("standard") || mode.equals("adaptive") || mode.equals("legacy")) {
      return Optional.of(mode);
    }
    throw new IllegalStateException(found.get().source() + " is '" + found.get().value()
        + "'; use standard, adaptive or legacy");
  }

  /** {@code AWS_USE_FIPS_ENDPOINT}. @throws IllegalStateException unless true or false */
  public Optional<Boolean> useFips() {
    return flag("aws.useFipsEndpoint", "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
  }

  /** {@code AWS_USE_DUALSTACK_ENDPOINT}. @throws IllegalStateException unless true or false */
  public Optional<Boolean> useDualStack() {
    return flag("aws.useDualstackEndpoint", "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint");
  }

  /**
   * {@code AWS_SDK_UA_APP_ID}: your application's id, sent in the {@code User-Agent} as
   * {@code app/<id>}.
   *
   * @throws IllegalStateException if longer than 50 characters or with characters a header cannot
   *     carry
   */
  public Optional<String> appId() {
    Optional<Found> found = find("sdk.ua.appId", "AWS_SDK_UA_APP_ID", "sdk_ua_app_id");
    if (found.isPresent()) {
      checkAppId(found.get().value(), found.get().source());
      return Optional.of(found.get().value());
    }
    return Optional.empty();
  }

  /** Checks an application id as the AWS SDKs limit it. */
  public static void checkAppId(String appId, String source) {
    if (appId.length() > 50) {
      throw new IllegalStateException(source + " is " + appId.length()
          + " characters long; the AWS SDKs allow at most 50");
    }
    for (int i = 0; i < appId.length(); i++) {
      char c = appId.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalStateException(source + " may hold only visible ASCII characters, without"
            + " spaces; it has one at position " + i);
      }
    }
  }

  /** {@code AWS_CA_BUNDLE}: a PEM file of the certificate authorities to trust instead of the JVM's. */
  public Optional<Path> caBundle() {
    Optional<Found> found = find(null, "AWS_CA_BUNDLE", "ca_bundle");
    return found.isPresent() ? Optional.of(environment.expandHome(found.get().value()))
        : Optional.empty();
  }

  /** The region chain: {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, {@code aws.region}, the profile. */
  public RegionProvider regionProvider() {
    return new DefaultRegionProvider(environment);
  }

  private Optional<Boolean> flag(String property, String variable, String profileKey) {
    Optional<Found> found = find(property, variable, profileKey);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    String value = found.get().value();
    if (value.equalsIgnoreCase("true")) {
      return Optional.of(Boolean.TRUE);
    }
    if (value.equalsIgnoreCase("false")) {
      return Optional.of(Boolean.FALSE);
    }
    throw new IllegalStateException(found.get().source() + " is '" + value
        + "'; use true or false");
  }

  private Optional<Found> find(String property, String variable, String profileKey) {
    if (property != null) {
      Optional<String> value = environment.property(property);
      if (value.isPresent()) {
        return Optional.of(new Found(value.get(), "the system property " + property));
      }
    }
    if (variable != null) {
      Optional<String> value = environment.variable(variable);
      if (value.isPresent()) {
        return Optional.of(new Found(value.get(), variable));
      }
    }
    if (profileKey != null) {
      String name = ProfileFile.profileName(environment);
      ProfileFile files = files();
      Optional<Map<String, String>> profile = files.profile(name);
      String value = profile.isPresent() ? profile.get().get(profileKey) : null;
      if (value != null && !value.isBlank()) {
        return Optional.of(new Found(value.strip(), profileKey + " in " + files.describe(name)));
      }
    }
    return Optional.empty();
  }

  private Optional<Found> servicesEndpoint() {
    String name = ProfileFile.profileName(environment);
    ProfileFile files = files();
    Optional<String> services = files.profile(name).map(p -> p.get("services"))
        .map(String::strip).filter(v -> !v.isEmpty());
    if (services.isEmpty()) {
      return Optional.empty();
    }
    return files.section("services", services.get())
        .map(section -> section.get(SERVICE_KEY))
        .map(ProfileFile::subProperties)
        .map(sub -> sub.get("endpoint_url"))
        .filter(v -> !v.isEmpty())
        .map(v -> new Found(v, SERVICE_KEY + ".endpoint_url in [services " + services.get()
            + "] of " + files.configFile()));
  }

  private static URI uri(Found found) {
    try {
      URI uri = new URI(found.value());
      String scheme = uri.getScheme();
      if (scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new IllegalStateException(found.source() + " is '" + found.value()
        + "'; use an absolute http or https URL such as https://metering.example.com");
  }

  @Override
  public String toString() {
    return "SharedSettings[system properties, environment, profile '"
        + ProfileFile.profileName(environment) + "' of " + ProfileFile.configPath(environment) + "]";
  }
}
