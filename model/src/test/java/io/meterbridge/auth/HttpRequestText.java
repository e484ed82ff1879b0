package io.meterbridge.auth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An HTTP/1.1 request written as text, as in the SigV4 test suites: request line, header lines
 * (a line starting with a space or tab continues the previous header), an empty line, the body.
 * {@code \r\n} and {@code \n} line ends are both accepted.
 */
record HttpRequestText(String method, String target, String version, RequestHeaders headers,
    byte[] body) {

  static HttpRequestText parse(String text) {
    String t = text.replace("\r\n", "\n");
    int split = t.indexOf("\n\n");
    String head = split < 0 ? t : t.substring(0, split);
    String body = split < 0 ? "" : t.substring(split + 2);
    List<String> lines = new ArrayList<>(List.of(head.split("\n", -1)));
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    String requestLine = lines.get(0);
    // The target may contain a space (normalize-path/get-space), so split at the first and last.
    int first = requestLine.indexOf(' ');
    int last = requestLine.lastIndexOf(' ');
    if (first < 0 || last <= first) {
      throw new IllegalArgumentException("bad request line: " + requestLine);
    }
    List<String[]> headers = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
        // obs-fold (RFC 7230 section 3.2.4): the line break and indentation become one space.
        String[] previous = headers.get(headers.size() - 1);
        previous[1] = previous[1] + ' ' + line.strip();
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("bad header line: " + line);
      }
      headers.add(new String[] {line.substring(0, colon).strip(), line.substring(colon + 1).strip()});
    }
    RequestHeaders.Builder builder = RequestHeaders.builder();
    headers.forEach(h -> builder.add(h[0], h[1]));
    return new HttpRequestText(requestLine.substring(0, first),
        requestLine.substring(first + 1, last), requestLine.substring(last + 1), builder.build(),
        body.getBytes(StandardCharsets.UTF_8));
  }

  static HttpRequestText of(SignableRequest request) {
    return new HttpRequestText(request.method(), request.target(), "HTTP/1.1", request.headers(),
        request.body().orElse(new byte[0]));
  }

  SignableRequest toSignableRequest() {
    SignableRequest.Builder builder =
        SignableRequest.builder().method(method).target(target).headers(headers);
    if (body.length > 0) {
      builder.body(body);
    }
    return builder.build();
  }

  /**
   * The request in a form where the order of different header names does not matter (signers
   * differ in where they append their headers) but the order of repeated names does.
   */
  String comparable() {
    List<String> lines = new ArrayList<>();
    headers.forEach((name, value) -> lines.add(RequestHeaders.lowerCase(name) + ":" + value));
    lines.sort(Comparator.comparing(line -> line.substring(0, line.indexOf(':'))));
    return method + ' ' + target + ' ' + version + '\n' + String.join("\n", lines) + "\n\n"
        + new String(body, StandardCharsets.UTF_8);
  }
}
