package io.meterbridge.gateway.internal;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import io.meterbridge.gateway.Allocation;
import io.meterbridge.model.Tag;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an ingest body, {@code {"events": [...]}}, straight from the stream into {@link EventInput}s.
 * A malformed body, a missing {@code events} array or too many events fail the whole call ({@link
 * BadRequestException}); a malformed event only itself: its problem, naming the field, becomes its
 * rejection and the others go on.
 */
final class EventReader {
  static final int MAX_EVENTS = 1000;

  private EventReader() {}

  static List<EventInput> read(byte[] body) {
    try (JsonParser p = Json.FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadRequestException("The body must be a JSON object: {\"events\": [...]}");
      }
      List<EventInput> events = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (!name.equals("events")) {
          throw new BadRequestException("Unknown member '" + name + "': the body is {\"events\": [...]}");
        }
        if (value != JsonToken.START_ARRAY) {
          throw new BadRequestException("events must be an array of events");
        }
        events = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          if (events.size() == MAX_EVENTS) {
            throw new BadRequestException("More than " + MAX_EVENTS + " events in one call: send at most "
                + MAX_EVENTS + " per call");
          }
          events.add(event(p));
        }
      }
      if (events == null) {
        throw new BadRequestException("Missing events: the body is {\"events\": [...]}");
      }
      if (p.nextToken() != null) {
        throw new BadRequestException("Unexpected content after the JSON object");
      }
      return events;
    } catch (JsonParseException e) {
      throw new BadRequestException("The body is not valid JSON: " + e.getOriginalMessage() + " at line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
    } catch (IOException e) {
      throw new BadRequestException("The body could not be read: " + e.getMessage());
    }
  }

  /** Reads one event, positioned on its first token; leaves the parser on its last. */
  private static EventInput event(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return new EventInput(null, null, null, null, null, null, null, null, null, "event: must be a JSON object");
    }
    String id = null;
    String productCode = null;
    String account = null;
    String identifier = null;
    String license = null;
    String dimension = null;
    Long quantity = null;
    Instant timestamp = null;
    List<Allocation> allocations = null;
    String problem = null;
    JsonStreamContext eventContext = p.getParsingContext();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        continue;
      }
      try {
        switch (name) {
          case "id" -> id = text(p, name);
          case "productCode" -> productCode = text(p, name);
          case "customerAWSAccountId" -> account = text(p, name);
          case "customerIdentifier" -> identifier = text(p, name);
          case "licenseArn" -> license = text(p, name);
          case "dimension" -> dimension = text(p, name);
          case "quantity" -> quantity = integer(p, name);
          case "timestamp" -> timestamp = timestamp(p);
          case "allocations" -> allocations = allocations(p);
          default -> throw new Malformed(name + ": unknown field; an event has id, productCode, customerAWSAccountId"
              + " or customerIdentifier, licenseArn, dimension, quantity, timestamp, allocations");
        }
      } catch (Malformed e) {
        // Wherever inside the value the problem was found, go on after the value.
        while (p.getParsingContext() != eventContext) {
          p.nextToken();
        }
        if (problem == null) {
          problem = e.getMessage();
        }
      }
    }
    return new EventInput(id, productCode, account, identifier, license, dimension, quantity, timestamp,
        allocations, problem);
  }

  /** A member of the wrong type or form; names it. */
  private static final class Malformed extends Exception {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  private static String text(JsonParser p, String name) throws IOException, Malformed {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw new Malformed(name + ": must be a string");
    }
    return p.getText();
  }

  private static long integer(JsonParser p, String name) throws IOException, Malformed {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
      throw new Malformed(name + ": " + p.getText() + " is not an integer");
    }
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      throw new Malformed(name + ": must be an integer");
    }
    try {
      return p.getLongValue();
    } catch (InputCoercionException e) {
      throw new Malformed(name + ": " + p.getText() + " is beyond the 64-bit range");
    }
  }

  private static Instant timestamp(JsonParser p) throws IOException, Malformed {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw new Malformed("timestamp: must be an ISO-8601 string such as 2026-03-01T10:15:00Z");
    }
    String text = p.getText();
    try {
      return Timestamps.parse(text);
    } catch (DateTimeParseException e) {
      throw new Malformed("timestamp: '" + text + "' is not ISO-8601 with a zone, such as 2026-03-01T10:15:00Z");
    }
  }

  private static List<Allocation> allocations(JsonParser p) throws IOException, Malformed {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new Malformed("allocations: must be an array");
    }
    List<Allocation> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      String where = "allocations[" + out.size() + "]";
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw new Malformed(where + ": must be an object");
      }
      Long quantity = null;
      List<Tag> tags = List.of();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "allocatedUsageQuantity" -> quantity = integer(p, where + ".allocatedUsageQuantity");
          case "tags" -> tags = tags(p, where);
          default -> throw new Malformed(where + "." + name + ": unknown field; an allocation has"
              + " allocatedUsageQuantity and tags");
        }
      }
      if (quantity == null) {
        throw new Malformed(where + ".allocatedUsageQuantity: required");
      }
      out.add(new Allocation(quantity, tags));
    }
    return out;
  }

  private static List<Tag> tags(JsonParser p, String where) throws IOException, Malformed {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return List.of();
    }
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new Malformed(where + ".tags: must be an array of {\"key\": ..., \"value\": ...}");
    }
    List<Tag> tags = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      String tagWhere = where + ".tags[" + tags.size() + "]";
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw new Malformed(tagWhere + ": must be an object {\"key\": ..., \"value\": ...}");
      }
      String key = null;
      String value = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "key" -> key = text(p, tagWhere + ".key");
          case "value" -> value = text(p, tagWhere + ".value");
          default -> throw new Malformed(tagWhere + "." + name + ": unknown field; a tag has key and value");
        }
      }
      if (key == null || value == null) {
        throw new Malformed(tagWhere + (key == null ? ".key" : ".value") + ": required");
      }
      tags.add(Tag.of(key, value));
    }
    return tags;
  }
}
