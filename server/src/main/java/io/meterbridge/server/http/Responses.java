package io.meterbridge.server.http;

import io.meterbridge.internal.json.JsonCodec;
import io.meterbridge.model.Operation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/** Builds the HTTP responses of {@link Answer}s: body, status and the protocol's headers. */
final class Responses {
  static final AsciiString REQUEST_ID = AsciiString.cached("x-amzn-RequestId");
  static final AsciiString ERROR_TYPE = AsciiString.cached("X-Amzn-ErrorType");
  static final AsciiString JSON_11 = AsciiString.cached("application/x-amz-json-1.1");

  private Responses() {}

  /**
   * The response for {@code answer}. A success is encoded straight into a pooled buffer; if
   * encoding fails the buffer is released and the exception propagates.
   */
  static FullHttpResponse of(Answer answer, String requestId, ByteBufAllocator alloc) {
    ByteBuf body;
    if (answer instanceof Answer.Success<?> success) {
      body = alloc.buffer(256);
      try {
        encode(success, new ByteBufOutputStream(body));
      } catch (RuntimeException | Error e) {
        body.release();
        throw e;
      }
    } else if (answer instanceof Answer.Failure failure) {
      body = Unpooled.wrappedBuffer(JsonCodec.encodeError(failure.errorCode(), failure.message()));
    } else if (answer instanceof Answer.Json json) {
      body = Unpooled.wrappedBuffer(json.body());
    } else {
      body = Unpooled.wrappedBuffer(((Answer.Plain) answer).response().body());
    }
    FullHttpResponse response = new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.status()), body, false);
    HttpHeaders headers = response.headers();
    headers.set(REQUEST_ID, requestId);
    if (answer instanceof Answer.Plain plain) {
      headers.set(HttpHeaderNames.CONTENT_TYPE, plain.response().contentType());
      plain.response().headers().forEach(headers::set);
    } else {
      headers.set(HttpHeaderNames.CONTENT_TYPE, JSON_11);
    }
    headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    if (answer instanceof Answer.Failure failure) {
      headers.set(ERROR_TYPE, failure.errorCode());
      failure.allow().ifPresent(methods -> headers.set(HttpHeaderNames.ALLOW, methods));
    }
    return response;
  }

  /** The head of a streamed plain response: status, content type, its headers and the request id. */
  static HttpResponse head(PlainResponse response, String requestId) {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()));
    HttpHeaders headers = head.headers();
    headers.set(REQUEST_ID, requestId);
    headers.set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
    response.headers().forEach(headers::set);
    return head;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void encode(Answer.Success<?> success, ByteBufOutputStream out) {
    JsonCodec.encodeResponse((Operation) success.operation(), success.response(), out);
  }
}
