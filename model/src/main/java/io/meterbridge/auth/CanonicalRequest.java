package io.meterbridge.auth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The SigV4 canonical request of a {@link SignableRequest}, for header-based signing:
 *
 * <pre>
 * METHOD
 * canonical URI
 * canonical query string
 * name:value              (one line per signed header, sorted)
 *
 * signed;header;names
 * payload hash
 * </pre>
 *
 * <p>The signer picks the headers to sign with {@link #signableHeaderNames}; the verifier passes
 * exactly the names the client listed in its {@code Authorization} header. Both then build the
 * text with {@link #of}, so they cannot drift apart.
 *
 * <pre>{@code
 * CanonicalRequest canonical = CanonicalRequest.of(request, List.of("host", "x-amz-date"), true);
 * canonical.text();          // the six-part text above
 * canonical.hash();          // its hex SHA-256, the last line of the string to sign
 * }</pre>
 */
public final class CanonicalRequest {

  /**
   * Headers never signed: hop-by-hop headers a proxy may change or drop, headers the JDK client
   * sets or rewrites by itself, and the signature itself.
   */
  private static final Set<String> UNSIGNABLE = Set.of(
      "authorization", "connection", "expect", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
      "user-agent", "x-amzn-trace-id");

  private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();

  private final String text;
  private final String signedHeaders;
  private final String payloadHash;

  private CanonicalRequest(String text, String signedHeaders, String payloadHash) {
    this.text = text;
    this.signedHeaders = signedHeaders;
    this.payloadHash = payloadHash;
  }

  /**
   * The canonical request of {@code request} covering the headers named in
   * {@code signedHeaderNames} (lower-case, sorted, as in the {@code SignedHeaders} component).
   * A named header the request lacks contributes an empty value; the verifier rejects that case
   * before calling this.
   *
   * <pre>{@code
   * CanonicalRequest.of(request, List.of("host", "x-amz-date"), true).text();
   * }</pre>
   *
   * @param normalizePath remove dot segments and empty segments from the path, as AWS does for
   *     every service but S3
   */
  public static CanonicalRequest of(
      SignableRequest request, List<String> signedHeaderNames, boolean normalizePath) {
    Objects.requireNonNull(request, "request");
    RequestHeaders headers = request.headers();
    StringBuilder sb = new StringBuilder(256 + 48 * headers.size());
    sb.append(request.method()).append('\n');
    sb.append(canonicalUri(request.path(), normalizePath)).append('\n');
    sb.append(canonicalQuery(request.rawQuery())).append('\n');
    StringBuilder names = new StringBuilder(16 * signedHeaderNames.size());
    for (String name : signedHeaderNames) {
      sb.append(name).append(':');
      boolean first = true;
      for (int i = 0; i < headers.size(); i++) {
        if (RequestHeaders.nameEquals(headers.name(i), name)) {
          if (!first) {
            sb.append(',');
          }
          appendTrimmed(sb, headers.value(i));
          first = false;
        }
      }
      sb.append('\n');
      if (names.length() > 0) {
        names.append(';');
      }
      names.append(name);
    }
    Optional<String> contentSha256 = headers.firstValue(SigV4.X_AMZ_CONTENT_SHA256);
    String hash = contentSha256.isPresent() ? contentSha256.get().strip() : request.payloadHash();
    sb.append('\n').append(names).append('\n').append(hash);
    return new CanonicalRequest(sb.toString(), names.toString(), hash);
  }

  /**
   * The headers of {@code headers} that a signer signs: every distinct name, lower-cased and
   * sorted, except hop-by-hop headers, {@code User-Agent}, {@code X-Amzn-Trace-Id} and
   * {@code Authorization}, which proxies and HTTP stacks may change after signing.
   *
   * <pre>{@code
   * CanonicalRequest.signableHeaderNames(RequestHeaders.of("Host", "h", "X-Amz-Date", "d", "User-Agent", "u"));
   * // [host, x-amz-date]
   * }</pre>
   */
  public static List<String> signableHeaderNames(RequestHeaders headers) {
    String[] names = new String[headers.size()];
    int n = 0;
    for (int i = 0; i < headers.size(); i++) {
      String name = RequestHeaders.lowerCase(headers.name(i));
      if (!UNSIGNABLE.contains(name)) {
        names[n++] = name;
      }
    }
    // Header names are ASCII, so String order is the byte order the spec asks for.
    Arrays.sort(names, 0, n);
    List<String> distinct = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (i == 0 || !names[i].equals(names[i - 1])) {
        distinct.add(names[i]);
      }
    }
    return List.copyOf(distinct);
  }

  /**
   * The canonical URI: the path as sent, optionally normalised, then percent-encoded once more
   * (every byte but unreserved characters and {@code /}). Encoding the already-encoded path is
   * what AWS does for all services except S3, so {@code /a%20b} becomes {@code /a%2520b}.
   *
   * <p>Normalising removes {@code .} and empty segments and resolves {@code ..}, keeping a
   * trailing slash: {@code //example//} becomes {@code /example/}, {@code /a/..} becomes {@code /}.
   *
   * <pre>{@code
   * CanonicalRequest.canonicalUri("/./example space/", true);  // "/example%20space/"
   * CanonicalRequest.canonicalUri("/./example space/", false); // "/./example%20space/"
   * }</pre>
   */
  public static String canonicalUri(String rawPath, boolean normalize) {
    if (rawPath.isEmpty() || rawPath.equals("/")) {
      return "/";
    }
    String path = normalize ? removeDotSegments(rawPath) : rawPath;
    return encode(path.getBytes(StandardCharsets.UTF_8), path, true);
  }

  /**
   * The canonical query string: parameters split on {@code &} and the first {@code =}, each name
   * and value percent-decoded and re-encoded per RFC 3986 (only unreserved characters left
   * bare), sorted by name then value, joined with {@code &}. A parameter without {@code =} gets an
   * empty value. {@code +} is a literal plus, not a space.
   *
   * <pre>{@code
   * CanonicalRequest.canonicalQuery("Param2=b&Param1=a%2Fx&flag"); // "Param1=a%2Fx&Param2=b&flag="
   * }</pre>
   */
  public static String canonicalQuery(String rawQuery) {
    if (rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> params = new ArrayList<>();
    int start = 0;
    int length = rawQuery.length();
    while (start <= length) {
      int amp = rawQuery.indexOf('&', start);
      int end = amp < 0 ? length : amp;
      if (end > start) {
        int eq = start;
        while (eq < end && rawQuery.charAt(eq) != '=') {
          eq++;
        }
        String name;
        String value;
        if (eq == end) {
          name = rawQuery.substring(start, end);
          value = "";
        } else {
          name = rawQuery.substring(start, eq);
          value = rawQuery.substring(eq + 1, end);
        }
        params.add(new String[] {reencode(name), reencode(value)});
      }
      start = end + 1;
    }
    if (params.size() > 1) {
      // Encoded parameters are ASCII, so String order is the byte order the spec asks for.
      params.sort((a, b) -> {
        int byName = a[0].compareTo(b[0]);
        return byName != 0 ? byName : a[1].compareTo(b[1]);
      });
    }
    StringBuilder sb = new StringBuilder(rawQuery.length() + 16);
    for (String[] p : params) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(p[0]).append('=').append(p[1]);
    }
    return sb.toString();
  }

  /**
   * The text that is hashed into the string to sign.
   *
   * <pre>{@code
   * canonical.text().lines().findFirst(); // Optional[POST]
   * }</pre>
   */
  public String text() {
    return text;
  }

  /**
   * The signed header names joined with {@code ;}, as in the {@code SignedHeaders} component.
   *
   * <pre>{@code
   * canonical.signedHeaders(); // "host;x-amz-date"
   * }</pre>
   */
  public String signedHeaders() {
    return signedHeaders;
  }

  /**
   * The payload hash on the last line: the {@code X-Amz-Content-Sha256} header when present,
   * otherwise the request's {@link SignableRequest#payloadHash()}.
   *
   * <pre>{@code
   * canonical.payloadHash(); // "e3b0c442...b855" for an empty body
   * }</pre>
   */
  public String payloadHash() {
    return payloadHash;
  }

  /**
   * The lower-case hex SHA-256 of {@link #text()}.
   *
   * <pre>{@code
   * canonical.hash();
   * }</pre>
   */
  public String hash() {
    return Sha256.hashHex(text);
  }

  /**
   * The canonical text, for debugging and for error messages that show it.
   *
   * <pre>{@code
   * log.debug("canonical request:\n{}", canonical);
   * }</pre>
   */
  @Override
  public String toString() {
    return text;
  }

  /** Trims and collapses runs of whitespace (including folded line breaks) to one space. */
  private static void appendTrimmed(StringBuilder sb, String value) {
    int start = 0;
    int end = value.length();
    while (start < end && isSpace(value.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(value.charAt(end - 1))) {
      end--;
    }
    boolean inSpace = false;
    for (int i = start; i < end; i++) {
      char c = value.charAt(i);
      if (isSpace(c)) {
        inSpace = true;
      } else {
        if (inSpace) {
          sb.append(' ');
          inSpace = false;
        }
        sb.append(c);
      }
    }
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static String removeDotSegments(String path) {
    if (path.indexOf("//") < 0 && path.indexOf("/.") < 0) {
      return path;
    }
    List<String> kept = new ArrayList<>();
    String last = "";
    int start = 1;
    while (start <= path.length()) {
      int slash = path.indexOf('/', start);
      int end = slash < 0 ? path.length() : slash;
      String segment = path.substring(start, end);
      last = segment;
      if (segment.equals("..")) {
        if (!kept.isEmpty()) {
          kept.remove(kept.size() - 1);
        }
      } else if (!segment.isEmpty() && !segment.equals(".")) {
        kept.add(segment);
      }
      start = end + 1;
    }
    // "/a/b/" and "/a/b/.." both name a directory, so they keep their trailing slash.
    boolean trailingSlash = last.isEmpty() || last.equals(".") || last.equals("..");
    StringBuilder sb = new StringBuilder(path.length());
    for (String segment : kept) {
      sb.append('/').append(segment);
    }
    if (kept.isEmpty() || trailingSlash) {
      sb.append('/');
    }
    return sb.toString();
  }

  /** Percent-decodes valid {@code %XX} escapes, then encodes strictly; bare text passes through. */
  private static String reencode(String s) {
    if (isUnreserved(s)) {
      return s;
    }
    byte[] raw = s.getBytes(StandardCharsets.UTF_8);
    byte[] decoded = new byte[raw.length];
    int n = 0;
    for (int i = 0; i < raw.length; i++) {
      byte b = raw[i];
      if (b == '%' && i + 2 < raw.length && hexValue(raw[i + 1]) >= 0 && hexValue(raw[i + 2]) >= 0) {
        decoded[n++] = (byte) (hexValue(raw[i + 1]) << 4 | hexValue(raw[i + 2]));
        i += 2;
      } else {
        decoded[n++] = b;
      }
    }
    return encode(Arrays.copyOf(decoded, n), null, false);
  }

  private static String encode(byte[] bytes, String original, boolean keepSlash) {
    boolean clean = true;
    for (byte b : bytes) {
      if (!isUnreserved(b) && !(keepSlash && b == '/')) {
        clean = false;
        break;
      }
    }
    if (clean && original != null) {
      return original;
    }
    StringBuilder sb = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      if (isUnreserved(b) || (keepSlash && b == '/')) {
        sb.append((char) b);
      } else {
        sb.append('%').append(UPPER_HEX[(b >> 4) & 0x0f]).append(UPPER_HEX[b & 0x0f]);
      }
    }
    return sb.toString();
  }

  private static boolean isUnreserved(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80 || !isUnreserved((byte) c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isUnreserved(byte b) {
    return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
        || b == '-' || b == '.' || b == '_' || b == '~';
  }

  private static int hexValue(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    return -1;
  }
}
