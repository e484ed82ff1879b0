package io.meterbridge.client.credentials;

import java.util.Objects;
import java.util.Optional;

/**
 * A source of the AWS region, such as {@code us-east-1}.
 *
 * <p>Absence is normal for a single source, so {@link #region()} returns an {@code Optional};
 * {@link #requireRegion()} turns absence into an error that says where it looked.
 *
 * <pre>{@code
 * // a value from the client builder wins, else the environment and the shared config
 * RegionProvider regions = RegionProvider.of("eu-west-1").orElse(RegionProvider.defaultChain());
 * String region = regions.requireRegion();
 * }</pre>
 */
@FunctionalInterface
public interface RegionProvider {

  /**
   * The region from this source, if it has one.
   *
   * <pre>{@code
   * Optional<String> region = RegionProvider.defaultChain().region();
   * }</pre>
   */
  Optional<String> region();

  /**
   * The region, or an error naming every place that was searched.
   *
   * <pre>{@code
   * String region = RegionProvider.defaultChain().requireRegion();
   * }</pre>
   *
   * @throws CredentialsException if no region is configured
   */
  default String requireRegion() {
    return region().orElseThrow(() -> new CredentialsException(
        "No AWS region configured; looked in " + this
            + ". Set it on the client builder or with AWS_REGION."));
  }

  /**
   * This source, and {@code fallback} when this one has no region.
   *
   * <pre>{@code
   * RegionProvider.of("eu-west-1").orElse(RegionProvider.defaultChain());
   * }</pre>
   */
  default RegionProvider orElse(RegionProvider fallback) {
    Objects.requireNonNull(fallback, "fallback");
    RegionProvider first = this;
    return new RegionProvider() {
      @Override
      public Optional<String> region() {
        return first.region().or(fallback::region);
      }

      @Override
      public String toString() {
        return first + ", then " + fallback;
      }
    };
  }

  /**
   * A fixed region, typically the value given to a client builder.
   *
   * <pre>{@code
   * RegionProvider.of("us-east-1");
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code region} is blank
   */
  static RegionProvider of(String region) {
    Objects.requireNonNull(region, "region");
    String value = region.strip();
    if (value.isEmpty()) {
      throw new IllegalArgumentException("region is blank");
    }
    return new RegionProvider() {
      @Override
      public Optional<String> region() {
        return Optional.of(value);
      }

      @Override
      public String toString() {
        return "the configured region";
      }
    };
  }

  /**
   * {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}, else the system property
   * {@code aws.region}, else {@code region} in the profile of the shared config files (the profile
   * chosen by {@code aws.profile} / {@code AWS_PROFILE}, else {@code default}). Read on every call.
   *
   * <pre>{@code
   * Optional<String> region = RegionProvider.defaultChain().region();
   * }</pre>
   */
  static RegionProvider defaultChain() {
    return new DefaultRegionProvider(Environment.system());
  }
}
