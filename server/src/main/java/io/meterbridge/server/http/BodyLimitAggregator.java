package io.meterbridge.server.http;

import io.meterbridge.exception.RequestEntityTooLargeException;
import io.meterbridge.server.RandomUuids;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Aggregates request bodies below the limit, and refuses larger ones with the protocol's JSON
 * error ({@code 413 RequestEntityTooLargeException}) before reading them: as soon as the
 * {@code Content-Length} says so, or as soon as a chunked body grows past it. A client that sent
 * {@code Expect: 100-continue} gets the 413 instead of the 100 and may reuse the connection; any
 * other oversized request is answered and the connection closed, since its body is on the way.
 */
final class BodyLimitAggregator extends HttpObjectAggregator {
  private final int bodyLimit;

  /** @param bodyLimit bodies of this many bytes or more are refused */
  BodyLimitAggregator(int bodyLimit) {
    super(bodyLimit - 1);
    this.bodyLimit = bodyLimit;
  }

  @Override
  protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    if (start.decoderResult().isFailure()) {
      return null; // no "100 Continue" for a request that is answered 400 at once
    }
    Object response = super.newContinueResponse(start, maxContentLength, pipeline);
    if (response instanceof FullHttpResponse full
        && full.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
      ReferenceCountUtil.release(full);
      // Answered at once (nothing to wait for); the body that never comes is skipped by the aggregator.
      return Responses.of(
          new Answer.Failure(413, RequestEntityTooLargeException.CODE, message(start)),
          RandomUuids.requestId(), pipeline.channel().alloc());
    }
    return response;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    ctx.fireChannelRead(new Refusal(413, RequestEntityTooLargeException.CODE, message(oversized)));
  }

  private String message(HttpMessage request) {
    long declared = HttpUtil.getContentLength(request, -1L);
    String size = declared >= 0 && declared >= bodyLimit ? "The request body of " + declared + " bytes is too large: "
        : "The request body is too large: ";
    return size + "bodies must be smaller than " + bodyLimit + " bytes";
  }
}
