package io.meterbridge.bench;

import io.meterbridge.internal.json.JsonCodec;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageRequest;
import io.meterbridge.model.Operation;
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
 * The awsJson1_1 codec on the shapes that dominate traffic: a 25-record BatchMeterUsage request with
 * allocations and its 25-result response, both directions, plus one MeterUsage request. Run with
 * {@code -prof gc} for bytes allocated per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class JsonCodecBenchmark {
  private BatchMeterUsageRequest batchRequest;
  private byte[] batchRequestJson;
  private BatchMeterUsageResponse batchResponse;
  private byte[] batchResponseJson;
  private MeterUsageRequest meterUsageRequest;
  private byte[] meterUsageRequestJson;

  @Setup
  public void setUp() {
    batchRequest = Fixtures.batchRequest();
    batchRequestJson = JsonCodec.encodeRequest(Operation.BATCH_METER_USAGE, batchRequest);
    batchResponse = Fixtures.batchResponse();
    batchResponseJson = JsonCodec.encodeResponse(Operation.BATCH_METER_USAGE, batchResponse);
    meterUsageRequest = Fixtures.meterUsageRequest();
    meterUsageRequestJson = JsonCodec.encodeRequest(Operation.METER_USAGE, meterUsageRequest);
  }

  @Benchmark
  public byte[] encodeBatchRequest() {
    return JsonCodec.encodeRequest(Operation.BATCH_METER_USAGE, batchRequest);
  }

  /** Includes the constraint checks: decoding ends in the request's validating constructor. */
  @Benchmark
  public BatchMeterUsageRequest decodeBatchRequest() {
    return JsonCodec.decodeRequest(Operation.BATCH_METER_USAGE, batchRequestJson);
  }

  @Benchmark
  public byte[] encodeBatchResponse() {
    return JsonCodec.encodeResponse(Operation.BATCH_METER_USAGE, batchResponse);
  }

  @Benchmark
  public BatchMeterUsageResponse decodeBatchResponse() {
    return JsonCodec.decodeResponse(Operation.BATCH_METER_USAGE, batchResponseJson);
  }

  @Benchmark
  public byte[] encodeMeterUsageRequest() {
    return JsonCodec.encodeRequest(Operation.METER_USAGE, meterUsageRequest);
  }

  @Benchmark
  public MeterUsageRequest decodeMeterUsageRequest() {
    return JsonCodec.decodeRequest(Operation.METER_USAGE, meterUsageRequestJson);
  }
}
