package io.meterbridge.server.http;

import io.meterbridge.internal.json.JsonCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/** Builds the HTTP responses of {@link Outcome}s: body, status and the protocol's headers. */
final class Responses {
  static final AsciiString REQUEST_ID = AsciiString.cached("x-amzn-RequestId");
  static final AsciiString ERROR_TYPE = AsciiString.cached("X-Amzn-ErrorType");
  static final AsciiString JSON_11 = AsciiString.cached("application/x-amz-json-1.1");

  private Responses() {}

  /**
   * The response for {@code outcome}. A success is encoded straight into a pooled buffer; if
   * encoding fails the buffer is released and the exception propagates.
   */
  static FullHttpResponse of(Outcome outcome, String requestId, ByteBufAllocator alloc) {
    ByteBuf body;
    if (outcome.isError()) {
      body = Unpooled.wrappedBuffer(JsonCodec.encodeError(outcome.errorCode, outcome.message));
    } else if (outcome.body != null) {
      body = Unpooled.wrappedBuffer(outcome.body);
    } else {
      body = alloc.buffer(256);
      try {
        encode(outcome, new ByteBufOutputStream(body));
      } catch (RuntimeException | Error e) {
        body.release();
        throw e;
      }
    }
    FullHttpResponse response = new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(outcome.status), body, false);
    HttpHeaders headers = response.headers();
    headers.set(REQUEST_ID, requestId);
    if (outcome.plain != null) {
      headers.set(HttpHeaderNames.CONTENT_TYPE, outcome.plain.contentType());
      outcome.plain.headers().forEach(headers::set);
    } else {
      headers.set(HttpHeaderNames.CONTENT_TYPE, JSON_11);
    }
    headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    if (outcome.isError()) {
      headers.set(ERROR_TYPE, outcome.errorCode);
    }
    if (outcome.allow != null) {
      headers.set(HttpHeaderNames.ALLOW, outcome.allow);
    }
    return response;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void encode(Outcome outcome, ByteBufOutputStream out) {
    JsonCodec.encodeResponse((io.meterbridge.model.Operation) outcome.operation, outcome.response, out);
  }
}
