package io.meterbridge.server.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A JSON object from a request body, read with the streaming parser into plain values (String,
 * BigInteger, Double, Boolean, List, Map), with accessors that name the offending field in every
 * error. A JSON {@code null} counts as absent. Unknown fields are refused, so that a misspelt
 * field is not silently ignored.
 */
final class JsonBody {
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
      .build();

  private final Map<String, Object> fields;
  private final String prefix;

  private JsonBody(Map<String, Object> fields, String prefix) {
    this.fields = fields;
    this.prefix = prefix;
  }

  /** The body as an object; an empty body is an empty object. */
  static JsonBody parse(byte[] body) {
    if (body.length == 0) {
      return new JsonBody(Map.of(), "");
    }
    try (JsonParser parser = JSON.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw AdminException.invalid("The body must be a JSON object");
      }
      Object value = read(parser, first);
      if (parser.nextToken() != null) {
        throw AdminException.invalid("The body must hold one JSON object and nothing after it");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) value;
      return new JsonBody(map, "");
    } catch (JsonProcessingException e) {
      throw AdminException.invalid("The body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not from a byte array
    }
  }

  private static Object read(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT: {
        Map<String, Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          Object value = read(parser, parser.nextToken());
          if (map.containsKey(name)) {
            throw AdminException.invalid(name, "appears twice");
          }
          map.put(name, value);
        }
        return map;
      }
      case START_ARRAY: {
        List<Object> list = new ArrayList<>();
        JsonToken next;
        while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
          list.add(read(parser, next));
        }
        return list;
      }
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getBigIntegerValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return Absent.INSTANCE;
      default:
        throw AdminException.invalid("Unexpected JSON token " + token);
    }
  }

  /** JSON null: kept apart from a missing field only so that "appears twice" is still caught. */
  private enum Absent { INSTANCE }

  /** Refuses any field not in {@code allowed}. */
  JsonBody only(String... allowed) {
    Set<String> known = Set.of(allowed);
    for (String name : fields.keySet()) {
      if (!known.contains(name)) {
        throw AdminException.invalid(prefix + name, "is not a known field; expected some of " + new TreeSet<>(known));
      }
    }
    return this;
  }

  boolean has(String field) {
    Object value = fields.get(field);
    return value != null && value != Absent.INSTANCE;
  }

  String name(String field) {
    return prefix + field;
  }

  /** A required, non-blank string. */
  String text(String field) {
    return optionalText(field).orElseThrow(() -> AdminException.invalid(name(field), "is required"));
  }

  /** A string, if present; blank counts as present and wrong. */
  Optional<String> optionalText(String field) {
    if (!has(field)) {
      return Optional.empty();
    }
    Object value = fields.get(field);
    if (!(value instanceof String text)) {
      throw AdminException.invalid(name(field), "must be a string");
    }
    if (text.isBlank()) {
      throw AdminException.invalid(name(field), "must not be empty");
    }
    return Optional.of(text);
  }

  boolean bool(String field, boolean otherwise) {
    if (!has(field)) {
      return otherwise;
    }
    if (!(fields.get(field) instanceof Boolean b)) {
      throw AdminException.invalid(name(field), "must be true or false");
    }
    return b;
  }

  /** A whole number within [min, max], if present. */
  Optional<Long> optionalLong(String field, long min, long max) {
    if (!has(field)) {
      return Optional.empty();
    }
    Object value = fields.get(field);
    if (!(value instanceof BigInteger n)) {
      throw AdminException.invalid(name(field), "must be a whole number");
    }
    if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
      throw AdminException.invalid(name(field), n + " is not between " + min + " and " + max);
    }
    return Optional.of(n.longValue());
  }

  /** An ISO-8601 instant, if present. */
  Optional<Instant> optionalInstant(String field) {
    return optionalText(field).map(text -> instant(name(field), text));
  }

  static Instant instant(String field, String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw AdminException.invalid(field, "'" + text + "' is not an ISO-8601 instant such as 2026-03-31T23:00:00Z");
    }
  }

  /** A list of strings; empty when absent. */
  List<String> texts(String field) {
    List<Object> items = list(field);
    List<String> texts = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      if (!(items.get(i) instanceof String text) || text.isBlank()) {
        throw AdminException.invalid(name(field) + "[" + i + "]", "must be a non-empty string");
      }
      texts.add(text);
    }
    return texts;
  }

  /** A list of whole numbers within [min, max]; empty when absent. */
  List<Long> longs(String field, long min, long max) {
    List<Object> items = list(field);
    List<Long> numbers = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      if (!(items.get(i) instanceof BigInteger n)
          || n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
        throw AdminException.invalid(name(field) + "[" + i + "]", "must be a whole number between " + min + " and " + max);
      }
      numbers.add(n.longValue());
    }
    return numbers;
  }

  /** A list of objects; empty when absent. */
  List<JsonBody> objects(String field) {
    List<Object> items = list(field);
    List<JsonBody> objects = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      if (!(items.get(i) instanceof Map<?, ?> map)) {
        throw AdminException.invalid(name(field) + "[" + i + "]", "must be an object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> fieldsOf = (Map<String, Object>) map;
      objects.add(new JsonBody(fieldsOf, name(field) + "[" + i + "]."));
    }
    return objects;
  }

  private List<Object> list(String field) {
    if (!has(field)) {
      return List.of();
    }
    if (!(fields.get(field) instanceof List<?> list)) {
      throw AdminException.invalid(name(field), "must be a list");
    }
    @SuppressWarnings("unchecked")
    List<Object> items = (List<Object>) list;
    return items;
  }

  Set<String> present() {
    Set<String> names = new TreeSet<>();
    fields.forEach((name, value) -> {
      if (value != Absent.INSTANCE) {
        names.add(name);
      }
    });
    return names;
  }
}
