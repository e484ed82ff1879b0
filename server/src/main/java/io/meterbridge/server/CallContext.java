package io.meterbridge.server;

import java.time.Instant;
import java.util.Objects;

/**
 * What the protocol layer knows about a call besides its request: handed to every
 * {@link MeteringService} method.
 *
 * @param requestId the {@code x-amzn-RequestId} the response will carry (a UUID)
 * @param caller the authenticated caller
 * @param region the endpoint region the call was addressed to: the region of the SigV4 credential
 *     scope, or the server's first configured region when the request names none
 * @param receivedAt when the server had read the whole request
 */
public record CallContext(String requestId, Caller caller, String region, Instant receivedAt) {
  public CallContext {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }
}
