package io.meterbridge.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against an embedded Meterbridge server on {@code 127.0.0.1} and a free port,
 * with a temporary SQLite database, started before the first test and stopped after the last. Test
 * and lifecycle methods take a ready {@link io.meterbridge.client.MeteringClient} (or {@link
 * io.meterbridge.client.MeteringAsyncClient}) signed with the catalog's seller key, and an {@link
 * EmbeddedMeterbridge} to control the server, as parameters.
 *
 * <pre>{@code
 * @MeterbridgeTest
 * class UsageReportingTest {
 *   @Test
 *   void reportsUsage(MeteringClient client, EmbeddedMeterbridge meterbridge) {
 *     client.batchMeterUsage(b -> b.productCode("demo-saas").usageRecords(...));
 *     assertThat(meterbridge.batchRecords("demo-saas")).hasSize(1);
 *   }
 * }
 * }</pre>
 *
 * <p>Without a {@link #seed()}, the server has the demo catalog (see {@link
 * io.meterbridge.server.seed.DemoCatalog}). The server's own logs (pool, migrations, warnings) are
 * kept out of the test output and printed when a test fails. For a catalog built in code, register
 * the extension with {@code @RegisterExtension} and {@link MeterbridgeExtension#builder()} instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MeterbridgeExtension.class)
public @interface MeterbridgeTest {
  /**
   * A seed file to load instead of the demo catalog: a class path resource (such as {@code
   * "seed.json"} in {@code src/test/resources}), or else a file path, relative to the working
   * directory. Empty for the demo catalog.
   */
  String seed() default "";

  /** When tests get a fresh server; one server for the class by default. */
  Reset reset() default Reset.PER_CLASS;

  /**
   * A PostgreSQL JDBC URL ({@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}) to use
   * instead of a temporary SQLite file. The extension creates a schema of its own in that database
   * for each server it starts and drops it afterwards. Empty for SQLite.
   */
  String database() default "";

  /**
   * The access key id whose client is injected; it must be in the catalog. Empty: the first key of
   * the account selling the catalog's first product (the demo seller for the demo catalog).
   */
  String accessKeyId() default "";
}
