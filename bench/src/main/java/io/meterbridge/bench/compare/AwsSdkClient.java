package io.meterbridge.bench.compare;

import io.meterbridge.bench.Workload;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.marketplacemetering.MarketplaceMeteringClient;
import software.amazon.awssdk.services.marketplacemetering.model.BatchMeterUsageRequest;
import software.amazon.awssdk.services.marketplacemetering.model.MeterUsageRequest;
import software.amazon.awssdk.services.marketplacemetering.model.Tag;
import software.amazon.awssdk.services.marketplacemetering.model.UsageAllocation;
import software.amazon.awssdk.services.marketplacemetering.model.UsageRecord;

/**
 * The AWS SDK for Java v2 as its documentation sets it up: the sync client on the Apache HTTP
 * client (the SDK's default), static credentials, a fixed region, an endpoint override.
 */
public final class AwsSdkClient implements ClientUnderTest {
  private final MarketplaceMeteringClient client;

  public AwsSdkClient(URI endpoint) {
    client = MarketplaceMeteringClient.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(Credentials.ACCESS_KEY_ID, Credentials.SECRET_ACCESS_KEY)))
        .endpointOverride(endpoint)
        .httpClient(ApacheHttpClient.create())
        .build();
  }

  @Override
  public String meterUsage() {
    return client.meterUsage(MeterUsageRequest.builder()
            .productCode(Workload.PRODUCT_CODE)
            .timestamp(Workload.TIMESTAMP)
            .usageDimension(Workload.DIMENSION)
            .usageQuantity(Workload.METER_USAGE_QUANTITY)
            .build())
        .meteringRecordId();
  }

  @Override
  public int batchMeterUsage() {
    List<UsageRecord> records = new ArrayList<>(Workload.RECORDS);
    for (int i = 0; i < Workload.RECORDS; i++) {
      records.add(UsageRecord.builder()
          .timestamp(Workload.TIMESTAMP)
          .customerIdentifier(Workload.customerIdentifier(i))
          .dimension(Workload.DIMENSION)
          .quantity(Workload.quantity(i))
          .usageAllocations(
              UsageAllocation.builder()
                  .allocatedUsageQuantity(Workload.alphaQuantity(i))
                  .tags(Tag.builder().key("team").value("alpha").build(),
                      Tag.builder().key("env").value("prod").build())
                  .build(),
              UsageAllocation.builder()
                  .allocatedUsageQuantity(Workload.BETA_QUANTITY)
                  .tags(Tag.builder().key("team").value("beta").build(),
                      Tag.builder().key("env").value("prod").build())
                  .build())
          .build());
    }
    return client.batchMeterUsage(BatchMeterUsageRequest.builder()
            .productCode(Workload.PRODUCT_CODE)
            .usageRecords(records)
            .build())
        .results()
        .size();
  }

  @Override
  public void close() {
    client.close();
  }
}
