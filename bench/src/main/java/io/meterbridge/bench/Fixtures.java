package io.meterbridge.bench;

import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.Tag;
import io.meterbridge.model.UsageAllocation;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResult;
import io.meterbridge.model.UsageRecordResultStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The shapes every benchmark and the client comparison send: one typical SaaS batch of 25 records,
 * each split into two tagged allocations, and one container-style MeterUsage call.
 */
public final class Fixtures {
  public static final String PRODUCT_CODE = Workload.PRODUCT_CODE;
  public static final int RECORDS = Workload.RECORDS;

  private Fixtures() {}

  /** Record {@code i} of the batch: a distinct customer, one dimension, two allocations. */
  public static UsageRecord usageRecord(int i) {
    return UsageRecord.builder()
        .timestamp(Workload.TIMESTAMP)
        .customerIdentifier(Workload.customerIdentifier(i))
        .dimension(Workload.DIMENSION)
        .quantity(Workload.quantity(i))
        .usageAllocations(
            UsageAllocation.of(Workload.alphaQuantity(i), Tag.of("team", "alpha"), Tag.of("env", "prod")),
            UsageAllocation.of(Workload.BETA_QUANTITY, Tag.of("team", "beta"), Tag.of("env", "prod")))
        .build();
  }

  public static List<UsageRecord> usageRecords() {
    List<UsageRecord> records = new ArrayList<>(RECORDS);
    for (int i = 0; i < RECORDS; i++) {
      records.add(usageRecord(i));
    }
    return records;
  }

  public static BatchMeterUsageRequest batchRequest() {
    return BatchMeterUsageRequest.of(PRODUCT_CODE, usageRecords());
  }

  /** The service's answer to {@link #batchRequest()}: every record echoed back as Success. */
  public static BatchMeterUsageResponse batchResponse() {
    List<UsageRecordResult> results = new ArrayList<>(RECORDS);
    List<UsageRecord> records = usageRecords();
    for (int i = 0; i < RECORDS; i++) {
      results.add(UsageRecordResult.of(records.get(i), meteringRecordId(i), UsageRecordResultStatus.SUCCESS));
    }
    return new BatchMeterUsageResponse(results, List.of());
  }

  public static MeterUsageRequest meterUsageRequest() {
    return MeterUsageRequest.builder()
        .productCode(PRODUCT_CODE)
        .timestamp(Workload.TIMESTAMP)
        .usageDimension(Workload.DIMENSION)
        .usageQuantity(Workload.METER_USAGE_QUANTITY)
        .build();
  }

  public static String meteringRecordId(int i) {
    return Workload.meteringRecordId(i);
  }
}
