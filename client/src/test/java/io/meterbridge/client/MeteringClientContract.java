package io.meterbridge.client;

import static io.meterbridge.client.ScriptedServer.drop;
import static io.meterbridge.client.ScriptedServer.error;
import static io.meterbridge.client.ScriptedServer.json;
import static io.meterbridge.client.ScriptedServer.ok;
import static io.meterbridge.client.ScriptedServer.raw;
import static io.meterbridge.client.ScriptedServer.throttled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.exception.IdempotencyConflictException;
import io.meterbridge.exception.InternalServiceErrorException;
import io.meterbridge.exception.InvalidProductCodeException;
import io.meterbridge.exception.InvalidRequestException;
import io.meterbridge.exception.MeteringClientException;
import io.meterbridge.exception.MeteringServiceException;
import io.meterbridge.exception.ThrottlingException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.RegisterUsageRequest;
import io.meterbridge.model.RegisterUsageResponse;
import io.meterbridge.model.ResolveCustomerResponse;
import io.meterbridge.model.Tag;
import io.meterbridge.model.UsageAllocation;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResultStatus;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour both clients share, run once against {@link MeteringClient} and once against
 * {@link MeteringAsyncClient} (through a blocking adapter), each time against a scripted loopback
 * server.
 */
abstract class MeteringClientContract {
  static final Instant HOUR = Instant.parse("2026-08-01T10:00:00Z");
  static final AwsCredentials CREDENTIALS =
      AwsCredentials.of("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  /** Retries without waiting, so retry tests run in milliseconds. */
  static final RetryPolicy FAST_RETRIES = RetryPolicy.standard().toBuilder()
      .baseDelay(Duration.ofMillis(1)).throttlingBaseDelay(Duration.ofMillis(1)).build();

  ScriptedServer server;
  private final List<AutoCloseable> opened = new ArrayList<>();

  /** A client built with {@code config} applied to the builder. */
  protected abstract MeteringClient build(Consumer<ClientBuilder<?>> config);

  @BeforeEach
  void startServer() {
    server = new ScriptedServer();
  }

  @AfterEach
  void stopServer() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    server.close();
  }

  MeteringClient client() {
    return client(b -> {});
  }

  MeteringClient client(Consumer<ClientBuilder<?>> extra) {
    MeteringClient client = build(b -> {
      b.region("us-east-1").credentials(CREDENTIALS).endpointOverride(server.uri())
          .retryPolicy(FAST_RETRIES);
      extra.accept(b);
    });
    opened.add(client);
    return client;
  }

  static MeterUsageRequest meterRequest() {
    return MeterUsageRequest.builder().productCode("prod-ami").timestamp(HOUR)
        .usageDimension("vcpu_hours").usageQuantity(4).build();
  }

  static UsageRecord usageRecord() {
    return UsageRecord.builder().timestamp(HOUR).customerAwsAccountId("111122223333")
        .licenseArn("arn:aws:license-manager::123456789012:license:l-0123456789abcdef0")
        .dimension("api_calls").quantity(1500)
        .usageAllocations(UsageAllocation.of(1000, Tag.of("Dept", "IT")), UsageAllocation.of(500))
        .build();
  }

  static BatchMeterUsageRequest batchRequest() {
    return BatchMeterUsageRequest.builder().productCode("prod-saas").usageRecords(usageRecord()).build();
  }

  static RegisterUsageRequest registerRequest() {
    return RegisterUsageRequest.builder().productCode("prod-container").publicKeyVersion(1).nonce("n-1").build();
  }

  // ------------------------------------------------------------------------ request shape

  @Test
  void meterUsage_anyRequest_isAJson11PostToTheRootWithTargetAndBody() {
    server.enqueue(ok("{\"MeteringRecordId\":\"rec-1\"}"));

    client().meterUsage(meterRequest().toBuilder().clientToken("token-1").build());

    ScriptedServer.Received request = server.lastRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/");
    assertThat(request.header("Content-Type")).isEqualTo("application/x-amz-json-1.1");
    assertThat(request.header("X-Amz-Target")).isEqualTo("AWSMPMeteringService.MeterUsage");
    assertThat(JsonTree.parse(request.body())).isEqualTo(JsonTree.parse(
        "{\"ProductCode\":\"prod-ami\",\"Timestamp\":1785578400,\"UsageDimension\":\"vcpu_hours\","
            + "\"UsageQuantity\":4,\"ClientToken\":\"token-1\"}"));
  }

  @Test
  void anyCall_signsWithTheAwsMarketplaceScopeOfTheRegionAndTheClockDate() {
    server.enqueue(ok("{}"));
    Clock clock = Clock.fixed(Instant.parse("2026-08-01T10:15:00Z"), ZoneOffset.UTC);

    client(b -> b.clock(clock)).resolveCustomer("token-abc");

    ScriptedServer.Received request = server.lastRequest();
    assertThat(request.header("X-Amz-Date")).isEqualTo("20260801T101500Z");
    assertThat(request.header("Authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260801/us-east-1/aws-marketplace/aws4_request, ")
        .contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target");
    assertThat(request.header("X-Amz-Security-Token")).isNull();
  }

  @Test
  void everyAttempt_isSignedWithAValidSigV4Signature() {
    server.enqueue(throttled(), ok("{}"));

    client(b -> b.credentials(AwsCredentials.session("ASIAEXAMPLE", "session-secret", "session-token", null)))
        .meterUsage(meterRequest());

    assertThat(server.requests()).hasSize(2).allSatisfy(request -> {
      var verdict = request.verifySignature("session-secret", Instant.now());
      assertThat(verdict.isValid()).as(verdict.message()).isTrue();
      assertThat(request.verifySignature("another-secret", Instant.now()).isValid()).isFalse();
    });
  }

  @Test
  void anyCall_withSessionCredentials_sendsTheSecurityToken() {
    server.enqueue(ok("{}"));

    client(b -> b.credentials(AwsCredentials.session("ASIAEXAMPLE", "secret", "session-token", null)))
        .resolveCustomer("token-abc");

    assertThat(server.lastRequest().header("X-Amz-Security-Token")).isEqualTo("session-token");
    assertThat(server.lastRequest().header("Authorization")).contains("x-amz-security-token");
  }

  @Test
  void anyCall_sendsAUserAgentNamingMeterbridgeAndTheSuffix() {
    server.enqueue(ok("{}"));

    client(b -> b.userAgentSuffix("acme-saas/2.3.1")).resolveCustomer("token-abc");

    assertThat(server.lastRequest().header("User-Agent"))
        .matches("meterbridge-java/\\S+ java/\\S+ os/\\S+ acme-saas/2\\.3\\.1");
    assertThat(server.lastRequest().header("User-Agent")).doesNotContain("unknown");
  }

  // ------------------------------------------------------------------ response decoding

  @Test
  void batchMeterUsage_okResponse_decodesResultsAndUnprocessedRecords() {
    server.enqueue(ok("{\"Results\":[{\"UsageRecord\":{\"Timestamp\":1785578400,"
        + "\"CustomerAWSAccountId\":\"111122223333\",\"Dimension\":\"api_calls\",\"Quantity\":1500},"
        + "\"MeteringRecordId\":\"rec-1\",\"Status\":\"Success\"}],"
        + "\"UnprocessedRecords\":[{\"Timestamp\":1785578400.5,\"CustomerAWSAccountId\":\"111122223333\","
        + "\"Dimension\":\"api_calls\",\"Quantity\":7}]}"));

    BatchMeterUsageResponse response = client().batchMeterUsage(batchRequest());

    assertThat(response.results()).singleElement().satisfies(result -> {
      assertThat(result.meteringRecordId()).contains("rec-1");
      assertThat(result.status()).contains(UsageRecordResultStatus.SUCCESS);
      assertThat(result.usageRecord().orElseThrow().quantity()).isEqualTo(1500);
    });
    assertThat(response.unprocessedRecords()).singleElement().satisfies(record -> {
      assertThat(record.timestamp()).isEqualTo(HOUR.plusMillis(500));
      assertThat(record.quantity()).isEqualTo(7);
    });
    assertThat(JsonTree.parse(server.lastRequest().body())).isEqualTo(JsonTree.parse(
        "{\"UsageRecords\":[{\"Timestamp\":1785578400,\"Dimension\":\"api_calls\",\"Quantity\":1500,"
            + "\"UsageAllocations\":[{\"AllocatedUsageQuantity\":1000,\"Tags\":[{\"Key\":\"Dept\",\"Value\":\"IT\"}]},"
            + "{\"AllocatedUsageQuantity\":500}],\"CustomerAWSAccountId\":\"111122223333\","
            + "\"LicenseArn\":\"arn:aws:license-manager::123456789012:license:l-0123456789abcdef0\"}],"
            + "\"ProductCode\":\"prod-saas\"}"));
  }

  @Test
  void meterUsage_okResponse_decodesTheRecordId() {
    server.enqueue(ok("{\"MeteringRecordId\":\"rec-42\"}"));

    MeterUsageResponse response = client().meterUsage(b -> b.productCode("prod-ami").timestamp(HOUR)
        .usageDimension("vcpu_hours").usageQuantity(1));

    assertThat(response.meteringRecordId()).contains("rec-42");
  }

  @Test
  void registerUsage_okResponse_decodesSignatureAndRotationTimestamp() {
    server.enqueue(ok("{\"Signature\":\"a.b.c\",\"PublicKeyRotationTimestamp\":1785578400}"));

    RegisterUsageResponse response = client().registerUsage(registerRequest());

    assertThat(response.signature()).contains("a.b.c");
    assertThat(response.publicKeyRotationTimestamp()).contains(HOUR);
    assertThat(server.lastRequest().header("X-Amz-Target")).isEqualTo("AWSMPMeteringService.RegisterUsage");
  }

  @Test
  void resolveCustomer_okResponse_decodesTheCustomer() {
    server.enqueue(ok("{\"CustomerIdentifier\":\"cust-1\",\"CustomerAWSAccountId\":\"111122223333\","
        + "\"ProductCode\":\"prod-saas\",\"LicenseArn\":\"arn:aws:license-manager::1:license:l-1\"}"));

    ResolveCustomerResponse response = client().resolveCustomer("token-abc");

    assertThat(response.customerIdentifier()).contains("cust-1");
    assertThat(response.customerAwsAccountId()).contains("111122223333");
    assertThat(response.productCode()).contains("prod-saas");
    assertThat(response.licenseArn()).contains("arn:aws:license-manager::1:license:l-1");
    assertThat(JsonTree.parse(server.lastRequest().body()))
        .isEqualTo(JsonTree.parse("{\"RegistrationToken\":\"token-abc\"}"));
  }

  @Test
  void meterUsage_emptyOkBody_readsAsAnEmptyResponse() {
    server.enqueue(raw(200, "application/x-amz-json-1.1", ""));

    assertThat(client().meterUsage(meterRequest()).meteringRecordId()).isEmpty();
  }

  @Test
  void meterUsage_okBodyThatIsNotJson_failsAsAClientErrorWithoutRetrying() {
    server.enqueue(raw(200, "text/html", "<html>hello</html>"));

    assertThatThrownBy(() -> client().meterUsage(meterRequest()))
        .isExactlyInstanceOf(MeteringClientException.class)
        .hasMessageStartingWith("Could not read the MeterUsage response");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void responseWithHostileNumbers_failsAtOnceAsAClientError() {
    // A timestamp such as 1e-100000000 once cost minutes of BigDecimal arithmetic to read.
    server.enqueue(ok("{\"PublicKeyRotationTimestamp\":1e100000000,\"Signature\":\"x\"}"));
    server.enqueue(ok("{\"Results\":[{\"UsageRecord\":{\"Timestamp\":1,\"CustomerAWSAccountId\":\"1\","
        + "\"Dimension\":\"d\",\"Quantity\":" + "9".repeat(5000) + "}}]}"));
    server.enqueue(ok("{\"PublicKeyRotationTimestamp\":1e-100000000,\"Signature\":\"x\"}"));

    assertThatThrownBy(() -> client().registerUsage(registerRequest()))
        .isExactlyInstanceOf(MeteringClientException.class)
        .hasMessageContaining("publicKeyRotationTimestamp: 1e100000000 is not a valid timestamp");
    assertThatThrownBy(() -> client().batchMeterUsage(batchRequest()))
        .isExactlyInstanceOf(MeteringClientException.class)
        .hasMessageContaining("Number value length (5000) exceeds the maximum allowed (64)");
    assertThat(client().registerUsage(registerRequest()).publicKeyRotationTimestamp()).contains(Instant.EPOCH);
  }

  // ------------------------------------------------------------------------ error mapping

  @Test
  void meterUsage_modelledError_throwsItsClassWithMessageStatusAndRequestId() {
    server.enqueue(error(400, "InvalidProductCodeException", "Unknown product").header("x-amzn-RequestId", "req-9"));

    InvalidProductCodeException e = catchThrowableOfType(InvalidProductCodeException.class, () -> client().meterUsage(meterRequest()));

    assertThat(e.errorCode()).isEqualTo("InvalidProductCodeException");
    assertThat(e.serviceMessage()).isEqualTo("Unknown product");
    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.requestId()).contains("req-9");
    assertThat(e).hasMessage("InvalidProductCodeException: Unknown product (status 400, request req-9)");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void meterUsage_unknownErrorCode_throwsTheServiceBaseClass() {
    server.enqueue(error(400, "BrandNewException", "Something new"));

    assertThatThrownBy(() -> client().meterUsage(meterRequest()))
        .isExactlyInstanceOf(MeteringServiceException.class)
        .hasMessage("BrandNewException: Something new (status 400, request req-400)");
  }

  @Test
  void meterUsage_namespacedCodeWithLegacySuffix_isSanitised() {
    server.enqueue(json(400, "{\"__type\":\"aws.protocoltests#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/\","
        + "\"Message\":\"foo\"}"));

    MeteringServiceException e = catchThrowableOfType(MeteringServiceException.class, () -> client().meterUsage(meterRequest()));

    assertThat(e.errorCode()).isEqualTo("FooError");
    assertThat(e.serviceMessage()).isEqualTo("foo");
  }

  @Test
  void meterUsage_codeOnlyInTheHeader_usesTheHeaderAndTheHeaderMessage() {
    server.enqueue(raw(400, "application/x-amz-json-1.1", "")
        .header("x-amzn-ErrorType", "InvalidProductCodeException:http://internal.amazon.com/")
        .header("x-amzn-error-message", "from the header")
        .header("x-amz-request-id", "req-alt"));

    InvalidProductCodeException e = catchThrowableOfType(InvalidProductCodeException.class, () -> client().meterUsage(meterRequest()));

    assertThat(e.serviceMessage()).isEqualTo("from the header");
    assertThat(e.requestId()).contains("req-alt");
  }

  @Test
  void meterUsage_htmlBadGatewayFromAProxy_isAServiceErrorWithTheStatusAndRetried() {
    server.enqueue(raw(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>"),
        raw(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>"),
        raw(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>"));

    MeteringServiceException e = catchThrowableOfType(MeteringServiceException.class, () -> client().meterUsage(meterRequest()));

    assertThat(e.getClass()).isEqualTo(MeteringServiceException.class);
    assertThat(e.statusCode()).isEqualTo(502);
    assertThat(e.errorCode()).isEqualTo("Http502");
    assertThat(e.serviceMessage()).isEqualTo(
        "HTTP 502 without an AWS error code (text/html, 50 bytes): 502 Bad Gateway");
    assertThat(e.requestId()).isEmpty();
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void meterUsage_idempotencyConflict409_throwsIdempotencyConflictWithoutRetrying() {
    server.enqueue(error(409, "IdempotencyConflictException", "The ClientToken is being used for multiple requests."));

    IdempotencyConflictException e = catchThrowableOfType(IdempotencyConflictException.class, () -> client().meterUsage(meterRequest()));

    assertThat(e.statusCode()).isEqualTo(409);
    assertThat(server.requests()).hasSize(1);
  }

  // ------------------------------------------------------------------------------ retries

  @Test
  void meterUsage_throttledTwiceThenOk_succeedsOnThirdAttempt() {
    server.enqueue(throttled(), throttled(), ok("{\"MeteringRecordId\":\"rec-3\"}"));

    MeterUsageResponse response = client().meterUsage(meterRequest());

    assertThat(response.meteringRecordId()).contains("rec-3");
    assertThat(server.requests()).extracting(r -> r.header("amz-sdk-request"))
        .containsExactly("attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3");
  }

  @Test
  void meterUsage_retried_sendsTheSameGeneratedClientTokenEveryTime() {
    server.enqueue(throttled(), error(500, "InternalServiceErrorException", "oops"), ok("{}"));

    client().meterUsage(meterRequest());

    List<Object> tokens = server.requests().stream()
        .map(r -> (Object) ((Map<?, ?>) JsonTree.parse(r.body())).get("ClientToken")).toList();
    assertThat(tokens).hasSize(3).doesNotContainNull().containsOnly(tokens.get(0));
    assertThat((String) tokens.get(0)).matches("[0-9a-f-]{36}");
  }

  @Test
  void meterUsage_twoCallsWithoutToken_getDifferentTokens() {
    server.enqueue(ok("{}"), ok("{}"));
    MeteringClient client = client();

    client.meterUsage(meterRequest());
    client.meterUsage(meterRequest());

    List<Object> tokens = server.requests().stream()
        .map(r -> (Object) ((Map<?, ?>) JsonTree.parse(r.body())).get("ClientToken")).toList();
    assertThat(tokens).doesNotHaveDuplicates();
  }

  @Test
  void meterUsage_serverErrorThenOk_succeedsOnSecondAttempt() {
    server.enqueue(error(500, "InternalServiceErrorException", "try again"), ok("{\"MeteringRecordId\":\"r\"}"));

    assertThat(client().meterUsage(meterRequest()).meteringRecordId()).contains("r");
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void meterUsage_nonRetryableError_isNotRetried() {
    server.enqueue(error(400, "InvalidProductCodeException", "no"), ok("{}"));

    assertThatThrownBy(() -> client().meterUsage(meterRequest())).isInstanceOf(InvalidProductCodeException.class);
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void meterUsage_throttledEveryTime_stopsAfterMaxAttemptsWithEarlierFailuresSuppressed() {
    server.enqueue(throttled(), throttled(), throttled(), throttled(), throttled());

    ThrottlingException e = catchThrowableOfType(ThrottlingException.class, () -> client(b -> b.retryPolicy(r -> r.maxAttempts(4))).meterUsage(meterRequest()));

    assertThat(server.requests()).hasSize(4);
    assertThat(e.getSuppressed()).hasSize(3).allMatch(s -> s instanceof ThrottlingException);
  }

  @Test
  void meterUsage_retryPolicyNone_makesOneAttempt() {
    server.enqueue(throttled(), ok("{}"));

    assertThatThrownBy(() -> client(b -> b.retryPolicy(RetryPolicy.none())).meterUsage(meterRequest()))
        .isInstanceOf(ThrottlingException.class);
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void meterUsage_connectionDroppedThenOk_retriesTheIoError() {
    server.enqueue(drop(), ok("{\"MeteringRecordId\":\"after-drop\"}"));

    assertThat(client().meterUsage(meterRequest()).meteringRecordId()).contains("after-drop");
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void meterUsage_nothingListening_failsWithATransportErrorNamingTheEndpointAfterRetries() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    URI closed = URI.create("http://127.0.0.1:" + port);

    TransportException e = catchThrowableOfType(TransportException.class, () -> client(b -> b.endpointOverride(closed)).meterUsage(meterRequest()));

    assertThat(e).hasMessageStartingWith("Could not connect to http://127.0.0.1:" + port + "/");
    assertThat(e.retryable()).isTrue();
    assertThat(e.getSuppressed()).hasSize(2);
  }

  @Test
  void meterUsage_invalidRequest_isRejectedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> client().meterUsage(b -> b.productCode("bad code!").timestamp(HOUR)
        .usageDimension("d").usageQuantity(-1)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("usageQuantity: -1 is below the minimum 0");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void batchMeterUsage_serverFaultEveryTime_throwsInternalServiceError() {
    server.enqueue(error(500, "InternalServiceErrorException", "x"), error(500, "InternalServiceErrorException", "x"),
        error(500, "InternalServiceErrorException", "x"));

    assertThatThrownBy(() -> client().batchMeterUsage(batchRequest()))
        .isInstanceOf(InternalServiceErrorException.class);
    assertThat(server.requests()).hasSize(3);
  }

  // ----------------------------------------------------------------------------- timeouts

  @Test
  void meterUsage_firstAttemptHangs_isRetriedAfterTheAttemptTimeout() {
    server.enqueue(ok("{\"MeteringRecordId\":\"slow\"}").after(Duration.ofSeconds(3)),
        ok("{\"MeteringRecordId\":\"fast\"}"));

    MeterUsageResponse response = client(b -> b.apiCallAttemptTimeout(Duration.ofMillis(200)))
        .meterUsage(meterRequest());

    assertThat(response.meteringRecordId()).contains("fast");
  }

  @Test
  void meterUsage_everyAttemptHangs_failsWithTheCallTimeout() {
    Duration hang = Duration.ofSeconds(3);
    server.enqueue(ok("{}").after(hang), ok("{}").after(hang), ok("{}").after(hang));
    long start = System.nanoTime();

    ApiCallTimeoutException e = catchThrowableOfType(ApiCallTimeoutException.class, () -> client(b -> b
            .apiCallAttemptTimeout(Duration.ofMillis(150))
            .apiCallTimeout(Duration.ofMillis(400))
            .retryPolicy(r -> r.maxAttempts(10)))
        .meterUsage(meterRequest()));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(400));
    assertThat(e.retryable()).isFalse();
    assertThat(e).hasMessageStartingWith("MeterUsage did not complete within 400 ms");
    assertThat(e.getSuppressed()).isNotEmpty().allMatch(s -> s instanceof ApiCallAttemptTimeoutException);
  }

  @Test
  void meterUsage_lastAttemptTimesOut_throwsTheAttemptTimeout() {
    server.enqueue(ok("{}").after(Duration.ofSeconds(3)), ok("{}").after(Duration.ofSeconds(3)));

    assertThatThrownBy(() -> client(b -> b.apiCallAttemptTimeout(Duration.ofMillis(150))
        .retryPolicy(r -> r.maxAttempts(2))).meterUsage(meterRequest()))
        .isInstanceOf(ApiCallAttemptTimeoutException.class)
        .hasMessage("Attempt 2 of MeterUsage got no complete response within 150 ms");
  }

  // ------------------------------------------------------------------------- interceptors

  @Test
  void interceptors_aroundARetriedCall_runInOrderAndCanAddHeaders() {
    server.enqueue(throttled(), ok("{\"MeteringRecordId\":\"r\"}"));
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    ExecutionInterceptor recorder = new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Call call) {
        events.add("beforeExecution " + call.operation());
      }

      @Override
      public void beforeAttempt(Attempt attempt) {
        events.add("beforeAttempt " + attempt.number() + " auth=" + (attempt.headers().get("authorization") != null));
        attempt.header("X-Trace", "trace-" + attempt.number());
      }

      @Override
      public void afterAttempt(AttemptResult result) {
        events.add("afterAttempt " + result.attempt() + " " + result.statusCode().orElse(0)
            + " " + result.failure().map(f -> f.getClass().getSimpleName()).orElse("ok"));
      }

      @Override
      public void afterExecution(CallResult result) {
        events.add("afterExecution " + result.attempts() + " " + result.response().isPresent());
      }
    };

    client(b -> b.addInterceptor(recorder)).meterUsage(meterRequest());

    assertThat(events).containsExactly(
        "beforeExecution MeterUsage",
        "beforeAttempt 1 auth=true",
        "afterAttempt 1 400 ThrottlingException",
        "beforeAttempt 2 auth=true",
        "afterAttempt 2 200 ok",
        "afterExecution 2 true");
    assertThat(server.requests()).extracting(r -> r.header("X-Trace")).containsExactly("trace-1", "trace-2");
  }

  @Test
  void interceptors_addingASignedHeader_failTheCallBeforeSending() {
    ExecutionInterceptor bad = new ExecutionInterceptor() {
      @Override
      public void beforeAttempt(Attempt attempt) {
        attempt.header("X-Amz-Target", "AWSMPMeteringService.Other");
      }
    };

    assertThatThrownBy(() -> client(b -> b.addInterceptor(bad)).meterUsage(meterRequest()))
        .isInstanceOf(MeteringClientException.class)
        .hasMessageContaining("X-Amz-Target is set by the client and cannot be changed");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void interceptors_throwingAfterTheCall_doNotChangeTheOutcome() {
    server.enqueue(ok("{\"MeteringRecordId\":\"r\"}"));
    ExecutionInterceptor broken = new ExecutionInterceptor() {
      @Override
      public void afterExecution(CallResult result) {
        throw new IllegalStateException("metrics backend down");
      }
    };

    assertThat(client(b -> b.addInterceptor(broken)).meterUsage(meterRequest()).meteringRecordId()).contains("r");
  }

  // ------------------------------------------------------------------------------ wire log

  @Test
  void wireLog_enabled_logsRequestAndResponseWithSecretsMasked() {
    server.enqueue(ok("{\"MeteringRecordId\":\"rec-log\"}"));
    CapturingLogger logger = new CapturingLogger();

    client(b -> b.wireLog(logger)
        .credentials(AwsCredentials.session("ASIAEXAMPLE", "very-secret-key", "very-secret-token", null)))
        .meterUsage(meterRequest());

    String log = String.join("\n", logger.messages);
    assertThat(log)
        .contains("--> POST " + server.uri() + "/")
        .contains("X-Amz-Target: AWSMPMeteringService.MeterUsage")
        .contains("\"UsageDimension\":\"vcpu_hours\"")
        .contains("X-Amz-Security-Token: ****")
        .contains("Signature=****")
        .contains("<-- 200")
        .contains("rec-log")
        .doesNotContain("very-secret-token")
        .doesNotContain("very-secret-key")
        .doesNotContain("Signature=0000");
  }

  @Test
  void wireLog_off_logsNothing() {
    server.enqueue(ok("{}"));
    CapturingLogger logger = new CapturingLogger();

    client().meterUsage(meterRequest());

    assertThat(logger.messages).isEmpty();
  }

  // -------------------------------------------------------------------------- clock skew

  /** A clock an hour behind the machine's, as on a host whose time drifted. */
  static final java.time.Clock SLOW_CLOCK =
      java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(-1));

  private static void assertSignedNearNow(ScriptedServer.Received request) {
    Instant signed = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .withZone(java.time.ZoneOffset.UTC).parse(request.header("X-Amz-Date"), Instant::from);
    assertThat(Duration.between(signed, Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
    assertThat(request.verifySignature(CREDENTIALS.secretAccessKey(), Instant.now()).isValid()).isTrue();
  }

  @Test
  void clockSkew_signatureExpired_correctsTheClockAndRetriesOnceAtOnce() {
    server.enqueue(error(400, "InvalidSignatureException", "Signature expired: 20260801T090000Z is now"
        + " earlier than 20260801T095500Z (20260801T100000Z - 5 min.)"), ok("{\"MeteringRecordId\":\"rec-skew\"}"));
    CapturingLogger logger = new CapturingLogger();
    MeteringClient client = client(b -> b.clock(SLOW_CLOCK).wireLog(logger).retryPolicy(RetryPolicy.none()));

    assertThat(client.meterUsage(meterRequest()).meteringRecordId()).contains("rec-skew");

    assertThat(server.requests()).hasSize(2);
    assertSignedNearNow(server.requests().get(1));
    assertThat(String.join("\n", logger.messages)).contains("clock skew: the service's Date is")
        .contains("sending once more");
  }

  @Test
  void clockSkew_correctionIsKept_forLaterCalls() {
    server.enqueue(error(400, "RequestTimeTooSkewed", "The difference between the request time and"
        + " the current time is too large."), ok("{}"), ok("{}"));
    MeteringClient client = client(b -> b.clock(SLOW_CLOCK));

    client.meterUsage(meterRequest());
    client.meterUsage(meterRequest());

    assertThat(server.requests()).hasSize(3);
    assertSignedNearNow(server.requests().get(2));
  }

  @Test
  void clockSkew_forbiddenWithADateFarFromOurs_isCorrectedToo() {
    server.enqueue(error(403, "UnrecognizedClientException", "The security token included in the request"
        + " is invalid."), ok("{}"));

    client(b -> b.clock(SLOW_CLOCK).retryPolicy(RetryPolicy.none())).meterUsage(meterRequest());

    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void clockSkew_secondSkewErrorInACall_isNotRetriedAgain() {
    server.enqueue(error(400, "RequestTimeTooSkewed", "too skewed"),
        error(400, "RequestTimeTooSkewed", "still too skewed"));

    assertThatThrownBy(() -> client(b -> b.clock(SLOW_CLOCK).retryPolicy(RetryPolicy.none()))
        .meterUsage(meterRequest()))
        .isInstanceOf(io.meterbridge.exception.MeteringServiceException.class)
        .hasMessageContaining("still too skewed");
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void clockSkew_ourClockRight_aSignatureErrorIsNotRetried() {
    server.enqueue(error(400, "InvalidSignatureException", "The request signature we calculated does"
        + " not match the signature you provided."));

    assertThatThrownBy(() -> client().meterUsage(meterRequest()))
        .isInstanceOf(io.meterbridge.exception.MeteringServiceException.class);
    assertThat(server.requests()).hasSize(1);
  }

  // --------------------------------------------------------------------------- lifecycle

  @Test
  void close_thenCall_failsWithAClearMessage() {
    MeteringClient client = client();
    client.close();

    assertThatThrownBy(() -> client.meterUsage(meterRequest()))
        .isInstanceOf(MeteringClientException.class)
        .hasMessage("The client is closed");
  }

  @Test
  void manyConcurrentCalls_shareTheClientSafely() throws Exception {
    for (int i = 0; i < 40; i++) {
      server.enqueue(ok("{\"MeteringRecordId\":\"r\"}"));
    }
    MeteringClient client = client();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 8; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 5; i++) {
          try {
            client.meterUsage(meterRequest());
          } catch (Throwable e) {
            failures.add(e);
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(failures).isEmpty();
    assertThat(server.requests()).hasSize(40);
  }

  @Test
  void adaptiveMode_afterThrottling_spacesLaterCallsOut() {
    server.enqueue(throttled(), ok("{}"), ok("{}"), ok("{}"));
    MeteringClient client = client(b -> b.retryPolicy(RetryPolicy.adaptive().toBuilder()
        .baseDelay(Duration.ofMillis(1)).throttlingBaseDelay(Duration.ofMillis(1)).build()));

    client.meterUsage(meterRequest());
    client.meterUsage(meterRequest());

    List<ScriptedServer.Received> requests = server.requests();
    assertThat(requests).hasSize(3);
    // Without the limiter the three requests arrive within milliseconds; with it, after the
    // throttle, the send rate drops below one per second.
    assertThat(Duration.ofNanos(requests.get(2).nanos() - requests.get(0).nanos()))
        .isGreaterThan(Duration.ofMillis(900));
  }

  @Test
  void standardMode_afterThrottling_doesNotSlowLaterCalls() {
    server.enqueue(throttled(), ok("{}"), ok("{}"));
    MeteringClient client = client();

    client.meterUsage(meterRequest());
    client.meterUsage(meterRequest());

    List<ScriptedServer.Received> requests = server.requests();
    assertThat(Duration.ofNanos(requests.get(2).nanos() - requests.get(0).nanos()))
        .isLessThan(Duration.ofMillis(500));
  }

  /** A System.Logger that keeps every message. */
  static final class CapturingLogger implements System.Logger {
    final List<String> messages = Collections.synchronizedList(new ArrayList<>());

    @Override
    public String getName() {
      return "capture";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
      messages.add(msg);
    }

    @Override
    public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
      messages.add(params == null || params.length == 0 ? format
          : java.text.MessageFormat.format(format, params));
    }
  }

}
