package io.meterbridge.gateway.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for the gateway's small documents (catalog files, admin bodies): the streaming parser of
 * jackson-core read into plain maps, lists, strings, numbers and booleans. Ingest bodies, the hot
 * path, are read straight from the stream by {@link EventReader} instead.
 */
final class Json {
  static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(64).build())
      .build();

  private Json() {}

  /** The document in {@code bytes}. */
  static Object read(byte[] bytes) throws IOException {
    try (JsonParser p = FACTORY.createParser(bytes)) {
      if (p.nextToken() == null) {
        throw new IOException("empty document");
      }
      Object value = value(p);
      if (p.nextToken() != null) {
        throw new IOException("more than one document");
      }
      return value;
    }
  }

  static Object value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          map.put(name, value(p));
        }
        return map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(value(p));
        }
        return list;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT -> {
        return p.getNumberValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getDecimalValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IOException("unexpected " + t);
    }
  }
}
