package io.meterbridge.server.faults;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.meterbridge.model.Operation;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The faults a server injects: rules, and the seed of the random draws, so that a run can be
 * repeated. Read from JSON (the body of {@code POST /admin/faults}, or a {@code --faults} file):
 *
 * <pre>{@code
 * {"rules": [{"operation": "BatchMeterUsage", "kind": "throttle", "probability": 0.2},
 *            {"operation": "*", "kind": "delay", "count": 5, "delayMs": 3000}],
 *  "seed": 42}
 * }</pre>
 *
 * @param rules the rules, in the order they are tried for each call
 * @param seed the seed of the draws; the same seed and the same calls fire the same faults
 */
public record FaultPlan(List<FaultRule> rules, long seed) {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> RULE_FIELDS = Set.of("operation", "kind", "probability", "count", "delayMs");
  private static final long MAX_DELAY_MS = 600_000;

  public FaultPlan {
    rules = List.copyOf(rules);
  }

  /** No faults. */
  public static FaultPlan none() {
    return new FaultPlan(List.of(), 0);
  }

  /**
   * The plan in {@code json}, every problem reported at once with its JSON path. Without a seed, a
   * random one is drawn (and shown by {@code GET /admin/faults}).
   *
   * @throws FaultPlanException listing every problem
   */
  public static FaultPlan parse(byte[] json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new FaultPlanException(List.of("the body is not valid JSON: " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new FaultPlanException(List.of("the body cannot be read: " + e.getMessage()));
    }
    List<String> problems = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new FaultPlanException(List.of("must be a JSON object: {\"rules\": [...], \"seed\": 42}"));
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("rules") && !name.equals("seed")) {
        problems.add(name + ": is not a known field; expected rules and seed");
      }
    }
    long seed = System.nanoTime();
    JsonNode seedNode = root.get("seed");
    if (seedNode != null && !seedNode.isNull()) {
      if (seedNode.isIntegralNumber() && seedNode.canConvertToLong()) {
        seed = seedNode.longValue();
      } else {
        problems.add("seed: must be a whole number");
      }
    }
    List<FaultRule> rules = new ArrayList<>();
    JsonNode list = root.get("rules");
    if (list == null || !list.isArray()) {
      problems.add("rules: required, a list of rules");
    } else {
      for (int i = 0; i < list.size(); i++) {
        rule(list.get(i), "rules[" + i + "]", problems).ifPresent(rules::add);
      }
    }
    if (!problems.isEmpty()) {
      throw new FaultPlanException(problems);
    }
    return new FaultPlan(rules, seed);
  }

  private static Optional<FaultRule> rule(JsonNode r, String at, List<String> problems) {
    if (!r.isObject()) {
      problems.add(at + ": must be an object");
      return Optional.empty();
    }
    int before = problems.size();
    for (Iterator<String> names = r.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!RULE_FIELDS.contains(name)) {
        problems.add(at + "." + name + ": is not a known field; expected some of " + RULE_FIELDS.stream().sorted()
            .collect(Collectors.joining(", ")));
      }
    }
    Optional<Operation<?, ?>> operation = Optional.empty();
    JsonNode op = r.get("operation");
    if (op == null || !op.isTextual()) {
      problems.add(at + ".operation: required, an operation name (BatchMeterUsage, MeterUsage, RegisterUsage,"
          + " ResolveCustomer) or *");
    } else if (!op.asText().equals("*")) {
      operation = Operation.fromName(op.asText());
      if (operation.isEmpty()) {
        problems.add(at + ".operation: '" + op.asText() + "' is not BatchMeterUsage, MeterUsage, RegisterUsage,"
            + " ResolveCustomer or *");
      }
    }
    FaultKind kind = null;
    JsonNode k = r.get("kind");
    String kinds = java.util.Arrays.stream(FaultKind.values()).map(FaultKind::wireName)
        .collect(Collectors.joining(", "));
    if (k == null || !k.isTextual()) {
      problems.add(at + ".kind: required, one of " + kinds);
    } else {
      kind = FaultKind.fromWireName(k.asText()).orElse(null);
      if (kind == null) {
        problems.add(at + ".kind: '" + k.asText() + "' is not one of " + kinds);
      }
    }
    JsonNode p = r.get("probability");
    JsonNode c = r.get("count");
    OptionalDouble probability = OptionalDouble.empty();
    OptionalInt count = OptionalInt.empty();
    if ((p == null) == (c == null)) {
      problems.add(at + ": give exactly one of probability (0 to 1) and count (1 or more)");
    } else if (p != null) {
      if (!p.isNumber() || p.doubleValue() < 0 || p.doubleValue() > 1) {
        problems.add(at + ".probability: must be a number from 0 to 1");
      } else {
        probability = OptionalDouble.of(p.doubleValue());
      }
    } else if (!c.isIntegralNumber() || !c.canConvertToInt() || c.intValue() < 1) {
      problems.add(at + ".count: must be a whole number from 1");
    } else {
      count = OptionalInt.of(c.intValue());
    }
    Duration delay = Duration.ZERO;
    JsonNode d = r.get("delayMs");
    if (d != null) {
      if (!d.isIntegralNumber() || d.longValue() < 0 || d.longValue() > MAX_DELAY_MS) {
        problems.add(at + ".delayMs: must be a whole number of milliseconds from 0 to " + MAX_DELAY_MS);
      } else if (kind != FaultKind.DELAY) {
        problems.add(at + ".delayMs: applies to kind delay only");
      } else {
        delay = Duration.ofMillis(d.longValue());
      }
    } else if (kind == FaultKind.DELAY) {
      problems.add(at + ".delayMs: required for kind delay");
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new FaultRule(operation, kind, probability, count, delay));
  }
}
