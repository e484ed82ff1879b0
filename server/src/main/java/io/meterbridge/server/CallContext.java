package io.meterbridge.server;

import java.time.Instant;
import java.util.Objects;

/**
 * What the protocol layer knows about a call besides its request: handed to every
 * {@link MeteringService} method.
 *
 * @param requestId the {@code x-amzn-RequestId} the response will carry (a UUID)
 * @param caller the authenticated caller, with the region the call was addressed to
 * @param receivedAt when the server had read the whole request
 */
public record CallContext(String requestId, Caller caller, Instant receivedAt) {
  public CallContext {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }

  /** The endpoint region the call was addressed to (see {@link Caller#region()}). */
  public String region() {
    return caller.region();
  }
}
