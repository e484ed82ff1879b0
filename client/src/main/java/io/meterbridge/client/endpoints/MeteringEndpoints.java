package io.meterbridge.client.endpoints;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Endpoint resolution for the AWS Marketplace Metering Service, by the service's official endpoint
 * rule set.
 *
 * <pre>{@code
 * ResolvedEndpoint endpoint = MeteringEndpoints.resolve(
 *     EndpointParams.builder().region("us-east-1").useFips(true).build());
 * endpoint.uri(); // https://metering.marketplace-fips.us-east-1.amazonaws.com
 * }</pre>
 *
 * <p>The rules are not hand-written here: this class interprets the rule set and the partitions
 * bundled as resources ({@code endpoint-rule-set-1.json}, {@code partitions.json}, copied from
 * botocore; see {@code SOURCES.txt} beside them), so that a newer rule set drops in as a file. They
 * are parsed on first use, once per class loader, and then resolution only walks the parsed rules.
 *
 * <p>Thread-safe.
 */
public final class MeteringEndpoints {

  /** The SigV4 service name of the Metering Service, {@code aws-marketplace}. */
  public static final String SIGNING_NAME = "aws-marketplace";

  private static final String RULE_SET = "endpoint-rule-set-1.json";
  private static final String PARTITIONS = "partitions.json";

  // Not a holder class: a failed load would then surface as NoClassDefFoundError on every later
  // call, hiding the cause; here each call retries and reports the real error.
  private static volatile RuleSet bundled;

  private MeteringEndpoints() {}

  /**
   * Resolves the endpoint for {@code params}.
   *
   * <pre>{@code
   * MeteringEndpoints.resolve(EndpointParams.ofRegion("cn-northwest-1")).uri();
   * // https://metering.marketplace.cn-northwest-1.amazonaws.com.cn
   * }</pre>
   *
   * @throws EndpointResolutionException with the rule set's message when the rules reject the
   *     parameters, for example "Invalid Configuration: Missing Region" or "FIPS is enabled but
   *     this partition does not support FIPS"
   */
  public static ResolvedEndpoint resolve(EndpointParams params) {
    ResolvedEndpoint standard = StandardEndpoints.resolve(params);
    return standard != null ? standard : resolve(bundledRules(), params);
  }

  static ResolvedEndpoint resolve(RuleSet rules, EndpointParams params) {
    Map<String, Object> arguments = new HashMap<>();
    // Parameters are bound by their built-in role, not by name, as the SDKs do: a rule set may
    // rename a parameter, but AWS::Region stays the region.
    for (RuleSet.Parameter parameter : rules.parameters()) {
      Object value = builtIn(parameter.builtIn(), params);
      if (value != null) {
        arguments.put(parameter.name(), value);
      }
    }
    RuleSet.Endpoint endpoint = rules.evaluate(arguments);

    Optional<String> signingRegion = params.region();
    String signingName = SIGNING_NAME;
    Optional<Map<?, ?>> sigv4 = sigv4Scheme(endpoint.properties());
    if (sigv4.isPresent()) {
      if (sigv4.get().get("signingRegion") instanceof String region) {
        signingRegion = Optional.of(region);
      }
      if (sigv4.get().get("signingName") instanceof String name) {
        signingName = name;
      }
    }
    return new ResolvedEndpoint(uri(endpoint.url()), signingRegion, signingName, endpoint.headers());
  }

  private static Object builtIn(String builtIn, EndpointParams params) {
    if (builtIn == null) {
      return null;
    }
    switch (builtIn) {
      case "AWS::Region":
        return params.region().orElse(null);
      case "AWS::UseFIPS":
        return params.useFips();
      case "AWS::UseDualStack":
        return params.useDualStack();
      case "SDK::Endpoint":
        return params.endpoint().map(URI::toString).orElse(null);
      default:
        return null;
    }
  }

  /** The {@code sigv4} entry of the rule's {@code authSchemes} property, which can override signing. */
  private static Optional<Map<?, ?>> sigv4Scheme(Map<String, Object> properties) {
    if (properties.get("authSchemes") instanceof List<?> schemes) {
      for (Object scheme : schemes) {
        if (scheme instanceof Map<?, ?> map && "sigv4".equals(map.get("name"))) {
          return Optional.of(map);
        }
      }
    }
    return Optional.empty();
  }

  private static URI uri(String url) {
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      throw new EndpointResolutionException("The resolved endpoint is not a valid URI: " + url);
    }
  }

  static RuleSet bundledRules() {
    RuleSet rules = bundled;
    if (rules == null) {
      synchronized (MeteringEndpoints.class) {
        rules = bundled;
        if (rules == null) {
          rules = load();
          bundled = rules;
        }
      }
    }
    return rules;
  }

  private static RuleSet load() {
    try (InputStream partitions = resource(PARTITIONS); InputStream ruleSet = resource(RULE_SET)) {
      return RuleSet.parse(ruleSet, Partitions.parse(partitions));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the bundled endpoint rules", e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("The bundled endpoint rules cannot be used: " + e.getMessage(), e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = MeteringEndpoints.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("Missing resource " + name + " beside " + MeteringEndpoints.class.getName());
    }
    return in;
  }
}
