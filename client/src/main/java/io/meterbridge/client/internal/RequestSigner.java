package io.meterbridge.client.internal;

import io.meterbridge.auth.AwsCredentials;
import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * Signs one HTTP request: returns the headers to add ({@code X-Amz-Date}, {@code Authorization},
 * and {@code X-Amz-Security-Token} for session credentials). The seam in front of
 * {@code io.meterbridge.auth.SigV4Signer}.
 */
@FunctionalInterface
public interface RequestSigner {

  /**
   * The headers that sign the request.
   *
   * @param method the HTTP method
   * @param uri the full request URI (its host, port and path are signed)
   * @param headers the headers to sign besides {@code host} and {@code x-amz-date}
   * @param body the body
   * @param credentials the credentials
   * @param region the signing region
   * @param service the signing name
   * @param now the signing time
   */
  Map<String, String> sign(String method, URI uri, Map<String, String> headers, byte[] body,
      AwsCredentials credentials, String region, String service, Instant now);
}
