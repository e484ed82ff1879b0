package io.meterbridge.bench;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.auth.RequestHeaders;
import io.meterbridge.auth.SigV4Authorization;
import io.meterbridge.auth.SigV4Signer;
import io.meterbridge.auth.SigV4Verification;
import io.meterbridge.auth.SigV4Verifier;
import io.meterbridge.auth.SignableRequest;
import io.meterbridge.auth.SigningResult;
import io.meterbridge.internal.json.JsonCodec;
import io.meterbridge.model.Operation;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SigV4 on a typical BatchMeterUsage request (25 records, about 5 KB of JSON): the client's signing
 * and the server's parse-and-verify. The instant is fixed, so the signing key comes from the
 * per-day cache, as it does for all but the first call of a day. Each operation builds its
 * {@link SignableRequest} afresh, as the client and the server do per request, so the payload is
 * hashed every time ({@code SignableRequest} memoizes its hash).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class SigV4Benchmark {
  private static final Instant NOW = Instant.parse("2026-01-01T10:05:00Z");
  private static final AwsCredentials CREDENTIALS =
      AwsCredentials.of("AKIDEXAMPLEBENCH0001", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

  private final SigV4Signer signer = SigV4Signer.builder().service("aws-marketplace").region("us-east-1").build();
  private final SigV4Verifier verifier =
      SigV4Verifier.builder().service("aws-marketplace").region("us-east-1").build();
  private byte[] body;
  private RequestHeaders unsignedHeaders;
  private RequestHeaders signedHeaders;
  private String authorization;

  @Setup
  public void setUp() {
    body = JsonCodec.encodeRequest(Operation.BATCH_METER_USAGE, Fixtures.batchRequest());
    unsignedHeaders = RequestHeaders.of(
        "Host", "metering.marketplace.us-east-1.amazonaws.com",
        "Content-Type", "application/x-amz-json-1.1",
        "Content-Length", Integer.toString(body.length),
        "X-Amz-Target", Operation.BATCH_METER_USAGE.target(),
        "User-Agent", "meterbridge/0.1.0 java/17");
    signedHeaders = signer.sign(request(unsignedHeaders), CREDENTIALS, NOW).request().headers();
    authorization = signedHeaders.firstValue("Authorization").orElseThrow();
    if (!verify().isValid()) {
      throw new IllegalStateException("the fixture does not verify");
    }
  }

  private SignableRequest request(RequestHeaders headers) {
    return SignableRequest.builder().method("POST").target("/").headers(headers).body(body).build();
  }

  @Benchmark
  public SigningResult sign() {
    return signer.sign(request(unsignedHeaders), CREDENTIALS, NOW);
  }

  /** What the server does per request: parse the Authorization header, then verify. */
  @Benchmark
  public SigV4Verification verify() {
    return verifier.verify(request(signedHeaders), SigV4Authorization.parse(authorization),
        CREDENTIALS.secretAccessKey(), NOW);
  }
}
