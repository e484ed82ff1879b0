package io.meterbridge.client;

import static io.meterbridge.client.ScriptedServer.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.UsageRecordResultStatus;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.marketplacemetering.MarketplaceMeteringClient;
import software.amazon.awssdk.services.marketplacemetering.model.BatchMeterUsageResponse;
import software.amazon.awssdk.services.marketplacemetering.model.RegisterUsageResponse;
import software.amazon.awssdk.services.marketplacemetering.model.ResolveCustomerResponse;
import software.amazon.awssdk.services.marketplacemetering.model.Tag;
import software.amazon.awssdk.services.marketplacemetering.model.UsageAllocation;
import software.amazon.awssdk.services.marketplacemetering.model.UsageRecord;

/**
 * The same call made with Meterbridge and with the official AWS SDK for Java v2, both pointed at
 * the scripted server: the requests must match on the wire and the responses must parse alike.
 */
class AwsSdkEquivalenceTest {
  static final Instant HOUR = Instant.parse("2026-08-01T10:00:00Z");
  static final String KEY_ID = "AKIDEXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  static final String LICENSE = "arn:aws:license-manager::123456789012:license:l-0123456789abcdef0";
  static final String SCOPE = "Credential=" + KEY_ID + "/\\d{8}/us-east-1/aws-marketplace/aws4_request";

  ScriptedServer server;
  MeteringClient ours;
  MarketplaceMeteringClient aws;

  @BeforeEach
  void start() {
    server = new ScriptedServer();
    ours = MeteringClient.builder().region("us-east-1").credentials(AwsCredentials.of(KEY_ID, SECRET))
        .endpointOverride(server.uri()).build();
    aws = MarketplaceMeteringClient.builder().region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)))
        .endpointOverride(server.uri()).build();
  }

  @AfterEach
  void stop() {
    ours.close();
    aws.close();
    server.close();
  }

  /** Asserts the two recorded requests (ours first) are the same call. */
  void assertSameCall(String target) {
    List<ScriptedServer.Received> requests = server.requests();
    assertThat(requests).hasSize(2);
    ScriptedServer.Received mine = requests.get(0);
    ScriptedServer.Received theirs = requests.get(1);
    assertThat(mine.method()).isEqualTo(theirs.method()).isEqualTo("POST");
    assertThat(mine.path()).isEqualTo(theirs.path()).isEqualTo("/");
    assertThat(mine.header("X-Amz-Target")).isEqualTo(theirs.header("X-Amz-Target")).isEqualTo(target);
    assertThat(mine.header("Content-Type")).isEqualTo(theirs.header("Content-Type"))
        .isEqualTo("application/x-amz-json-1.1");
    assertThat(JsonTree.parse(mine.body())).isEqualTo(JsonTree.parse(theirs.body()));
    assertThat(mine.header("Authorization")).containsPattern(SCOPE);
    assertThat(theirs.header("Authorization")).containsPattern(SCOPE);
    assertThat(mine.verifySignature(SECRET, Instant.now()).isValid()).as("our signature").isTrue();
    assertThat(theirs.verifySignature(SECRET, Instant.now()).isValid()).as("the AWS SDK's signature").isTrue();
  }

  @Test
  void batchMeterUsage_sameCall_sendsTheSameRequestAndParsesTheSameResponse() {
    String response = "{\"Results\":[{\"UsageRecord\":{\"Timestamp\":1785578400,\"CustomerAWSAccountId\":\"111122223333\","
        + "\"LicenseArn\":\"" + LICENSE + "\",\"Dimension\":\"api_calls\",\"Quantity\":1500},"
        + "\"MeteringRecordId\":\"rec-1\",\"Status\":\"DuplicateRecord\"}],"
        + "\"UnprocessedRecords\":[{\"Timestamp\":1785578400.25,\"CustomerIdentifier\":\"cust\",\"Dimension\":\"d\",\"Quantity\":2}]}";
    server.enqueue(ok(response), ok(response));

    // AWS SDK 2.41.4 predates LicenseArn (model 2026-02), so the compared request leaves it out.
    io.meterbridge.model.BatchMeterUsageResponse mine = ours.batchMeterUsage(b -> b.productCode("prod-saas")
        .usageRecords(MeteringClientContract.usageRecord().toBuilder().licenseArn(null).build()));
    BatchMeterUsageResponse theirs = aws.batchMeterUsage(b -> b.productCode("prod-saas").usageRecords(
        UsageRecord.builder().timestamp(HOUR).customerAWSAccountId("111122223333")
            .dimension("api_calls").quantity(1500)
            .usageAllocations(
                UsageAllocation.builder().allocatedUsageQuantity(1000)
                    .tags(Tag.builder().key("Dept").value("IT").build()).build(),
                UsageAllocation.builder().allocatedUsageQuantity(500).build())
            .build()));

    assertSameCall("AWSMPMeteringService.BatchMeterUsage");
    assertThat(mine.results()).hasSameSizeAs(theirs.results());
    var myResult = mine.results().get(0);
    var theirResult = theirs.results().get(0);
    assertThat(myResult.meteringRecordId()).contains(theirResult.meteringRecordId());
    assertThat(myResult.status().map(UsageRecordResultStatus::wireValue)).contains(theirResult.statusAsString());
    var myRecord = myResult.usageRecord().orElseThrow();
    assertThat(myRecord.timestamp()).isEqualTo(theirResult.usageRecord().timestamp());
    assertThat(myRecord.licenseArn()).contains(LICENSE); // the AWS SDK of this version drops it
    assertThat(myRecord.customerAwsAccountId()).contains(theirResult.usageRecord().customerAWSAccountId());
    assertThat(mine.unprocessedRecords().get(0).timestamp())
        .isEqualTo(theirs.unprocessedRecords().get(0).timestamp())
        .isEqualTo(HOUR.plusMillis(250));
    assertThat(mine.unprocessedRecords().get(0).customerIdentifier())
        .contains(theirs.unprocessedRecords().get(0).customerIdentifier());
  }

  @Test
  void meterUsage_sameCall_sendsTheSameRequestAndParsesTheSameResponse() {
    server.enqueue(ok("{\"MeteringRecordId\":\"rec-42\"}"), ok("{\"MeteringRecordId\":\"rec-42\"}"));
    MeterUsageRequest request = MeteringClientContract.meterRequest().toBuilder().dryRun(true)
        .clientToken("11111111-2222-3333-4444-555555555555")
        .usageAllocations(io.meterbridge.model.UsageAllocation.of(4, io.meterbridge.model.Tag.of("k", "v")))
        .build();

    String mine = ours.meterUsage(request).meteringRecordId().orElseThrow();
    String theirs = aws.meterUsage(b -> b.productCode("prod-ami").timestamp(HOUR).usageDimension("vcpu_hours")
        .usageQuantity(4).dryRun(true).clientToken("11111111-2222-3333-4444-555555555555")
        .usageAllocations(UsageAllocation.builder().allocatedUsageQuantity(4)
            .tags(Tag.builder().key("k").value("v").build()).build()))
        .meteringRecordId();

    assertSameCall("AWSMPMeteringService.MeterUsage");
    assertThat(mine).isEqualTo(theirs);
  }

  @Test
  void meterUsage_withoutClientToken_bothGenerateOneOfTheSameShape() {
    server.enqueue(ok("{}"), ok("{}"));

    ours.meterUsage(MeteringClientContract.meterRequest());
    aws.meterUsage(b -> b.productCode("prod-ami").timestamp(HOUR).usageDimension("vcpu_hours").usageQuantity(4));

    Function<ScriptedServer.Received, Object> token = r -> ((java.util.Map<?, ?>) JsonTree.parse(r.body())).get("ClientToken");
    assertThat((String) token.apply(server.requests().get(0))).matches("[0-9a-f-]{36}");
    assertThat((String) token.apply(server.requests().get(1))).matches("[0-9a-f-]{36}");
  }

  @Test
  void registerUsage_sameCall_sendsTheSameRequestAndParsesTheSameResponse() {
    String response = "{\"Signature\":\"eyJh.eyJw.c2ln\",\"PublicKeyRotationTimestamp\":1785578400.5}";
    server.enqueue(ok(response), ok(response));

    io.meterbridge.model.RegisterUsageResponse mine = ours.registerUsage(MeteringClientContract.registerRequest());
    RegisterUsageResponse theirs = aws.registerUsage(b -> b.productCode("prod-container").publicKeyVersion(1).nonce("n-1"));

    assertSameCall("AWSMPMeteringService.RegisterUsage");
    assertThat(mine.signature()).contains(theirs.signature());
    assertThat(mine.publicKeyRotationTimestamp()).contains(theirs.publicKeyRotationTimestamp());
  }

  @Test
  void resolveCustomer_sameCall_sendsTheSameRequestAndParsesTheSameResponse() {
    String response = "{\"CustomerIdentifier\":\"cust-1\",\"CustomerAWSAccountId\":\"111122223333\","
        + "\"ProductCode\":\"prod-saas\",\"LicenseArn\":\"" + LICENSE + "\",\"FutureMember\":{\"x\":[1,2]}}";
    server.enqueue(ok(response), ok(response));

    io.meterbridge.model.ResolveCustomerResponse mine = ours.resolveCustomer("token-abc");
    ResolveCustomerResponse theirs = aws.resolveCustomer(b -> b.registrationToken("token-abc"));

    assertSameCall("AWSMPMeteringService.ResolveCustomer");
    assertThat(mine.customerIdentifier()).contains(theirs.customerIdentifier());
    assertThat(mine.customerAwsAccountId()).contains(theirs.customerAWSAccountId());
    assertThat(mine.productCode()).contains(theirs.productCode());
    assertThat(mine.licenseArn()).contains(LICENSE); // the AWS SDK of this version drops it
  }

  @Test
  void errors_sameErrorResponse_haveTheSameCodeMessageStatusAndRequestId() {
    var error = ScriptedServer.error(400, "InvalidTokenException", "Registration token is invalid.")
        .header("x-amzn-RequestId", "req-err");
    server.enqueue(error, error);

    var mine = org.assertj.core.api.Assertions.catchThrowableOfType(io.meterbridge.exception.InvalidTokenException.class, () -> ours.resolveCustomer("bad"));
    var theirs = org.assertj.core.api.Assertions.catchThrowableOfType(software.amazon.awssdk.services.marketplacemetering.model.InvalidTokenException.class, () -> aws.resolveCustomer(b -> b.registrationToken("bad")));

    assertThat(mine.errorCode()).isEqualTo(theirs.awsErrorDetails().errorCode());
    assertThat(mine.serviceMessage()).isEqualTo(theirs.awsErrorDetails().errorMessage());
    assertThat(mine.statusCode()).isEqualTo(theirs.statusCode());
    assertThat(mine.requestId()).contains(theirs.requestId());
  }
}
