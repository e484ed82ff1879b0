package io.meterbridge.client.endpoints;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * An endpoint rule set (the Smithy rules engine, version 1.x), parsed once into a small tree of
 * rules and expressions, then evaluated for each set of parameters.
 *
 * <p>Parsing does all the string work up front (templates split into parts, {@code getAttr}
 * paths split into steps, functions looked up by name), so evaluation only walks the tree. A rule
 * set that uses a construct or function this interpreter does not know fails when parsed, with a
 * message that names it, rather than resolving to a wrong endpoint.
 */
final class RuleSet {

  // ---- the parsed form -------------------------------------------------------------------

  /** A parameter of the rule set; {@code builtIn} and {@code defaultValue} may be null. */
  record Parameter(String name, String type, String builtIn, boolean required, Object defaultValue) {}

  sealed interface Expr permits Literal, Ref, GetAttr, Template, Call, RecordExpr, TupleExpr {}

  record Literal(Object value) implements Expr {}

  record Ref(String name) implements Expr {}

  /** {@code path} holds String keys and Integer indexes, e.g. {@code a.b[0]} is [a, b, 0]. */
  record GetAttr(Expr target, List<Object> path) implements Expr {}

  /** A string with {@code {Ref}} or {@code {Ref#path}} placeholders; parts evaluate to strings. */
  record Template(List<Expr> parts) implements Expr {}

  /** {@code nullSafe} functions (isSet) see unset arguments; the others yield unset for them. */
  record Call(String name, boolean nullSafe, Function<Object[], Object> fn, List<Expr> args)
      implements Expr {}

  record RecordExpr(Map<String, Expr> fields) implements Expr {}

  record TupleExpr(List<Expr> elements) implements Expr {}

  /** {@code assign} is the variable the result is bound to, or null. */
  record Condition(Expr fn, String assign) {}

  sealed interface Rule permits EndpointRule, ErrorRule, TreeRule {
    List<Condition> conditions();
  }

  record EndpointRule(
      List<Condition> conditions, Expr url, RecordExpr properties, Map<String, List<Expr>> headers)
      implements Rule {}

  record ErrorRule(List<Condition> conditions, Expr message) implements Rule {}

  record TreeRule(List<Condition> conditions, List<Rule> rules) implements Rule {}

  /** What evaluation yields: the URL as written by the rule, its properties and headers. */
  record Endpoint(String url, Map<String, Object> properties, Map<String, List<String>> headers) {}

  private final List<Parameter> parameters;
  private final List<Rule> rules;

  private RuleSet(List<Parameter> parameters, List<Rule> rules) {
    this.parameters = parameters;
    this.rules = rules;
  }

  List<Parameter> parameters() {
    return parameters;
  }

  // ---- parsing ---------------------------------------------------------------------------

  /**
   * Parses a rule set document; {@code partitions} backs its {@code aws.partition} function.
   *
   * @throws IllegalArgumentException if the document is not a rule set this interpreter can run
   */
  static RuleSet parse(InputStream in, Partitions partitions) {
    Map<String, Object> document = object(JsonTree.read(in), "rule set");
    String version = string(document.get("version"), "rule set version");
    if (!version.startsWith("1.")) {
      throw malformed("unsupported rule set version " + version + " (1.x is supported)");
    }
    List<Parameter> parameters = new ArrayList<>();
    object(document.get("parameters"), "parameters").forEach((name, value) -> {
      Map<String, Object> p = object(value, "parameter " + name);
      String type = string(p.get("type"), "type of parameter " + name).toLowerCase(java.util.Locale.ROOT);
      if (!type.equals("string") && !type.equals("boolean")) {
        throw malformed("parameter " + name + " has unsupported type " + type);
      }
      Object builtIn = p.get("builtIn");
      parameters.add(new Parameter(
          name,
          type,
          builtIn == null ? null : string(builtIn, "builtIn of " + name),
          Boolean.TRUE.equals(p.get("required")),
          p.get("default")));
    });
    Parser parser = new Parser(partitions);
    return new RuleSet(List.copyOf(parameters), parser.rules(document.get("rules")));
  }

  private static final class Parser {
    private final Partitions partitions;

    Parser(Partitions partitions) {
      this.partitions = partitions;
    }

    List<Rule> rules(Object value) {
      List<Rule> parsed = new ArrayList<>();
      for (Object element : list(value, "rules")) {
        parsed.add(rule(object(element, "rule")));
      }
      return List.copyOf(parsed);
    }

    Rule rule(Map<String, Object> rule) {
      List<Condition> conditions = new ArrayList<>();
      for (Object c : list(rule.getOrDefault("conditions", List.of()), "conditions")) {
        Map<String, Object> condition = object(c, "condition");
        Object assign = condition.get("assign");
        conditions.add(new Condition(
            call(condition), assign == null ? null : string(assign, "assign")));
      }
      List<Condition> conds = List.copyOf(conditions);
      String type = string(rule.get("type"), "rule type");
      switch (type) {
        case "endpoint": {
          Map<String, Object> endpoint = object(rule.get("endpoint"), "endpoint");
          Map<String, List<Expr>> headers = new LinkedHashMap<>();
          object(endpoint.getOrDefault("headers", Map.of()), "headers").forEach((name, values) -> {
            List<Expr> exprs = new ArrayList<>();
            for (Object v : list(values, "values of header " + name)) {
              exprs.add(expr(v));
            }
            headers.put(name, List.copyOf(exprs));
          });
          return new EndpointRule(
              conds,
              expr(endpoint.get("url")),
              record(object(endpoint.getOrDefault("properties", Map.of()), "endpoint properties")),
              headers);
        }
        case "error":
          return new ErrorRule(conds, expr(rule.get("error")));
        case "tree":
          return new TreeRule(conds, rules(rule.get("rules")));
        default:
          throw malformed("unknown rule type " + type);
      }
    }

    /** An argument or a value: a reference, a function call, a template, a literal. */
    Expr expr(Object value) {
      if (value instanceof Map<?, ?> map) {
        if (map.containsKey("ref")) {
          return new Ref(string(map.get("ref"), "ref"));
        }
        if (map.containsKey("fn")) {
          return call(object(value, "function call"));
        }
        throw malformed("an argument object must be a ref or a function call: " + value);
      }
      return value(value);
    }

    /** Like {@link #expr}, and also records and tuples, as endpoint properties use them. */
    Expr value(Object value) {
      if (value instanceof String s) {
        return template(s);
      }
      if (value instanceof Boolean || value instanceof Number) {
        return new Literal(value);
      }
      if (value instanceof List<?> list) {
        List<Expr> elements = new ArrayList<>();
        for (Object element : list) {
          elements.add(value(element));
        }
        return new TupleExpr(List.copyOf(elements));
      }
      if (value instanceof Map<?, ?> map) {
        if (map.containsKey("ref") || map.containsKey("fn")) {
          return expr(value);
        }
        return record(object(value, "record"));
      }
      throw malformed("unsupported value " + value);
    }

    RecordExpr record(Map<String, Object> object) {
      Map<String, Expr> fields = new LinkedHashMap<>();
      object.forEach((k, v) -> fields.put(k, value(v)));
      return new RecordExpr(fields);
    }

    Expr call(Map<String, Object> call) {
      String name = string(call.get("fn"), "function name");
      List<Expr> args = new ArrayList<>();
      for (Object arg : list(call.getOrDefault("argv", List.of()), "argv of " + name)) {
        args.add(expr(arg));
      }
      switch (name) {
        case "isSet":
          arity(name, args, 1);
          return new Call(name, true, a -> a[0] != null, args);
        case "not":
          arity(name, args, 1);
          return new Call(name, false, a -> !(Boolean) a[0], args);
        case "booleanEquals":
          arity(name, args, 2);
          return new Call(name, false, a -> a[0].equals(a[1]), args);
        case "stringEquals":
          arity(name, args, 2);
          return new Call(name, false, a -> a[0].equals(a[1]), args);
        case "getAttr":
          arity(name, args, 2);
          if (!(args.get(1) instanceof Literal path) || !(path.value() instanceof String p)) {
            throw malformed("the path of getAttr must be a literal string");
          }
          return new GetAttr(args.get(0), path(p));
        case "aws.partition":
          arity(name, args, 1);
          return new Call(name, false, a -> partitions.lookup((String) a[0]), args);
        default:
          throw malformed("unsupported function " + name);
      }
    }

    /** Splits {@code {Region}} and {@code {PartitionResult#dnsSuffix}} placeholders from text. */
    Expr template(String text) {
      List<Expr> parts = new ArrayList<>();
      StringBuilder literal = new StringBuilder();
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        boolean doubled = i + 1 < text.length() && text.charAt(i + 1) == c;
        if ((c == '{' || c == '}') && doubled) {
          literal.append(c);
          i++;
        } else if (c == '{') {
          int close = text.indexOf('}', i);
          if (close < 0) {
            throw malformed("unclosed placeholder in template " + text);
          }
          if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
          }
          String placeholder = text.substring(i + 1, close);
          int hash = placeholder.indexOf('#');
          parts.add(hash < 0
              ? new Ref(placeholder)
              : new GetAttr(new Ref(placeholder.substring(0, hash)), path(placeholder.substring(hash + 1))));
          i = close;
        } else if (c == '}') {
          throw malformed("unmatched } in template " + text);
        } else {
          literal.append(c);
        }
      }
      if (parts.isEmpty()) {
        return new Literal(literal.toString());
      }
      if (literal.length() > 0) {
        parts.add(new Literal(literal.toString()));
      }
      return new Template(List.copyOf(parts));
    }
  }

  /** {@code name}, {@code a.b}, {@code list[2]}, {@code a.list[0]} as keys and indexes. */
  static List<Object> path(String path) {
    List<Object> steps = new ArrayList<>();
    for (String segment : path.split("\\.", -1)) {
      int bracket = segment.indexOf('[');
      String key = bracket < 0 ? segment : segment.substring(0, bracket);
      if (!key.isEmpty()) {
        steps.add(key);
      }
      while (bracket >= 0) {
        int close = segment.indexOf(']', bracket);
        if (close < 0) {
          throw malformed("unclosed [ in getAttr path " + path);
        }
        try {
          steps.add(Integer.valueOf(segment.substring(bracket + 1, close)));
        } catch (NumberFormatException e) {
          throw malformed("index in getAttr path " + path + " is not a number");
        }
        bracket = segment.indexOf('[', close);
      }
    }
    if (steps.isEmpty()) {
      throw malformed("empty getAttr path");
    }
    return List.copyOf(steps);
  }

  private static void arity(String name, List<Expr> args, int expected) {
    if (args.size() != expected) {
      throw malformed(name + " takes " + expected + " argument(s), got " + args.size());
    }
  }

  // ---- evaluation ------------------------------------------------------------------------

  /**
   * Evaluates the rules with the given parameter values (by parameter name; absent means unset).
   *
   * @throws EndpointResolutionException with the rule's message when an error rule applies, or
   *     when a required parameter is missing or no rule applies
   */
  Endpoint evaluate(Map<String, Object> arguments) {
    Map<String, Object> scope = new HashMap<>();
    for (Parameter p : parameters) {
      Object value = arguments.get(p.name());
      if (value == null) {
        value = p.defaultValue();
      }
      if (value == null) {
        if (p.required()) {
          throw new EndpointResolutionException("Missing required parameter " + p.name());
        }
        continue;
      }
      scope.put(p.name(), value);
    }
    Endpoint endpoint = evaluate(rules, scope);
    if (endpoint == null) {
      throw new EndpointResolutionException("No endpoint rule applies to " + arguments);
    }
    return endpoint;
  }

  /** The endpoint of the first rule that applies, or null when none does. */
  private Endpoint evaluate(List<Rule> candidates, Map<String, Object> scope) {
    for (Rule rule : candidates) {
      List<String> assigned = new ArrayList<>(2);
      if (conditionsHold(rule.conditions(), scope, assigned)) {
        if (rule instanceof EndpointRule e) {
          return endpoint(e, scope);
        }
        if (rule instanceof ErrorRule e) {
          throw new EndpointResolutionException(string(eval(e.message(), scope), "error message"));
        }
        // A tree whose conditions hold is final: no later sibling is tried, as the engine says.
        Endpoint endpoint = evaluate(((TreeRule) rule).rules(), scope);
        if (endpoint == null) {
          throw new EndpointResolutionException("No endpoint rule applies within a matching tree rule");
        }
        return endpoint;
      }
      // Variables bound by a rule that did not apply must not leak into its siblings.
      assigned.forEach(scope::remove);
    }
    return null;
  }

  private static boolean conditionsHold(
      List<Condition> conditions, Map<String, Object> scope, List<String> assigned) {
    for (Condition condition : conditions) {
      Object value = eval(condition.fn(), scope);
      if (value == null || Boolean.FALSE.equals(value)) {
        return false;
      }
      if (condition.assign() != null) {
        scope.put(condition.assign(), value);
        assigned.add(condition.assign());
      }
    }
    return true;
  }

  private static Endpoint endpoint(EndpointRule rule, Map<String, Object> scope) {
    Object url = eval(rule.url(), scope);
    if (!(url instanceof String)) {
      throw new EndpointResolutionException("The endpoint rule's URL is not a string: " + url);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> properties = (Map<String, Object>) eval(rule.properties(), scope);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    rule.headers().forEach((name, values) -> {
      List<String> evaluated = new ArrayList<>(values.size());
      for (Expr value : values) {
        evaluated.add(String.valueOf(eval(value, scope)));
      }
      headers.put(name, List.copyOf(evaluated));
    });
    return new Endpoint((String) url, properties, Map.copyOf(headers));
  }

  /** The value of {@code expr}; null means unset. */
  private static Object eval(Expr expr, Map<String, Object> scope) {
    if (expr instanceof Literal literal) {
      return literal.value();
    }
    if (expr instanceof Ref ref) {
      return scope.get(ref.name());
    }
    if (expr instanceof GetAttr getAttr) {
      Object current = eval(getAttr.target(), scope);
      for (Object step : getAttr.path()) {
        if (step instanceof String key && current instanceof Map<?, ?> map) {
          current = map.get(key);
        } else if (step instanceof Integer index && current instanceof List<?> list) {
          current = index < list.size() ? list.get(index) : null;
        } else {
          return null;
        }
      }
      return current;
    }
    if (expr instanceof Template template) {
      StringBuilder text = new StringBuilder();
      for (Expr part : template.parts()) {
        Object value = eval(part, scope);
        if (!(value instanceof String)) {
          throw new EndpointResolutionException("A template placeholder is unset or not a string: " + part);
        }
        text.append((String) value);
      }
      return text.toString();
    }
    if (expr instanceof Call call) {
      Object[] args = new Object[call.args().size()];
      for (int i = 0; i < args.length; i++) {
        args[i] = eval(call.args().get(i), scope);
        if (args[i] == null && !call.nullSafe()) {
          return null;
        }
      }
      try {
        return call.fn().apply(args);
      } catch (ClassCastException e) {
        throw new EndpointResolutionException("Wrong argument type for " + call.name() + ": " + e.getMessage());
      }
    }
    if (expr instanceof RecordExpr record) {
      Map<String, Object> fields = new LinkedHashMap<>();
      record.fields().forEach((k, v) -> fields.put(k, eval(v, scope)));
      return fields;
    }
    List<Object> elements = new ArrayList<>();
    for (Expr element : ((TupleExpr) expr).elements()) {
      elements.add(eval(element, scope));
    }
    return elements;
  }

  // ---- reading the JSON tree -------------------------------------------------------------

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object value, String what) {
    if (!(value instanceof Map)) {
      throw malformed(what + " is not a JSON object");
    }
    return (Map<String, Object>) value;
  }

  static List<Object> list(Object value, String what) {
    if (!(value instanceof List)) {
      throw malformed(what + " is not a JSON array");
    }
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) value;
    return list;
  }

  static String string(Object value, String what) {
    if (!(value instanceof String)) {
      throw malformed(what + " is not a string");
    }
    return (String) value;
  }

  private static IllegalArgumentException malformed(String message) {
    return new IllegalArgumentException("Malformed endpoint rules: " + Objects.requireNonNull(message));
  }
}
