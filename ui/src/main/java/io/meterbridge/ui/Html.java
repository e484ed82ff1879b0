package io.meterbridge.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Builds an HTML page where every value is escaped unless it is markup written in this package.
 * {@link #text} is the only way a value gets in, and it escapes all five characters that can end a
 * text node or a quoted attribute ({@code & < > " '}), so one method serves both places; markup
 * comes only from {@link #raw}, whose argument is a constant of the page code, never data.
 *
 * <p>No template library: the dashboard has six pages, each a loop over a JSON answer, and the JDK
 * does that in a few lines. What a template engine would add is auto-escaping, which this class
 * gives by having no other way to write a value.
 */
public final class Html {
  private final StringBuilder out = new StringBuilder(8192);

  /** Markup written by the page code (a constant, never a value from a request or the store). */
  public Html raw(String markup) {
    out.append(markup);
    return this;
  }

  /** A value, escaped for a text node or a double-quoted attribute. */
  public Html text(Object value) {
    escape(String.valueOf(value), out);
    return this;
  }

  /** {@code <tag>value</tag>} with the value escaped. */
  public Html el(String tag, Object value) {
    return raw("<" + tag + ">").text(value).raw("</" + tag.split(" ", 2)[0] + ">");
  }

  /** A link whose href and text are escaped. */
  public Html link(String href, Object label) {
    return raw("<a href=\"").text(href).raw("\">").text(label).raw("</a>");
  }

  public static String escape(String value) {
    StringBuilder b = new StringBuilder(value.length() + 16);
    escape(value, b);
    return b.toString();
  }

  private static void escape(String value, StringBuilder b) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
  }

  /**
   * A path with a query built from name/value pairs, each percent-encoded; pairs with an empty
   * value are left out. Escape the result with {@link #text} when it goes into an attribute.
   */
  public static String url(String path, String... namesAndValues) {
    StringBuilder b = new StringBuilder(path);
    char separator = '?';
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      String value = namesAndValues[i + 1];
      if (value == null || value.isEmpty()) {
        continue;
      }
      b.append(separator).append(URLEncoder.encode(namesAndValues[i], StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      separator = '&';
    }
    return b.toString();
  }

  /** The dashboards' one stylesheet (a resource of this jar), served at their {@code static/dashboard.css}. */
  public static byte[] stylesheet() {
    try (InputStream in = Html.class.getResourceAsStream("dashboard.css")) {
      if (in == null) {
        throw new IllegalStateException("dashboard.css is missing from the meterbridge-ui jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
