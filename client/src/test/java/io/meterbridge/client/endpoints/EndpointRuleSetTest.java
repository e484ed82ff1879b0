package io.meterbridge.client.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Runs every case of the official endpoint tests against the bundled rule set. */
class EndpointRuleSetTest {

  private static final Path API_MODEL =
      Path.of(System.getProperty("meterbridge.shared", "../../shared"), "reference", "api-model");

  @TestFactory
  Stream<DynamicTest> everyOfficialEndpointTestCasePasses() throws IOException {
    Map<String, Object> document;
    try (InputStream in = Files.newInputStream(API_MODEL.resolve("endpoint-tests-1.json"))) {
      document = RuleSet.object(JsonTree.read(in), "endpoint tests");
    }
    List<Object> cases = RuleSet.list(document.get("testCases"), "testCases");
    assertThat(cases).isNotEmpty();
    return cases.stream().map(c -> {
      Map<String, Object> testCase = RuleSet.object(c, "test case");
      return DynamicTest.dynamicTest(
          RuleSet.string(testCase.get("documentation"), "documentation"), () -> run(testCase));
    });
  }

  private static void run(Map<String, Object> testCase) {
    EndpointParams params = params(RuleSet.object(testCase.getOrDefault("params", Map.of()), "params"));
    Map<String, Object> expect = RuleSet.object(testCase.get("expect"), "expect");
    if (expect.containsKey("error")) {
      assertThatThrownBy(() -> MeteringEndpoints.resolve(params))
          .isExactlyInstanceOf(EndpointResolutionException.class)
          .hasMessage((String) expect.get("error"));
    } else {
      Map<String, Object> endpoint = RuleSet.object(expect.get("endpoint"), "expected endpoint");
      ResolvedEndpoint resolved = MeteringEndpoints.resolve(params);
      assertThat(resolved.uri()).hasToString((String) endpoint.get("url"));
      assertThat(resolved.headers())
          .isEqualTo(endpoint.getOrDefault("headers", Map.of()));
      assertThat(resolved.signingName()).isEqualTo("aws-marketplace");
      assertThat(resolved.signingRegion()).isEqualTo(params.region());
    }
  }

  private static EndpointParams params(Map<String, Object> values) {
    EndpointParams.Builder builder = EndpointParams.builder();
    values.forEach((name, value) -> {
      switch (name) {
        case "Region" -> builder.region((String) value);
        case "UseFIPS" -> builder.useFips((Boolean) value);
        case "UseDualStack" -> builder.useDualStack((Boolean) value);
        case "Endpoint" -> builder.endpoint(URI.create((String) value));
        // A new parameter must be wired into EndpointParams, not silently ignored.
        default -> fail("test case uses a parameter EndpointParams does not have: " + name);
      }
    });
    return builder.build();
  }

  @Test
  void bundledRulesAreTheSameFilesAsTheReferenceTheTestsComeFrom() throws IOException {
    for (String name : List.of("endpoint-rule-set-1.json", "partitions.json")) {
      try (InputStream bundled = MeteringEndpoints.class.getResourceAsStream(name)) {
        assertThat(bundled).as(name).isNotNull();
        assertThat(bundled.readAllBytes()).as(name).isEqualTo(Files.readAllBytes(API_MODEL.resolve(name)));
      }
    }
  }
}
