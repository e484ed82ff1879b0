package io.meterbridge.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The records file of {@code meterbridge send}: CSV with a header row, or JSON lines, both with the
 * field names of {@link #FIELDS}. Reading collects every malformed line with its number rather than
 * stopping at the first, so one run shows all there is to fix.
 */
final class UsageFile {
  static final String PRODUCT_CODE = "productCode";
  static final String ACCOUNT_ID = "customerAWSAccountId";
  static final String CUSTOMER_IDENTIFIER = "customerIdentifier";
  static final String LICENSE_ARN = "licenseArn";
  static final String DIMENSION = "dimension";
  static final String QUANTITY = "quantity";
  static final String TIMESTAMP = "timestamp";
  static final String STATUS = "status";
  static final String MESSAGE = "message";
  static final List<String> FIELDS =
      List.of(PRODUCT_CODE, ACCOUNT_ID, CUSTOMER_IDENTIFIER, LICENSE_ARN, DIMENSION, QUANTITY, TIMESTAMP);

  private static final JsonFactory JSON = new JsonFactory();

  enum Format {
    CSV,
    JSON_LINES;

    /** {@code .csv} is CSV, {@code .jsonl}, {@code .ndjson} and {@code .json} are JSON lines; otherwise the first character decides. */
    static Format of(Path file, String firstLine) {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".csv")) {
        return CSV;
      }
      if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
        return JSON_LINES;
      }
      return firstLine != null && firstLine.strip().startsWith("{") ? JSON_LINES : CSV;
    }
  }

  /** One record as read, with its line number; the fields hold the text as given (absent when empty). */
  record Line(int number, Map<String, String> fields) {
    String field(String name) {
      return fields.get(name);
    }
  }

  /** What was read: the lines and the problems, each starting with its line number. */
  record Contents(Format format, List<Line> lines, List<String> problems) {}

  private UsageFile() {}

  static Contents read(Path file, Format forced) throws IOException {
    List<String> text;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      text = reader.lines().toList();
    }
    String first = text.stream().filter(l -> !l.isBlank()).findFirst().orElse(null);
    Format format = forced != null ? forced : Format.of(file, first);
    List<Line> lines = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (format == Format.CSV) {
      readCsv(text, lines, problems);
    } else {
      readJsonLines(text, lines, problems);
    }
    for (Line line : lines) {
      check(line, problems);
    }
    return new Contents(format, lines, problems);
  }

  private static void readCsv(List<String> text, List<Line> lines, List<String> problems) {
    List<String> header = null;
    for (int i = 0; i < text.size(); i++) {
      int number = i + 1;
      String raw = text.get(i);
      if (raw.isBlank()) {
        continue;
      }
      List<String> cells;
      try {
        cells = splitCsv(i == 0 ? stripBom(raw) : raw);
      } catch (IllegalArgumentException e) {
        problems.add("line " + number + ": " + e.getMessage());
        continue;
      }
      if (header == null) {
        header = cells.stream().map(String::strip).toList();
        List<String> missing = new ArrayList<>();
        for (String required : List.of(PRODUCT_CODE, DIMENSION, QUANTITY, TIMESTAMP)) {
          if (!header.contains(required)) {
            missing.add(required);
          }
        }
        if (!missing.isEmpty()) {
          problems.add("line " + number + ": the header row has no column " + String.join(", ", missing)
              + " (expected a header row naming " + String.join(",", FIELDS) + ")");
          return;
        }
        continue;
      }
      if (cells.size() != header.size()) {
        problems.add("line " + number + ": " + cells.size() + " values for the header's " + header.size() + " columns");
        continue;
      }
      Map<String, String> fields = new LinkedHashMap<>();
      for (int c = 0; c < header.size(); c++) {
        String value = cells.get(c).strip();
        if (!value.isEmpty()) {
          fields.put(header.get(c), value);
        }
      }
      lines.add(new Line(number, fields));
    }
    if (header == null) {
      problems.add("line 1: no header row (expected " + String.join(",", FIELDS) + ")");
    }
  }

  private static String stripBom(String line) {
    return line.startsWith("\uFEFF") ? line.substring(1) : line;
  }

  /** One CSV row: commas separate, double quotes enclose a value, {@code ""} inside quotes is one quote. */
  static List<String> splitCsv(String row) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < row.length(); i++) {
      char ch = row.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < row.length() && row.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cell.append(ch);
        }
      } else if (ch == ',') {
        cells.add(cell.toString());
        cell.setLength(0);
        wasQuoted = false;
      } else if (ch == '"' && cell.toString().isBlank() && !wasQuoted) {
        cell.setLength(0);
        quoted = true;
        wasQuoted = true;
      } else if (ch == '"') {
        throw new IllegalArgumentException("a double quote inside an unquoted value (enclose the value in double quotes"
            + " and double the quote)");
      } else {
        cell.append(ch);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("a quoted value is not closed (values cannot span lines)");
    }
    cells.add(cell.toString());
    return cells;
  }

  private static void readJsonLines(List<String> text, List<Line> lines, List<String> problems) {
    for (int i = 0; i < text.size(); i++) {
      int number = i + 1;
      String raw = text.get(i);
      if (raw.isBlank()) {
        continue;
      }
      try (JsonParser parser = JSON.createParser(i == 0 ? stripBom(raw) : raw)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          problems.add("line " + number + ": not a JSON object (each line holds one record, {\"productCode\":...})");
          continue;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        String problem = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          JsonToken value = parser.nextToken();
          if (value == JsonToken.VALUE_STRING || value.isNumeric()) {
            if (!parser.getText().isEmpty()) {
              fields.put(name, parser.getText());
            }
          } else if (value == JsonToken.VALUE_NULL) {
            continue;
          } else if (value.isStructStart() && !FIELDS.contains(name)) {
            parser.skipChildren();
          } else {
            problem = "line " + number + ": " + name + " must be a string or a number";
            parser.skipChildren();
          }
        }
        if (parser.nextToken() != null) {
          problem = "line " + number + ": text after the record's closing brace (one record per line)";
        }
        if (problem != null) {
          problems.add(problem);
        } else {
          lines.add(new Line(number, fields));
        }
      } catch (JsonProcessingException e) {
        problems.add("line " + number + ": not valid JSON (" + e.getOriginalMessage() + ")");
      } catch (IOException e) {
        throw new IllegalStateException("reading a string cannot fail", e);
      }
    }
  }

  /** The checks only this file can make: presence and syntax. The model's own constraints are the client's to check. */
  private static void check(Line line, List<String> problems) {
    List<String> wrong = new ArrayList<>();
    for (String required : List.of(PRODUCT_CODE, DIMENSION, QUANTITY, TIMESTAMP)) {
      if (line.field(required) == null) {
        wrong.add(required + " is missing");
      }
    }
    if (line.field(ACCOUNT_ID) == null && line.field(CUSTOMER_IDENTIFIER) == null) {
      wrong.add("give " + ACCOUNT_ID + " or " + CUSTOMER_IDENTIFIER);
    }
    String quantity = line.field(QUANTITY);
    if (quantity != null && !quantity.matches("-?[0-9]{1,10}")) {
      wrong.add("quantity '" + quantity + "' is not a whole number");
    }
    String timestamp = line.field(TIMESTAMP);
    if (timestamp != null && timestamp(timestamp) == null) {
      wrong.add("timestamp '" + timestamp + "' is not an ISO-8601 instant such as 2026-03-01T10:00:00Z");
    }
    if (!wrong.isEmpty()) {
      problems.add("line " + line.number() + ": " + String.join("; ", wrong));
    }
  }

  /** An ISO-8601 instant with {@code Z} or an offset, or null. */
  static Instant timestamp(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException again) {
        return null;
      }
    }
  }

  /** Writes {@code failed} lines in {@code format}: the record's fields, then its status and a message. */
  static void write(Path file, Format format, List<Line> failed, List<String> statuses, List<String> messages)
      throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      if (format == Format.CSV) {
        List<String> columns = new ArrayList<>(FIELDS);
        columns.add(STATUS);
        columns.add(MESSAGE);
        out.write(String.join(",", columns) + "\n");
        for (int i = 0; i < failed.size(); i++) {
          List<String> cells = new ArrayList<>();
          for (String field : FIELDS) {
            cells.add(csvCell(failed.get(i).field(field)));
          }
          cells.add(csvCell(statuses.get(i)));
          cells.add(csvCell(messages.get(i)));
          out.write(String.join(",", cells) + "\n");
        }
      } else {
        for (int i = 0; i < failed.size(); i++) {
          StringWriter line = new StringWriter();
          try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            for (String field : FIELDS) {
              String value = failed.get(i).field(field);
              if (value == null) {
                continue;
              }
              if (field.equals(QUANTITY)) {
                json.writeNumberField(field, Long.parseLong(value));
              } else {
                json.writeStringField(field, value);
              }
            }
            json.writeStringField(STATUS, statuses.get(i));
            if (messages.get(i) != null) {
              json.writeStringField(MESSAGE, messages.get(i));
            }
            json.writeEndObject();
          }
          out.write(line + "\n");
        }
      }
    }
  }

  private static String csvCell(String value) {
    if (value == null) {
      return "";
    }
    if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
      return '"' + value.replace("\"", "\"\"") + '"';
    }
    return value;
  }
}
