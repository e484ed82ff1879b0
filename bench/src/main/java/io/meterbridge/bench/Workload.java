package io.meterbridge.bench;

import java.time.Instant;

/**
 * The data every benchmark sends, in plain JDK types, so that the AWS SDK's side of the comparison
 * can build the same requests without linking our model.
 */
public final class Workload {
  public static final String PRODUCT_CODE = "6fge8ut7o4mz2qwcm3b1ebp8v";
  public static final Instant TIMESTAMP = Instant.parse("2026-01-01T10:00:00Z");
  public static final String DIMENSION = "ApiCalls";
  public static final int METER_USAGE_QUANTITY = 42;
  /** BatchMeterUsage's maximum, and what a busy SaaS seller sends each hour. */
  public static final int RECORDS = 25;

  private Workload() {}

  public static String customerIdentifier(int record) {
    return "cust" + (100000 + record) + "ABCDEFGH";
  }

  public static int quantity(int record) {
    return 100 + record;
  }

  /** Each record is split into two allocations: this much to team alpha, 40 to team beta. */
  public static int alphaQuantity(int record) {
    return 60 + record;
  }

  public static final int BETA_QUANTITY = 40;

  public static String meteringRecordId(int record) {
    return "8d1f0c2e-6c0a-4f6b-9b5e-" + (100000000000L + record);
  }
}
