package io.meterbridge.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonInputTest {
  record Key(String id, String secret) {}

  record Owner(String name, Boolean active, Long count, Instant since, List<Key> keys, List<String> tags) {}

  record Document(List<Owner> owners) {}

  static final JsonInput INPUT = new JsonInput(new JsonInput.Wording() {
    @Override
    public String mismatch(JsonInput.Shape expected, JsonInput.Found found) {
      return expected + " expected, found " + found.value();
    }

    @Override
    public String unknownField(Class<?> record, List<String> known) {
      return "unknown; " + record.getSimpleName() + " has " + known;
    }
  }, 16);

  JsonInput.Problems problems = new JsonInput.Problems();

  Document read(String json) throws Exception {
    try (JsonParser parser = INPUT.parser(json.getBytes(StandardCharsets.UTF_8))) {
      parser.nextToken();
      return INPUT.read(parser, Document.class, problems);
    }
  }

  @Test
  void wellFormedInput_bindsEveryField_withoutProblems() throws Exception {
    Document d = read("{\"owners\":[{\"name\":\"a\",\"active\":true,\"count\":3,\"since\":\"2026-01-01T00:00:00Z\","
        + "\"keys\":[{\"id\":\"k\",\"secret\":\"s\"}],\"tags\":[\"x\"]}]}");

    assertThat(problems.isEmpty()).isTrue();
    assertThat(d.owners()).containsExactly(new Owner("a", true, 3L, Instant.parse("2026-01-01T00:00:00Z"),
        List.of(new Key("k", "s")), List.of("x")));
  }

  @Test
  void wrongTypes_areAllReportedAtTheirPaths_andBoundAsNull() throws Exception {
    Document d = read("{\"owners\":[{\"name\":7,\"active\":\"yes\",\"count\":1.5,\"since\":\"soon\","
        + "\"keys\":[\"k\",null],\"tags\":{}}]}");

    assertThat(problems.list()).extracting(JsonInput.Problem::toString).containsExactly(
        "owners[0].name: TEXT expected, found 7",
        "owners[0].active: FLAG expected, found 'yes'",
        "owners[0].count: WHOLE_NUMBER expected, found 1.5",
        "owners[0].since: TIME expected, found 'soon'",
        "owners[0].keys[0]: OBJECT expected, found 'k'",
        "owners[0].keys[1]: OBJECT expected, found null",
        "owners[0].tags: LIST expected, found an object");
    Owner owner = d.owners().get(0);
    assertThat(owner.name()).isNull();
    assertThat(owner.tags()).isNull();
    assertThat(problems.reported("owners[0].name")).isTrue();
  }

  @Test
  void unknownFields_ofRecordsStillMissingFields_areNamedAtTheirPaths() throws Exception {
    // Databind buffers unknown fields until a record's creator has all its fields, then replays them.
    read("{\"owners\":[{\"keys\":[{\"colour\":\"red\",\"id\":\"k\"}],\"shape\":[1]}],\"extra\":{}}");

    assertThat(problems.list()).extracting(JsonInput.Problem::toString).containsExactly(
        "owners[0].keys[0].colour: unknown; Key has [id, secret]",
        "owners[0].shape: unknown; Owner has [name, active, count, since, keys, tags]",
        "extra: unknown; Document has [owners]");
  }

  @Test
  void requiredAndCheck_reportAnAbsentOrInvalidValueOnce() throws Exception {
    read("{\"owners\":[{\"name\":7}]}");

    assertThat(problems.required("owners[0].name", null)).isFalse();
    assertThat(problems.required("owners[0].secret", null)).isFalse();
    assertThat(problems.check("owners[0].id", "x y", false, s -> !s.contains(" "), "has a space")).isNull();
    assertThat(problems.list()).extracting(JsonInput.Problem::toString).containsExactly(
        "owners[0].name: TEXT expected, found 7",
        "owners[0].secret: is required",
        "owners[0].id: has a space");
  }
}
