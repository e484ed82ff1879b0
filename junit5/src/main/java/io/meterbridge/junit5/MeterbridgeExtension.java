package io.meterbridge.junit5;

import io.meterbridge.client.MeteringAsyncClient;
import io.meterbridge.client.MeteringClient;
import io.meterbridge.server.MeterbridgeServerConfig;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts an embedded Meterbridge server for a test class and injects {@link MeteringClient}, {@link
 * MeteringAsyncClient} and {@link EmbeddedMeterbridge} parameters. Use it through {@link
 * MeterbridgeTest}, or, for a catalog written in code or other server settings, register it on a
 * static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final MeterbridgeExtension METERBRIDGE = MeterbridgeExtension.builder()
 *     .catalog(TestCatalog.builder()
 *         .account("111111111111", "AKIDSELLER", "sellerSecret")
 *         .product("prod-saas", "SAAS", "111111111111", "users")
 *         .subscription("prod-saas", "222222222222", "cust-1")
 *         .build())
 *     .reset(Reset.PER_TEST)
 *     .build();
 * }</pre>
 *
 * <p>The server starts before the class's first test (or, registered on an instance field, before
 * each test) and stops after its last; {@code @Nested} classes share their outer class's server.
 * While servers run, their logs are kept from the console and printed to {@code System.err} for a
 * test that fails, and for a server that fails to start.
 */
public final class MeterbridgeExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MeterbridgeExtension.class);
  private static final String SERVER = "server";
  private static final String MARK = "log-mark";

  private final Settings settings;

  /** The extension as {@code @ExtendWith} creates it: settings from {@link MeterbridgeTest}, or the defaults. */
  public MeterbridgeExtension() {
    this.settings = null;
  }

  private MeterbridgeExtension(Settings settings) {
    this.settings = settings;
  }

  /** A builder, for {@code @RegisterExtension}. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    running(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NAMESPACE).put(MARK, LogCapture.mark());
    Running running = running(context);
    if (running.reset == Reset.PER_TEST && running.used) {
      running.meterbridge.reset();
    }
    running.used = true;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      Long mark = context.getStore(NAMESPACE).get(MARK, Long.class);
      LogCapture.printSince(mark == null ? 0 : mark,
          "Meterbridge server log during " + context.getDisplayName() + " (" + context.getUniqueId() + "):",
          System.err);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == MeteringClient.class || type == MeteringAsyncClient.class || type == EmbeddedMeterbridge.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    EmbeddedMeterbridge meterbridge = running(context).meterbridge;
    Class<?> type = parameter.getParameter().getType();
    if (type == MeteringClient.class) {
      return meterbridge.client();
    }
    if (type == MeteringAsyncClient.class) {
      return meterbridge.asyncClient();
    }
    return meterbridge;
  }

  /** The server of this class (or of an enclosing class), started now if there is none yet. */
  private Running running(ExtensionContext context) {
    Running found = context.getStore(NAMESPACE).get(SERVER, Running.class);
    if (found != null) {
      return found;
    }
    ExtensionContext owner = context;
    while (owner.getTestMethod().isPresent() && owner.getParent().isPresent()) {
      owner = owner.getParent().get();
    }
    Settings chosen = settings != null ? settings : annotated(context);
    long mark = LogCapture.mark();
    try {
      Running started = new Running(EmbeddedMeterbridge.start(chosen), chosen.reset());
      owner.getStore(NAMESPACE).put(SERVER, started);
      return started;
    } catch (RuntimeException | Error e) {
      LogCapture.printSince(mark, "Meterbridge server log of the failed start:", System.err);
      throw e;
    }
  }

  private static Settings annotated(ExtensionContext context) {
    for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
      Optional<MeterbridgeTest> annotation = c.get().getTestClass()
          .flatMap(type -> AnnotationSupport.findAnnotation(type, MeterbridgeTest.class));
      if (annotation.isPresent()) {
        return Settings.of(annotation.get());
      }
    }
    return Settings.defaults();
  }

  /** A started server in a class's store; JUnit closes it when the class is done. */
  private static final class Running implements ExtensionContext.Store.CloseableResource {
    final EmbeddedMeterbridge meterbridge;
    final Reset reset;
    volatile boolean used;

    Running(EmbeddedMeterbridge meterbridge, Reset reset) {
      this.meterbridge = meterbridge;
      this.reset = reset;
    }

    @Override
    public void close() {
      meterbridge.close();
    }
  }

  /** Builds a {@link MeterbridgeExtension}. Not thread-safe. */
  public static final class Builder {
    private Optional<String> seed = Optional.empty();
    private Optional<TestCatalog> catalog = Optional.empty();
    private Optional<String> database = Optional.empty();
    private Reset reset = Reset.PER_CLASS;
    private Optional<String> accessKeyId = Optional.empty();
    private Consumer<MeterbridgeServerConfig.Builder> server = b -> {};

    private Builder() {}

    /** The catalog to load instead of the demo catalog. */
    public Builder catalog(TestCatalog catalog) {
      this.catalog = Optional.of(Objects.requireNonNull(catalog, "catalog"));
      this.seed = Optional.empty();
      return this;
    }

    /** A seed file to load instead of the demo catalog: a class path resource, or else a file path. */
    public Builder seed(String resourceOrPath) {
      this.seed = Optional.of(Objects.requireNonNull(resourceOrPath, "resourceOrPath"));
      this.catalog = Optional.empty();
      return this;
    }

    /** A seed file to load instead of the demo catalog. */
    public Builder seed(Path file) {
      return seed(Objects.requireNonNull(file, "file").toString());
    }

    /** A PostgreSQL JDBC URL instead of SQLite; see {@link MeterbridgeTest#database()}. */
    public Builder database(String jdbcUrl) {
      this.database = Optional.of(Objects.requireNonNull(jdbcUrl, "jdbcUrl"));
      return this;
    }

    /** When tests get a fresh server; {@link Reset#PER_CLASS} by default. */
    public Builder reset(Reset reset) {
      this.reset = Objects.requireNonNull(reset, "reset");
      return this;
    }

    /** The access key of the injected client; see {@link MeterbridgeTest#accessKeyId()}. */
    public Builder accessKeyId(String accessKeyId) {
      this.accessKeyId = Optional.of(Objects.requireNonNull(accessKeyId, "accessKeyId"));
      return this;
    }

    /**
     * Other server settings, such as {@code b -> b.throttling(false).timeWindow("6h")}. The port,
     * bind address, database and catalog are the extension's and are set after this.
     */
    public Builder server(Consumer<MeterbridgeServerConfig.Builder> settings) {
      this.server = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** The extension. */
    public MeterbridgeExtension build() {
      return new MeterbridgeExtension(new Settings(seed, catalog, database, reset, accessKeyId, server));
    }
  }
}
