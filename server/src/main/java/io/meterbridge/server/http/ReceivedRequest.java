package io.meterbridge.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import java.time.Instant;

/**
 * A complete request, detached from Netty's reference-counted buffers (the body is copied), so it
 * can cross threads freely.
 *
 * @param receivedNanos {@link System#nanoTime()} at {@code receivedAt}, for the call's latency
 * @param facts what the dispatcher learns about the call, for the call listener
 */
record ReceivedRequest(
    String requestId,
    String method,
    String uri,
    HttpHeaders headers,
    byte[] body,
    Instant receivedAt,
    boolean keepAlive,
    boolean http10,
    long receivedNanos,
    CallFacts facts) {

  String path() {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }
}
