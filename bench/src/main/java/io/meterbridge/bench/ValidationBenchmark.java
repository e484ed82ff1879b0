package io.meterbridge.bench;

import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.UsageRecord;
import java.util.List;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of the model's constraint checks: every request record validates in its compact
 * constructor, so building a request is validating it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ValidationBenchmark {
  private List<UsageRecord> records;

  @Setup
  public void setUp() {
    records = Fixtures.usageRecords();
  }

  /** The batch's own checks (size, product code, each record's fields) over prebuilt records. */
  @Benchmark
  public BatchMeterUsageRequest batchFromRecords() {
    return BatchMeterUsageRequest.of(Fixtures.PRODUCT_CODE, records);
  }

  /** What a caller pays end to end: 25 records with their allocations and tags, then the batch. */
  @Benchmark
  public void batchFromScratch(Blackhole blackhole) {
    blackhole.consume(Fixtures.batchRequest());
  }
}
