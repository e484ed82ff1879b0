package io.meterbridge.server.catalog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.util.AccessPattern;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * JSON input (a seed file, an admin API body) read into records by jackson-databind, with every
 * problem reported at once, each with its JSON path, instead of the first one only.
 *
 * <p>Databind stops at the first value it cannot bind. Here a value of the wrong JSON type (a
 * number where a string belongs, an object where a list does), a JSON {@code null} in a list and an
 * unknown field each become a {@link Problem}, and the binding goes on with {@code null} in its
 * place; a JSON {@code null} field counts as absent. Scalars are bound strictly: no number is read
 * as a string and no string as a number. What the values mean is the reader's to check afterwards
 * (with {@link CatalogRules}); {@link Problems#reported} tells a value that was absent from one that
 * was there but wrong, so that nothing is reported twice. A {@link Wording} words the problems in
 * the front end's style.
 *
 * <p>Records bind by their component names, which are the JSON field names. Thread-safe.
 */
public final class JsonInput {
  /** The JSON shapes a value can fail to have. */
  public enum Shape {
    TEXT, FLAG, WHOLE_NUMBER, TIME, LIST, OBJECT
  }

  /** What was found instead: {@link #kind()} names its JSON type, {@link #value()} shows it. */
  public record Found(JsonToken token, String text) {
    /** {@code a string}, {@code a number}, {@code a boolean}, {@code an array}, {@code an object} or {@code null}. */
    public String kind() {
      return switch (token) {
        case START_ARRAY -> "an array";
        case START_OBJECT -> "an object";
        case VALUE_STRING -> "a string";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
        case VALUE_TRUE, VALUE_FALSE -> "a boolean";
        case VALUE_NULL -> "null";
        default -> token.toString();
      };
    }

    /** A string in quotes, a number or boolean as written, anything else by its {@link #kind()}. */
    public String value() {
      return switch (token) {
        case VALUE_STRING -> "'" + text + "'";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> text;
        default -> kind();
      };
    }
  }

  /** How a front end words the problems binding finds. */
  public interface Wording {
    /** A value that does not have the {@code expected} shape. */
    String mismatch(Shape expected, Found found);

    /** A string that is empty or all white space, if that is a problem here. */
    default String blank() {
      return null;
    }

    /** A field {@code record} does not have; {@code known} are its fields in declaration order. */
    String unknownField(Class<?> record, List<String> known);
  }

  /**
   * One problem.
   *
   * @param path the JSON path, such as {@code accounts[0].accessKeys[1].secretAccessKey}; empty for the whole input
   * @param message what is wrong
   */
  public record Problem(String path, String message) {
    @Override
    public String toString() {
      return path.isEmpty() ? message : path + ": " + message;
    }
  }

  /** The problems of one input, in the order found. */
  public static final class Problems {
    private final List<Problem> all = new ArrayList<>();
    private final Set<String> paths = new HashSet<>();
    // The paths of the records being bound, innermost first: databind replays a record's unknown
    // fields from a buffer whose parser no longer knows where they were.
    private final Deque<String> records = new ArrayDeque<>();

    /** Adds a problem at {@code path}. */
    public void add(String path, String message) {
      all.add(new Problem(path, message));
      paths.add(path);
    }

    /** Whether a problem was reported at {@code path}: the value there was present, but wrong. */
    public boolean reported(String path) {
      return paths.contains(path);
    }

    /**
     * Whether {@code value} is there. A missing one is reported as required, unless a problem was
     * reported at its path already (it was there, but wrong).
     */
    public boolean required(String path, Object value) {
      if (value == null && !reported(path)) {
        add(path, "is required");
      }
      return value != null;
    }

    /**
     * {@code value} if it is valid; null if it is absent (reported when {@code required}) or invalid
     * (reported as {@code problem}).
     */
    public String check(String path, String value, boolean required, Predicate<String> valid, String problem) {
      if (value == null) {
        if (required) {
          required(path, null);
        }
        return null;
      }
      if (!valid.test(value)) {
        add(path, problem);
        return null;
      }
      return value;
    }

    public boolean isEmpty() {
      return all.isEmpty();
    }

    public List<Problem> list() {
      return List.copyOf(all);
    }

    private String field(String name) {
      String record = records.isEmpty() ? "" : records.peek();
      return record.isEmpty() ? name : record + "." + name;
    }
  }

  private static final String PROBLEMS = Problems.class.getName();

  private final JsonFactory factory;
  private final JsonMapper mapper;

  /**
   * @param wording how problems are worded
   * @param maxNestingDepth how deep objects and arrays may nest; deeper input is not valid JSON here
   */
  public JsonInput(Wording wording, int maxNestingDepth) {
    // Duplicate fields are a parse error: databind would keep the last one silently.
    this.factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth).build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    SimpleModule strict = new SimpleModule("strict-scalars");
    strict.addDeserializer(String.class, new Text(wording));
    strict.addDeserializer(Boolean.class, new Flag(wording));
    strict.addDeserializer(Long.class, new WholeNumber(wording));
    strict.addDeserializer(Instant.class, new Time(wording));
    strict.setDeserializerModifier(new BeanDeserializerModifier() {
      @Override
      public JsonDeserializer<?> modifyDeserializer(
          DeserializationConfig config, BeanDescription description, JsonDeserializer<?> deserializer) {
        return description.getBeanClass().isRecord() ? new Shaped(deserializer, Shape.OBJECT, wording) : deserializer;
      }

      @Override
      public JsonDeserializer<?> modifyCollectionDeserializer(DeserializationConfig config, CollectionType type,
          BeanDescription description, JsonDeserializer<?> deserializer) {
        return new Shaped(deserializer, Shape.LIST, wording);
      }
    });
    this.mapper = JsonMapper.builder(factory)
        .addModule(strict)
        .addHandler(new UnknownFields(wording))
        // A parse error surfaces as itself, with its location, not wrapped in a mapping error.
        .disable(DeserializationFeature.WRAP_EXCEPTIONS)
        .build();
  }

  /** A parser over {@code in}, with this input's limits; the caller checks its first token, then {@link #read}s. */
  public JsonParser parser(InputStream in) throws IOException {
    return factory.createParser(in);
  }

  /** A parser over {@code in}; see {@link #parser(InputStream)}. */
  public JsonParser parser(byte[] in) throws IOException {
    return factory.createParser(in);
  }

  /**
   * Binds the value at the parser's current token (the start of an object) to {@code type},
   * adding the problems found to {@code problems}. Leaves the parser on the value's last token.
   *
   * @throws com.fasterxml.jackson.core.JsonProcessingException if the input is not valid JSON
   */
  public <T> T read(JsonParser parser, Class<T> type, Problems problems) throws IOException {
    ObjectReader reader = mapper.readerFor(type).withAttribute(PROBLEMS, problems);
    return reader.readValue(parser);
  }

  /** The path of the parser's current value: {@code products[2].type}. */
  static String path(JsonParser p) {
    JsonStreamContext context = p.getParsingContext();
    if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
      context = context.getParent(); // the value's own context has opened already
    }
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.add("[" + Math.max(0, c.getCurrentIndex()) + "]");
      } else if (c.getCurrentName() != null) {
        parts.add("." + c.getCurrentName());
      }
    }
    Collections.reverse(parts);
    String path = String.join("", parts);
    return path.startsWith(".") ? path.substring(1) : path;
  }

  private static Problems problems(DeserializationContext ctxt) {
    return (Problems) ctxt.getAttribute(PROBLEMS);
  }

  private static void problem(DeserializationContext ctxt, JsonParser p, String message) {
    problems(ctxt).add(path(p), message);
  }

  /** Records a mismatch at the parser's value, skips the value, and binds null in its place. */
  private static <T> T mismatch(Wording wording, Shape expected, JsonParser p, DeserializationContext ctxt)
      throws IOException {
    JsonToken token = p.currentToken();
    String text = token.isScalarValue() ? p.getText() : null;
    problem(ctxt, p, wording.mismatch(expected, new Found(token, text)));
    p.skipChildren();
    return null;
  }

  /** A JSON null: absent as a field's value, a problem as a list's element. */
  private static <T> T nullValue(Wording wording, Shape expected, DeserializationContext ctxt) {
    JsonParser p = ctxt.getParser();
    if (p != null && p.getParsingContext().inArray()) {
      problem(ctxt, p, wording.mismatch(expected, new Found(JsonToken.VALUE_NULL, null)));
    }
    return null;
  }

  /** The strict scalars share null handling: absent in objects, a problem in lists. */
  private abstract static class Scalar<T> extends StdScalarDeserializer<T> {
    final Wording wording;
    final Shape shape;

    Scalar(Class<T> type, Wording wording, Shape shape) {
      super(type);
      this.wording = wording;
      this.shape = shape;
    }

    @Override
    public T getNullValue(DeserializationContext ctxt) {
      return nullValue(wording, shape, ctxt);
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
      return null; // a field left out: not a null where it was written
    }

    @Override
    public AccessPattern getNullAccessPattern() {
      return AccessPattern.DYNAMIC; // depends on where the null is
    }
  }

  private static final class Text extends Scalar<String> {
    Text(Wording wording) {
      super(String.class, wording, Shape.TEXT);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return mismatch(wording, shape, p, ctxt);
      }
      String text = p.getText();
      if (text.isBlank() && wording.blank() != null) {
        problem(ctxt, p, wording.blank());
        return null;
      }
      return text;
    }
  }

  private static final class Flag extends Scalar<Boolean> {
    Flag(Wording wording) {
      super(Boolean.class, wording, Shape.FLAG);
    }

    @Override
    public Boolean deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return switch (p.currentToken()) {
        case VALUE_TRUE -> Boolean.TRUE;
        case VALUE_FALSE -> Boolean.FALSE;
        default -> mismatch(wording, shape, p, ctxt);
      };
    }
  }

  private static final class WholeNumber extends Scalar<Long> {
    WholeNumber(Wording wording) {
      super(Long.class, wording, Shape.WHOLE_NUMBER);
    }

    @Override
    public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
        return p.getLongValue();
      }
      return mismatch(wording, shape, p, ctxt);
    }
  }

  private static final class Time extends Scalar<Instant> {
    Time(Wording wording) {
      super(Instant.class, wording, Shape.TIME);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        try {
          return Instant.parse(p.getText());
        } catch (DateTimeParseException e) {
          // a mismatch like any other
        }
      }
      return mismatch(wording, shape, p, ctxt);
    }
  }

  /** A record or a list: the right JSON shape is bound by databind, any other is a problem. */
  private static final class Shaped extends DelegatingDeserializer {
    private final Shape shape;
    private final Wording wording;

    Shaped(JsonDeserializer<?> delegate, Shape shape, Wording wording) {
      super(delegate);
      this.shape = shape;
      this.wording = wording;
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
      return new Shaped(delegate, shape, wording);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken start = shape == Shape.OBJECT ? JsonToken.START_OBJECT : JsonToken.START_ARRAY;
      if (p.currentToken() != start) {
        return mismatch(wording, shape, p, ctxt);
      }
      if (shape == Shape.LIST) {
        return super.deserialize(p, ctxt);
      }
      Problems problems = problems(ctxt);
      problems.records.push(path(p));
      try {
        return super.deserialize(p, ctxt);
      } finally {
        problems.records.pop();
      }
    }

    @Override
    public Object getNullValue(DeserializationContext ctxt) {
      return nullValue(wording, shape, ctxt);
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
      return null;
    }

    @Override
    public AccessPattern getNullAccessPattern() {
      return AccessPattern.DYNAMIC;
    }
  }

  /** An unknown field is a problem, not a failure: the field is skipped. */
  private static final class UnknownFields extends DeserializationProblemHandler {
    private final Wording wording;

    UnknownFields(Wording wording) {
      this.wording = wording;
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
        Object beanOrClass, String propertyName) throws IOException {
      Class<?> type = deserializer.handledType();
      List<String> known = type.isRecord()
          ? Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).toList()
          : List.of();
      Problems problems = problems(ctxt);
      problems.add(problems.field(propertyName), wording.unknownField(type, known));
      p.skipChildren();
      return true;
    }
  }
}
