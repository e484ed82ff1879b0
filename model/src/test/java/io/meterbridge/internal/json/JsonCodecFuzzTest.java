package io.meterbridge.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meterbridge.exception.InvalidRequestException;
import io.meterbridge.exception.MeteringClientException;
import io.meterbridge.exception.SerializationException;
import io.meterbridge.model.Operation;

/**
 * Coverage-guided fuzzing of the JSON codec (Jazzer). In every build the inputs under
 * {@code src/test/resources/io/meterbridge/internal/json/JsonCodecFuzzTestInputs} are replayed;
 * {@code .ci/fuzz} fuzzes for a while. The properties: whatever the bytes, reading a request fails
 * only with the protocol's client errors, a request that reads is written to bytes that read back
 * to the same bytes, and reading a response fails only with {@link MeteringClientException}. Time is bounded by
 * Jazzer's per-input timeout: a slow input (a number whose cost grows faster than its length) is a
 * finding too.
 */
class JsonCodecFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void decodeRequest_anyBytes_failsOnlyWithClientErrorsAndRoundTrips(byte[] body) {
    for (Operation<?, ?> operation : Operation.values()) {
      roundTrip(operation, body);
    }
  }

  private static <I> void roundTrip(Operation<I, ?> operation, byte[] body) {
    I request;
    try {
      request = JsonCodec.decodeRequest(operation, body);
    } catch (SerializationException | InvalidRequestException e) {
      return;
    }
    // Timestamps are written to the millisecond, so the first trip may round; from then on the
    // bytes must be stable.
    byte[] written = JsonCodec.encodeRequest(operation, request);
    I back = JsonCodec.decodeRequest(operation, written);
    assertThat(JsonCodec.encodeRequest(operation, back)).isEqualTo(written);
  }

  @FuzzTest(maxDuration = "10s")
  void decodeResponse_anyBytes_failsOnlyWithAClientException(byte[] body) {
    for (Operation<?, ?> operation : Operation.values()) {
      try {
        JsonCodec.decodeResponse(operation, body);
      } catch (MeteringClientException e) {
        // the only way a response may fail to read
      }
    }
    JsonCodec.decodeError(body); // never fails
  }
}
