package io.meterbridge.examples;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.MeteringClient;
import io.meterbridge.client.RetryPolicy;
import io.meterbridge.gateway.CatalogProduct;
import io.meterbridge.gateway.Gateway;
import io.meterbridge.gateway.IngestResult;
import io.meterbridge.gateway.UsageEvent;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

public class GatewayExample {
  public static void main(String[] args) {
    URI endpoint = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8080"); // ./meterbridge serve
    Path dataDir = Path.of(args.length > 1 ? args[1] : "metering");

    try (MeteringClient upstream = MeteringClient.builder() // for AWS: leave out, and give .region(...)
            .region("us-east-1")
            .endpointOverride(endpoint)
            .credentials(AwsCredentials.of("AKIADEMOSELLEREXAMPLE", "demoSellerSecretEXAMPLEnotForProductionUse"))
            .retryPolicy(RetryPolicy.none())            // the gateway retries by itself
            .build();
        Gateway gateway = Gateway.builder()
            .dataDir(dataDir)                           // SQLite, one process
            .product(CatalogProduct.saas("demo-saas", "users", "storage_gb"))
            .upstream(upstream)
            .start()) {
      List<IngestResult> results = gateway.ingest(List.of(UsageEvent.builder().id("req-1")
          .productCode("demo-saas").customerAwsAccountId("444455556666").dimension("users")
          .quantity(3).timestamp(Instant.now()).build()));
      results.forEach(r -> System.out.println(r.id() + " " + r.status()));
    }
  }
}
