package io.meterbridge.ui;

import java.util.List;
import java.util.Locale;

/**
 * A bar chart as inline SVG, drawn on the server: one {@code <rect>} per bar with its value in a
 * {@code <title>} (the browser's tooltip) and in {@code data-value} (for tests and scrapers), an axis
 * line and the largest value as the scale. No script, so it is the same with JavaScript off, and no
 * chart library to bundle.
 */
public final class BarChart {
  /** One bar: its label (an hour, a minute) and its value. */
  public record Bar(String label, double value) {}

  private static final int WIDTH = 760;
  private static final int HEIGHT = 180;
  private static final int LEFT = 56;
  private static final int BOTTOM = 22;
  private static final int TOP = 8;

  private BarChart() {}

  /**
   * Writes the chart into {@code html}.
   *
   * @param title what the bars count, for screen readers and the caption
   * @param labelEvery how many bars share one x-axis label (1: every bar is labelled)
   */
  public static void write(Html html, String id, String title, List<Bar> bars, int labelEvery) {
    double max = 0;
    for (Bar bar : bars) {
      max = Math.max(max, bar.value());
    }
    html.raw("<figure class=\"chart\"><figcaption>").text(title).raw("</figcaption>");
    html.raw("<svg id=\"").text(id).raw("\" role=\"img\" viewBox=\"0 0 " + WIDTH + " " + HEIGHT
        + "\" width=\"" + WIDTH + "\" height=\"" + HEIGHT + "\" xmlns=\"http://www.w3.org/2000/svg\"><title>")
        .text(title).raw("</title>");
    int plotWidth = WIDTH - LEFT - 4;
    int plotHeight = HEIGHT - BOTTOM - TOP;
    html.raw("<line class=\"axis\" x1=\"" + LEFT + "\" y1=\"" + (TOP + plotHeight) + "\" x2=\"" + (WIDTH - 4)
        + "\" y2=\"" + (TOP + plotHeight) + "\"/>");
    html.raw("<text class=\"scale\" x=\"" + (LEFT - 6) + "\" y=\"" + (TOP + 10) + "\" text-anchor=\"end\">")
        .text(number(max)).raw("</text>");
    html.raw("<text class=\"scale\" x=\"" + (LEFT - 6) + "\" y=\"" + (TOP + plotHeight) + "\" text-anchor=\"end\">0</text>");
    if (bars.isEmpty()) {
      html.raw("</svg></figure>");
      return;
    }
    double slot = (double) plotWidth / bars.size();
    double barWidth = Math.max(1, slot * 0.8);
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      double h = max == 0 ? 0 : bar.value() / max * plotHeight;
      double x = LEFT + i * slot + (slot - barWidth) / 2;
      html.raw("<rect class=\"bar\" x=\"" + fixed(x) + "\" y=\"" + fixed(TOP + plotHeight - h) + "\" width=\""
          + fixed(barWidth) + "\" height=\"" + fixed(h) + "\" data-label=\"").text(bar.label())
          .raw("\" data-value=\"").text(number(bar.value())).raw("\"><title>").text(bar.label() + ": " + number(bar.value()))
          .raw("</title></rect>");
      if (i % labelEvery == 0) {
        html.raw("<text class=\"label\" x=\"" + fixed(LEFT + i * slot) + "\" y=\"" + (HEIGHT - 6) + "\">")
            .text(bar.label()).raw("</text>");
      }
    }
    html.raw("</svg></figure>");
  }

  /** Whole numbers without a fraction, others with up to two decimals. */
  public static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static String fixed(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
