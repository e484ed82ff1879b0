package io.meterbridge.server.http;

import io.meterbridge.exception.IncompleteSignatureException;
import io.meterbridge.exception.SerializationException;
import io.meterbridge.exception.UnknownOperationException;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.Map;

/**
 * The headers a request may carry at most once. Two {@code Authorization} headers, a valid one
 * and then junk, were accepted because only the first was read: which one counts is a question a
 * proxy in front may answer differently, so the request is refused.
 *
 * <p>One pass over the headers with no allocation but the iterator: names are told apart by
 * length before they are compared.
 */
final class SingleHeaders {
  private static final AsciiString HOST = AsciiString.cached("host");
  private static final AsciiString AUTHORIZATION = AsciiString.cached("authorization");
  private static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");
  private static final AsciiString CONTENT_LENGTH = AsciiString.cached("content-length");
  private static final AsciiString TARGET = AsciiString.cached("x-amz-target");
  private static final AsciiString DATE = AsciiString.cached("x-amz-date");

  private SingleHeaders() {}

  /** The name of a header that must be single but is repeated; null when there is none. */
  static CharSequence repeated(HttpHeaders headers) {
    int seen = 0;
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
      CharSequence name = it.next().getKey();
      int bit = bit(name);
      if (bit != 0) {
        if ((seen & bit) != 0) {
          return name;
        }
        seen |= bit;
      }
    }
    return null;
  }

  private static int bit(CharSequence name) {
    return switch (name.length()) {
      case 4 -> HOST.contentEqualsIgnoreCase(name) ? 1 : 0;
      case 10 -> DATE.contentEqualsIgnoreCase(name) ? 2 : 0;
      case 12 -> CONTENT_TYPE.contentEqualsIgnoreCase(name) ? 4 : TARGET.contentEqualsIgnoreCase(name) ? 8 : 0;
      case 13 -> AUTHORIZATION.contentEqualsIgnoreCase(name) ? 16 : 0;
      case 14 -> CONTENT_LENGTH.contentEqualsIgnoreCase(name) ? 32 : 0;
      default -> 0;
    };
  }

  static String message(CharSequence name) {
    return "The request has more than one " + name + " header; send it exactly once";
  }

  /** The protocol's answer: the error a caller gets for a bad value of that header. */
  static Answer.Failure refusal(CharSequence name) {
    String message = message(name);
    return switch (bit(name)) {
      case 2, 16 -> new Answer.Failure(400, IncompleteSignatureException.CODE, message);
      case 8 -> new Answer.Failure(400, UnknownOperationException.CODE, message);
      default -> new Answer.Failure(400, SerializationException.CODE, message); // a malformed HTTP request
    };
  }
}
