package io.meterbridge.server.http;

import java.util.concurrent.CompletableFuture;

/**
 * Answers the plain HTTP routes beside the AWS JSON 1.1 protocol: every request whose path starts
 * with {@code /admin/}, {@code /keys/} or {@code /ui}. The server hands such requests over after the body limit
 * and before any AWS protocol check (no SigV4, no throttling, no {@code X-Amz-Target}).
 *
 * <p>{@link #handle} is called on a network thread and must not block it: run blocking work (the
 * store) on a worker executor and complete the future there. A future that fails, or completes with
 * nothing, is answered {@code 500 {"error":"InternalError",...}} and logged.
 *
 * <p>{@link #NONE} answers 404 to everything: what a server built without a handler does.
 */
@FunctionalInterface
public interface PlainHandler {
  /** Answers every plain request with 404: the admin API and the key download are not enabled. */
  PlainHandler NONE = request -> CompletableFuture.completedFuture(PlainResponse.error(404, "NotFound",
      (request.path().startsWith("/admin") ? "The admin API" : "The public key download")
          + " is not enabled on this server"));

  /** The answer to {@code request}; never blocks. */
  CompletableFuture<PlainResponse> handle(PlainRequest request);

  /** Whether the server sends {@code path} to the plain handler rather than the AWS protocol. */
  static boolean routes(String path) {
    return path.startsWith("/admin/") || path.startsWith("/keys/") || path.equals("/admin") || path.equals("/keys")
        || path.equals("/ui") || path.startsWith("/ui/");
  }
}
