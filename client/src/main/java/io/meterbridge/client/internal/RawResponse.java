package io.meterbridge.client.internal;

import io.meterbridge.internal.json.JsonCodec;
import io.meterbridge.model.Operation;
import java.net.http.HttpHeaders;

/**
 * A raw HTTP answer read exactly as a call reads one: a 2xx body decoded as the operation's
 * response, anything else mapped to its service exception. For the stub's raw answers.
 */
public final class RawResponse {
  private RawResponse() {}

  /**
   * The response, or throws what the client would throw for this answer.
   *
   * @throws io.meterbridge.exception.MeteringException as a call would
   */
  public static <O> O read(Operation<?, O> operation, int status, HttpHeaders headers, byte[] body) {
    if (status / 100 == 2) {
      return JsonCodec.decodeResponse(operation, body);
    }
    throw ErrorMapper.map(status, headers, body);
  }
}
