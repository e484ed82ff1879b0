package io.meterbridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.exception.IdempotencyConflictException;
import io.meterbridge.exception.InvalidProductCodeException;
import io.meterbridge.exception.MissingAuthenticationTokenException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.server.auth.Authenticator;
import io.meterbridge.server.http.HttpServer;
import io.meterbridge.server.throttle.Throttling;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProtocolTest {
  static final String ACCOUNT = "123456789012";
  static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  static final String RECORD = "{\"Timestamp\":1767225600,"
      + "\"Dimension\":\"api_calls\",\"Quantity\":%d,\"CustomerAWSAccountId\":\"111122223333\"}";

  final CannedService service = new CannedService();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  HttpServer server;

  @BeforeEach
  void start() {
    server = HttpServer.builder().bind("127.0.0.1").port(0)
        .service(service)
        .authenticator(Authenticator.anyCredentials(ACCOUNT, "us-east-1"))
        .throttling(Throttling.off())
        .build()
        .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  HttpResponse<String> post(String operation, String body) throws Exception {
    return send(request().header("X-Amz-Target", "AWSMPMeteringService." + operation)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  HttpRequest.Builder request() {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-amz-json-1.1");
  }

  HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static String records(int n) {
    return IntStream.range(0, n).mapToObj(i -> RECORD.formatted(i)).collect(Collectors.joining(",", "[", "]"));
  }

  static void assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.body()).startsWith("{\"__type\":\"" + code + "\",\"message\":\"");
    assertThat(response.headers().firstValue("X-Amzn-ErrorType")).hasValue(code);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
    assertThat(response.headers().firstValue("x-amzn-RequestId")).hasValueSatisfying(id -> assertThat(id).matches(UUID));
  }

  // ------------------------------------------------------------------------------- operations

  @Test
  void batchMeterUsage_validRequest_isDispatchedAndItsResultsEncoded() throws Exception {
    HttpResponse<String> response = post("BatchMeterUsage", "{\"ProductCode\":\"prod-abc\",\"UsageRecords\":" + records(2) + "}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"Results\":["
        + "{\"UsageRecord\":" + RECORD.formatted(0) + ",\"MeteringRecordId\":\"mr-0000-1111\",\"Status\":\"Success\"},"
        + "{\"UsageRecord\":" + RECORD.formatted(1) + ",\"MeteringRecordId\":\"mr-0000-1111\",\"Status\":\"Success\"}],"
        + "\"UnprocessedRecords\":[]}");
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
    assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(response.body().length()));
    assertThat(response.headers().firstValue("X-Amzn-ErrorType")).isEmpty();
    BatchMeterUsageRequest received = (BatchMeterUsageRequest) service.requests.get(0);
    assertThat(received.productCode()).hasValue("prod-abc");
    assertThat(received.usageRecords()).hasSize(2);
  }

  @Test
  void meterUsage_validRequest_returnsTheMeteringRecordId() throws Exception {
    HttpResponse<String> response = post("MeterUsage",
        "{\"ProductCode\":\"prod-abc\",\"Timestamp\":1767225600.5,\"UsageDimension\":\"cpu\",\"UsageQuantity\":3}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"MeteringRecordId\":\"mr-0000-1111\"}");
    MeterUsageRequest received = (MeterUsageRequest) service.requests.get(0);
    assertThat(received.timestamp()).isEqualTo(Instant.ofEpochSecond(1_767_225_600L, 500_000_000));
    assertThat(received.usageQuantity()).isEqualTo(3);
  }

  @Test
  void registerUsage_validRequest_returnsSignatureAndRotationTimestamp() throws Exception {
    HttpResponse<String> response = post("RegisterUsage", "{\"ProductCode\":\"prod-abc\",\"PublicKeyVersion\":1,\"Nonce\":\"n\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(
        "{\"PublicKeyRotationTimestamp\":1767225600,\"Signature\":\"" + CannedService.SIGNATURE + "\"}");
  }

  @Test
  void resolveCustomer_validRequest_returnsTheCustomer() throws Exception {
    HttpResponse<String> response = post("ResolveCustomer", "{\"RegistrationToken\":\"tok\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"ProductCode\":\"prod-abc\",\"CustomerAWSAccountId\":\"111122223333\","
        + "\"LicenseArn\":\"arn:aws:license-manager::123456789012:license:l-0123456789abcdef0\"}");
  }

  @Test
  void everyCall_getsAContextWithRequestIdCallerRegionAndReceiveTime() throws Exception {
    Instant before = Instant.now();
    HttpResponse<String> response = send(request()
        .header("X-Amz-Target", "AWSMPMeteringService.ResolveCustomer")
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260801/eu-west-1/aws-marketplace/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=abc")
        .POST(HttpRequest.BodyPublishers.ofString("{\"RegistrationToken\":\"tok\"}")).build());

    CallContext context = service.contexts.get(0);
    assertThat(context.requestId()).isEqualTo(response.headers().firstValue("x-amzn-RequestId").orElseThrow());
    assertThat(context.caller()).isEqualTo(new Caller(ACCOUNT, "AKIDEXAMPLE", "AKIDEXAMPLE", "eu-west-1"));
    assertThat(context.region()).isEqualTo("eu-west-1");
    assertThat(context.receivedAt()).isBetween(before, Instant.now());
  }

  @Test
  void unsignedCall_isInTheFirstConfiguredRegion() throws Exception {
    post("ResolveCustomer", "{\"RegistrationToken\":\"tok\"}");

    assertThat(service.contexts.get(0).region()).isEqualTo("us-east-1");
  }

  // ------------------------------------------------------------------------------ bad requests

  @Test
  void unknownTarget_isUnknownOperationException() throws Exception {
    HttpResponse<String> response = post("DeleteEverything", "{}");

    assertError(response, 400, "UnknownOperationException");
    assertThat(response.body()).contains("Unknown operation 'AWSMPMeteringService.DeleteEverything'");
    assertThat(service.calls).hasValue(0);
  }

  @Test
  void missingTarget_isUnknownOperationException() throws Exception {
    HttpResponse<String> response = send(request().POST(HttpRequest.BodyPublishers.ofString("{}")).build());

    assertError(response, 400, "UnknownOperationException");
    assertThat(response.body()).contains("Missing X-Amz-Target header");
  }

  @Test
  void malformedJson_isSerializationException() throws Exception {
    HttpResponse<String> response = post("MeterUsage", "{\"ProductCode\":");

    assertError(response, 400, "SerializationException");
    assertThat(response.body()).contains("Malformed JSON");
    assertThat(service.calls).hasValue(0);
  }

  @Test
  void memberOfTheWrongType_isSerializationExceptionNamingTheMember() throws Exception {
    HttpResponse<String> response = post("MeterUsage",
        "{\"ProductCode\":\"p\",\"Timestamp\":\"yesterday\",\"UsageDimension\":\"cpu\"}");

    assertError(response, 400, "SerializationException");
    assertThat(response.body()).contains("timestamp: expected a number of epoch seconds but found a string");
  }

  @Test
  void constraintViolation_isValidationExceptionNamingTheMember() throws Exception {
    HttpResponse<String> response = post("BatchMeterUsage", "{\"ProductCode\":\"prod-abc\",\"UsageRecords\":["
        + RECORD.formatted(1) + "," + RECORD.formatted(-1) + "]}");

    assertError(response, 400, "ValidationException");
    assertThat(response.body()).contains("1 validation error detected: usageRecords[1].quantity: -1 is below the minimum 0");
    assertThat(service.calls).hasValue(0);
  }

  @Test
  void twentySixRecords_isValidationException() throws Exception {
    HttpResponse<String> response = post("BatchMeterUsage", "{\"ProductCode\":\"prod-abc\",\"UsageRecords\":" + records(26) + "}");

    assertError(response, 400, "ValidationException");
    assertThat(response.body()).contains("usageRecords");
    assertThat(service.calls).hasValue(0);
  }

  @Test
  void twentyFiveRecords_isAccepted() throws Exception {
    assertThat(post("BatchMeterUsage", "{\"ProductCode\":\"prod-abc\",\"UsageRecords\":" + records(25) + "}").statusCode())
        .isEqualTo(200);
  }

  @Test
  void emptyBody_isReadAsAnEmptyObject() throws Exception {
    HttpResponse<String> response = post("ResolveCustomer", "");

    assertError(response, 400, "ValidationException");
    assertThat(response.body()).contains("registrationToken");
  }

  @Test
  void missingContentType_isAcceptedWhenTheBodyIsJson() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
        .header("X-Amz-Target", "AWSMPMeteringService.ResolveCustomer")
        .POST(HttpRequest.BodyPublishers.ofString("{\"RegistrationToken\":\"tok\"}")).build());

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void nonJsonContentType_isRefused() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
        .header("X-Amz-Target", "AWSMPMeteringService.ResolveCustomer")
        .header("Content-Type", "text/xml")
        .POST(HttpRequest.BodyPublishers.ofString("<x/>")).build());

    assertError(response, 400, "SerializationException");
    assertThat(response.body()).contains("Unsupported Content-Type 'text/xml'");
  }

  @Test
  void getRoot_isAJsonErrorSayingRequestsArePost() throws Exception {
    HttpResponse<String> response = send(request().GET().build());

    assertError(response, 405, "UnknownOperationException");
    assertThat(response.body()).contains("Method GET is not allowed");
    assertThat(response.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void postToAnotherPath_isNotFound() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/meter"))
        .header("X-Amz-Target", "AWSMPMeteringService.MeterUsage")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build());

    assertError(response, 404, "UnknownOperationException");
    assertThat(response.body()).contains("No resource at /v1/meter");
  }

  @Test
  void health_answersUp() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health")).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"status\":\"UP\"}");
    assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
  }

  // ---------------------------------------------------------------------------- service errors

  @Test
  void serviceThrowingAModelledException_answersItsCodeAndStatus() throws Exception {
    service.throwing(new IdempotencyConflictException("ClientToken abc was used with other parameters"));

    HttpResponse<String> response = post("MeterUsage",
        "{\"ProductCode\":\"p\",\"Timestamp\":1767225600,\"UsageDimension\":\"cpu\",\"ClientToken\":\"abc\"}");

    assertError(response, 409, "IdempotencyConflictException");
    assertThat(response.body())
        .isEqualTo("{\"__type\":\"IdempotencyConflictException\",\"message\":\"ClientToken abc was used with other parameters\"}");
  }

  @Test
  void serviceFailingItsFutureLater_answersTheExceptionsCode() throws Exception {
    service.failingLater(new InvalidProductCodeException("Unknown product prod-x"));

    HttpResponse<String> response = post("ResolveCustomer", "{\"RegistrationToken\":\"tok\"}");

    assertError(response, 400, "InvalidProductCodeException");
    assertThat(response.body()).contains("Unknown product prod-x");
  }

  @Test
  void serviceThrowingRuntimeException_isInternalServiceErrorWithoutDetails() throws Exception {
    service.throwing(new IllegalStateException("secret database password is hunter2"));

    HttpResponse<String> response = post("ResolveCustomer", "{\"RegistrationToken\":\"tok\"}");

    assertError(response, 500, "InternalServiceErrorException");
    String requestId = response.headers().firstValue("x-amzn-RequestId").orElseThrow();
    assertThat(response.body()).contains("request id " + requestId)
        .doesNotContain("hunter2").doesNotContain("IllegalStateException").doesNotContain("\tat ");
  }

  @Test
  void serviceAnsweringLater_isAnsweredWhenItCompletes() throws Exception {
    CompletableFuture<Object> later = new CompletableFuture<>();
    service.answerWith(() -> later);
    CompletableFuture<HttpResponse<String>> response = http.sendAsync(
        request().header("X-Amz-Target", "AWSMPMeteringService.MeterUsage")
            .POST(HttpRequest.BodyPublishers.ofString("{\"ProductCode\":\"p\",\"Timestamp\":1,\"UsageDimension\":\"d\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    Thread.sleep(200);
    assertThat(response).isNotDone();

    new Thread(() -> later.complete(io.meterbridge.model.MeterUsageResponse.of("late"))).start();

    assertThat(response.get().body()).isEqualTo("{\"MeteringRecordId\":\"late\"}");
  }

  @Test
  void authenticatorRefusal_isAnsweredWithItsCodeBeforeAnyDecoding() throws Exception {
    server.close();
    server = HttpServer.builder().port(0).service(service)
        .authenticator(request -> {
          throw new MissingAuthenticationTokenException("Missing Authentication Token");
        })
        .build().start();

    HttpResponse<String> response = post("MeterUsage", "not even json");

    assertError(response, 403, "MissingAuthenticationTokenException");
    assertThat(service.calls).hasValue(0);
  }
}
