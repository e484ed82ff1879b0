package io.meterbridge.server.store;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a caller's software runs, as the catalog records it for an access key. AWS learns it from
 * the credentials (an ECS task role, an EKS service account's web identity); a SigV4 request to
 * Meterbridge carries nothing that tells, so the catalog says it per access key. RegisterUsage
 * answers {@code PlatformNotSupportedException} from a platform its product does not list.
 */
public enum Platform {
  /** Amazon ECS on EC2 instances. */
  ECS,
  /** Amazon EKS. */
  EKS,
  /** AWS Fargate (ECS or EKS). */
  FARGATE,
  /** A container run directly on an EC2 instance, without an orchestrator AWS knows. */
  EC2,
  /** Anything else: on premises, ECS Anywhere, EKS Anywhere, another cloud. */
  OTHER;

  /** What RegisterUsage supports unless a product says otherwise: "Amazon ECS, Amazon EKS, and Fargate". */
  public static final Set<Platform> REGISTER_USAGE_DEFAULT = Set.copyOf(EnumSet.of(ECS, EKS, FARGATE));

  /** The platform of this name, in any case. */
  public static Optional<Platform> parse(String name) {
    for (Platform p : values()) {
      if (p.name().equals(name.toUpperCase(Locale.ROOT))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** {@code ECS, EKS, FARGATE, EC2, OTHER}: the names, for messages. */
  public static String names() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }

  /** Platforms in declaration order, comma-separated, as stored. */
  static String join(Set<Platform> platforms) {
    return EnumSet.copyOf(platforms).stream().map(Enum::name).collect(Collectors.joining(","));
  }

  /** The platforms of a stored list; none stored is the default. */
  static Set<Platform> split(Optional<String> stored) {
    if (stored.isEmpty() || stored.get().isEmpty()) {
      return REGISTER_USAGE_DEFAULT;
    }
    return Set.copyOf(Arrays.stream(stored.get().split(",")).map(Platform::valueOf).toList());
  }
}
