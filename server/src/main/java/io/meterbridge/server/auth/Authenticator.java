package io.meterbridge.server.auth;

import io.meterbridge.server.Caller;
import java.util.concurrent.CompletionStage;

/**
 * Decides who sent a request, and to which region, before it is decoded or dispatched.
 *
 * <p>Completes with the {@link Caller}, or fails (by throwing or completing exceptionally) with a
 * {@link io.meterbridge.exception.MeteringServiceException} the client receives as is, typically
 * {@code MissingAuthenticationTokenException} (no credentials), {@code IncompleteSignatureException}
 * (a malformed {@code Authorization} header), {@code UnrecognizedClientException} (unknown access
 * key) or {@code InvalidSignatureException} (wrong or expired signature). It runs on a network
 * thread: verify in memory, and complete the stage elsewhere if a key lookup must block.
 *
 * <pre>{@code
 * HttpServer.builder().authenticator(Authenticator.anyCredentials("123456789012", "us-east-1")) // demos only
 * }</pre>
 */
@FunctionalInterface
public interface Authenticator {
  /** The caller of {@code request}. */
  CompletionStage<Caller> authenticate(IncomingRequest request);

  /**
   * Whether this authenticator checks signatures. The server logs a loud warning at start when it
   * does not.
   */
  default boolean verifiesSignatures() {
    return true;
  }

  /**
   * <b>Insecure.</b> Accepts any signature, or none, and maps every caller to {@code accountId};
   * the access key id and the region are read from the {@code Authorization} header when there is
   * one. For demos and local development only ({@code --insecure-any-credentials}).
   *
   * @param defaultRegion the region of requests whose header names none: the server's first region
   */
  static Authenticator anyCredentials(String accountId, String defaultRegion) {
    return new AnyCredentialsAuthenticator(accountId, defaultRegion);
  }
}
