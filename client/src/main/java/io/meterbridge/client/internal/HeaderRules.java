package io.meterbridge.client.internal;

import java.net.URI;

/**
 * The checks {@code java.net.http.HttpRequest.Builder#header} makes, so that a header an
 * interceptor adds is refused the same way whichever transport sends it, and the {@code Host}
 * header every transport sends.
 */
final class HeaderRules {
  private HeaderRules() {}

  /**
   * The Host header exactly as {@code java.net.http} sends it (the port only when not the scheme's
   * default), because SigV4 signs it.
   */
  static String host(URI uri) {
    int port = uri.getPort();
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    boolean defaultPort = port == -1 || (https ? port == 443 : port == 80);
    String host = uri.getHost();
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return defaultPort ? host : host + ":" + port;
  }

  /**
   * @throws IllegalArgumentException if the name is not an HTTP token, is one the transport
   *     manages, or the value holds a line break or another control character
   */
  static void check(String name, String value) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty header name");
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isTokenChar(name.charAt(i))) {
        throw new IllegalArgumentException("invalid header name: \"" + name + "\"");
      }
    }
    if (restricted(name)) {
      throw new IllegalArgumentException("restricted header name: \"" + name + "\"");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < ' ' && c != '\t') || c == 0x7f || c > 0xff) {
        throw new IllegalArgumentException("invalid header value for header \"" + name + "\"");
      }
    }
  }

  private static boolean restricted(String name) {
    return name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("content-length")
        || name.equalsIgnoreCase("expect") || name.equalsIgnoreCase("host")
        || name.equalsIgnoreCase("upgrade");
  }

  private static boolean isTokenChar(char c) {
    if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
      return true;
    }
    return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
