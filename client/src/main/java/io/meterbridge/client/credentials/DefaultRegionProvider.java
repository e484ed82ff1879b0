package io.meterbridge.client.credentials;

import java.util.Objects;
import java.util.Optional;

/** The environment-then-profile region chain behind {@link RegionProvider#defaultChain()}. */
final class DefaultRegionProvider implements RegionProvider {

  private final Environment environment;

  DefaultRegionProvider(Environment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  @Override
  public Optional<String> region() {
    return environment.variable("AWS_REGION")
        .or(() -> environment.variable("AWS_DEFAULT_REGION"))
        .or(() -> environment.property("aws.region"))
        .or(this::profileRegion);
  }

  // An unreadable config file throws rather than reads as "no region": absence would leave the
  // user with no hint of why their region was ignored.
  private Optional<String> profileRegion() {
    String name = ProfileFile.profileName(environment);
    return ProfileFile.load(environment).profile(name)
        .map(profile -> profile.get("region"))
        .map(String::strip)
        .filter(region -> !region.isEmpty());
  }

  @Override
  public String toString() {
    return "AWS_REGION, AWS_DEFAULT_REGION, the aws.region system property and 'region' in profile '"
        + ProfileFile.profileName(environment) + "' of " + ProfileFile.configPath(environment)
        + " or " + ProfileFile.credentialsPath(environment);
  }
}
