package io.meterbridge.server.admin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.meterbridge.server.catalog.JsonInput;
import io.meterbridge.server.http.PlainRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A request body bound to its record, and the problems found so far. An endpoint checks the values
 * (adding its problems), then calls {@link #valid()}: every problem of the body is answered at once,
 * in one 400.
 *
 * @param <T> the body's record
 */
final class Body<T> {
  private static final JsonInput INPUT = new JsonInput(new Wording(), 32);
  private static final byte[] EMPTY_OBJECT = {'{', '}'};

  private final T value;
  private final JsonInput.Problems problems;

  private Body(T value, JsonInput.Problems problems) {
    this.value = value;
    this.problems = problems;
  }

  /**
   * The request's body as {@code type}; an empty body is an empty object.
   *
   * @throws AdminException 400 if the body is not one JSON object
   */
  static <T> Body<T> read(PlainRequest request, Class<T> type) {
    byte[] body = request.body().length == 0 ? EMPTY_OBJECT : request.body();
    JsonInput.Problems problems = new JsonInput.Problems();
    try (JsonParser parser = INPUT.parser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw AdminException.invalid("The body must be a JSON object");
      }
      T value = INPUT.read(parser, type, problems);
      if (parser.nextToken() != null) {
        throw AdminException.invalid("The body must hold one JSON object and nothing after it");
      }
      return new Body<>(value, problems);
    } catch (JsonProcessingException e) {
      throw AdminException.invalid("The body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not from a byte array
    }
  }

  /** The bound body; check it before use. */
  T value() {
    return value;
  }

  /** The problems so far, for checks of {@link JsonInput.Problems#required} and {@link JsonInput.Problems#check}. */
  JsonInput.Problems problems() {
    return problems;
  }

  /** A problem of the field at {@code path}; an empty path for the body as a whole. */
  void problem(String path, String message) {
    problems.add(path, message);
  }

  /** As {@link JsonInput.Problems#check}, with the problem {@code '<value>' is not <what>}. */
  String pattern(String path, String value, boolean required, Predicate<String> valid, String what) {
    return problems.check(path, value, required, valid, "'" + value + "' is not " + what);
  }

  /**
   * The body, if it has no problem.
   *
   * @throws AdminException 400 naming every problem
   */
  T valid() {
    if (!problems.isEmpty()) {
      throw AdminException.invalid(problems.list().stream().map(JsonInput.Problem::toString).toList());
    }
    return value;
  }

  /** The admin API's wording: a field's problem says what it must be. */
  private static final class Wording implements JsonInput.Wording {
    @Override
    public String mismatch(JsonInput.Shape expected, JsonInput.Found found) {
      return switch (expected) {
        case TEXT -> "must be a string";
        case FLAG -> "must be true or false";
        case WHOLE_NUMBER -> "must be a whole number";
        case TIME -> found.token() == JsonToken.VALUE_STRING
            ? "'" + found.text() + "' is not an ISO-8601 instant such as 2026-03-31T23:00:00Z"
            : "must be a string";
        case LIST -> "must be a list";
        case OBJECT -> "must be an object";
      };
    }

    @Override
    public String blank() {
      return "must not be empty";
    }

    @Override
    public String unknownField(Class<?> record, List<String> known) {
      return "is not a known field; expected some of " + new TreeSet<>(known);
    }
  }
}
