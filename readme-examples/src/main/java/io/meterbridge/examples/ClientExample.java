package io.meterbridge.examples;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.MeteringClient;
import io.meterbridge.exception.InvalidRequestException;
import io.meterbridge.exception.ThrottlingException;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResult;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

public class ClientExample {
  public static void main(String[] args) {
    URI endpoint = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8080"); // ./meterbridge serve
    List<UsageRecord> sendAgainLater = new ArrayList<>();

    try (MeteringClient client = MeteringClient.builder()
        .region("us-east-1")
        .endpointOverride(endpoint)              // for AWS: drop this line...
        .credentials(AwsCredentials.of("AKIADEMOSELLEREXAMPLE", "demoSellerSecretEXAMPLEnotForProductionUse"))
        // ...and this one: the default chain then finds your credentials (env, profile, ECS/EKS, EC2)
        .build()) {

      BatchMeterUsageResponse response = client.batchMeterUsage(b -> b
          .productCode("demo-saas")
          .usageRecords(UsageRecord.builder()
              .timestamp(Instant.now())
              .customerAwsAccountId("444455556666")
              .dimension("users")
              .quantity(42)
              .build()));

      for (UsageRecordResult result : response.results()) {
        System.out.println(result.status().orElseThrow() + " " + result.meteringRecordId().orElse("-"));
      }
      // Never lose these: send them again later.
      sendAgainLater.addAll(response.unprocessedRecords());
    } catch (ThrottlingException e) {
      // retried already (standard mode, 3 attempts); back off further
    } catch (InvalidRequestException e) {
      // refused before sending: e.violations() says which member breaks which constraint
    }
    System.out.println(sendAgainLater.size() + " record(s) to send again");
  }
}
