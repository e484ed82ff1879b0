package io.meterbridge.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.sun.net.httpserver.HttpServer;
import io.meterbridge.client.MeteringClient;
import io.meterbridge.model.MeterUsageRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client as a named module, as a modular application gets it: a consumer module that requires
 * {@code io.meterbridge.client} is compiled against the client's, the model's and jackson-core's
 * jars on a module path and run in a module layer of its own against a loopback server; a consumer
 * that reaches for the internals does not compile. (The other modules' tests use the client on the
 * class path.)
 */
class ModulePathTest {
  private static final String MODULE_INFO = """
      module consumer {
        requires io.meterbridge.client;
        exports consumer;
      }
      """;

  /** Meters once against the endpoint it is given; a Function so the test can call it across layers. */
  private static final String METER = """
      package consumer;

      import io.meterbridge.auth.AwsCredentials;
      import io.meterbridge.client.MeteringClient;
      import java.net.URI;
      import java.time.Instant;
      import java.util.function.Function;

      public final class Meter implements Function<String, String> {
        @Override
        public String apply(String endpoint) {
          try (MeteringClient client = MeteringClient.builder().region("us-east-1")
              .credentials(AwsCredentials.of("AKIDEXAMPLE", "secret"))
              .endpointOverride(URI.create(endpoint)).build()) {
            return client.meterUsage(b -> b.productCode("prod-ami").timestamp(Instant.parse("2026-08-01T10:00:00Z"))
                .usageDimension("vcpu_hours").usageQuantity(4)).meteringRecordId().orElseThrow();
          }
        }
      }
      """;

  /** The jars (or class folders) of the client, the model and jackson-core. */
  private static String modulePath() {
    return List.of(MeteringClient.class, MeterUsageRequest.class, JsonFactory.class).stream()
        .map(ModulePathTest::location)
        .map(Path::toString)
        .collect(Collectors.joining(java.io.File.pathSeparator));
  }

  private static Path location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path write(Path root, String relative, String text) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  /** Compiles the files as one module; the compiler's messages, empty when it succeeded. */
  private static String compile(Path out, Path... sources) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Files.createDirectories(out);
    // A class path of its own: the compiler would otherwise see this test's, client included.
    List<String> options = List.of("--module-path", modulePath(), "--class-path", out.toString(),
        "-d", out.toString());
    StringWriter messages = new StringWriter();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      boolean ok = javac.getTask(messages, files, null, options, null,
          files.getJavaFileObjects(sources)).call();
      return ok ? "" : messages.toString();
    }
  }

  @Test
  void clientModule_exportsTheApiPackagesOnly() {
    ModuleDescriptor client = ModuleFinder.of(location(MeteringClient.class))
        .find("io.meterbridge.client").orElseThrow().descriptor();
    ModuleDescriptor model = ModuleFinder.of(location(MeterUsageRequest.class))
        .find("io.meterbridge.model").orElseThrow().descriptor();

    assertThat(client.exports()).allMatch(e -> !e.isQualified())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder("io.meterbridge.client", "io.meterbridge.client.credentials",
            "io.meterbridge.client.endpoints", "io.meterbridge.client.testing");
    assertThat(model.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source))
        .containsExactlyInAnyOrder("io.meterbridge.model", "io.meterbridge.exception", "io.meterbridge.auth");
    assertThat(model.exports().stream().filter(ModuleDescriptor.Exports::isQualified))
        .allMatch(e -> e.targets().equals(Set.of("io.meterbridge.client")))
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder("io.meterbridge.internal", "io.meterbridge.internal.json");
  }

  @Test
  void consumerModule_requiringTheClient_compilesAndMetersAgainstALoopbackServer(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("out");
    String errors = compile(out, write(dir, "src/module-info.java", MODULE_INFO),
        write(dir, "src/consumer/Meter.java", METER));
    assertThat(errors).isEmpty();

    ModuleFinder finder = ModuleFinder.of(out, location(MeteringClient.class),
        location(MeterUsageRequest.class), location(JsonFactory.class));
    Configuration configuration = ModuleLayer.boot().configuration()
        .resolve(finder, ModuleFinder.of(), Set.of("consumer"));
    ModuleLayer layer = ModuleLayer.boot()
        .defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
    @SuppressWarnings("unchecked")
    Function<String, String> meter = (Function<String, String>) layer.findLoader("consumer")
        .loadClass("consumer.Meter").getConstructor().newInstance();

    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] body = "{\"MeteringRecordId\":\"from-the-module-path\"}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream response = exchange.getResponseBody()) {
        response.write(body);
      }
    });
    server.start();
    try {
      assertThat(meter.apply("http://127.0.0.1:" + server.getAddress().getPort()))
          .isEqualTo("from-the-module-path");
    } finally {
      server.stop(0);
    }
    assertThat(layer.findModule("io.meterbridge.client")).get()
        .matches(Module::isNamed)
        .matches(m -> !m.isExported("io.meterbridge.client.internal"));
  }

  @Test
  void consumerModule_usingTheInternals_doesNotCompile(@TempDir Path dir) throws Exception {
    String internals = """
        package consumer;

        public final class Sneaky {
          Object settings = io.meterbridge.client.internal.ClientSettings.defaults();
          Object codec = io.meterbridge.internal.json.JsonCodec.class;
        }
        """;

    String errors = compile(dir.resolve("out"), write(dir, "src/module-info.java", MODULE_INFO),
        write(dir, "src/consumer/Sneaky.java", internals));

    assertThat(errors)
        .contains("package io.meterbridge.client.internal is declared in module io.meterbridge.client, "
            + "which does not export it")
        .contains("package io.meterbridge.internal.json is declared in module io.meterbridge.model, "
            + "which does not export it to module consumer");
  }
}
