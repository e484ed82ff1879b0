package io.meterbridge.junit5;

/** When the extension gives the tests a fresh server: a new database with the catalog, real time, no faults. */
public enum Reset {
  /**
   * One server for the whole test class: records, catalog changes, clock shifts and faults of one
   * test are there for the next. Call {@link EmbeddedMeterbridge#reset()} where a test needs a clean
   * start.
   */
  PER_CLASS,
  /**
   * A fresh server before every test but the first (on the same port, so clients keep working): a
   * new database with the catalog loaded again, the clock back to real time, no faults. What a
   * {@code @BeforeAll} method stored is gone from the second test on: set up in {@code @BeforeEach}.
   * The class's tests must not run concurrently with each other.
   */
  PER_TEST
}
