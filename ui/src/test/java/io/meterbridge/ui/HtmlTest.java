package io.meterbridge.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void text_escapesEveryCharacterThatCanEndATextNodeOrAQuotedAttribute() {
    String html = new Html().raw("<p title=\"").text("\"' onmouseover='x'").raw("\">")
        .text("<script>alert(1)</script> & more").raw("</p>").toString();

    assertThat(html).isEqualTo("<p title=\"&quot;&#39; onmouseover=&#39;x&#39;\">"
        + "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>");
  }

  @Test
  void link_escapesItsHrefAndItsLabel() {
    assertThat(new Html().link("/ui/usage?a=1&b=\"2\"", "<b>").toString())
        .isEqualTo("<a href=\"/ui/usage?a=1&amp;b=&quot;2&quot;\">&lt;b&gt;</a>");
  }

  @Test
  void url_percentEncodesValues_andLeavesOutEmptyOnes() {
    assertThat(Html.url("/ui/usage", "productCode", "a b&c", "customer", "", "dimension", "<x>"))
        .isEqualTo("/ui/usage?productCode=a+b%26c&dimension=%3Cx%3E");
  }

  @Test
  void barChart_hasOneBarPerValue_withItsValueAndEscapedLabel() {
    Html html = new Html();
    BarChart.write(html, "c", "calls <per> minute", List.of(new BarChart.Bar("<10:00>", 3), new BarChart.Bar("10:01", 0.5)), 1);

    assertThat(html.toString()).contains("data-value=\"3\"").contains("data-value=\"0.50\"")
        .contains("&lt;10:00&gt;").contains("calls &lt;per&gt; minute").doesNotContain("<10:00>");
  }

  @Test
  void sessions_endAfterTheirLifetime_andOnClose() {
    MutableClock clock = new MutableClock();
    Sessions sessions = new Sessions(clock);
    Sessions.Session a = sessions.open();
    Sessions.Session b = sessions.open();

    assertThat(a.id()).isNotEqualTo(b.id()).hasSizeGreaterThanOrEqualTo(43);
    assertThat(a.csrfMatches(a.csrf())).isTrue();
    assertThat(a.csrfMatches(b.csrf())).isFalse();
    assertThat(a.csrfMatches(null)).isFalse();
    sessions.close(b.id());
    assertThat(sessions.find(b.id())).isEmpty();
    clock.now = clock.now.plus(Sessions.LIFETIME).minusSeconds(1);
    assertThat(sessions.find(a.id())).contains(a);
    clock.now = clock.now.plus(Duration.ofSeconds(1));
    assertThat(sessions.find(a.id())).isEmpty();
  }

  @Test
  void stylesheet_isInTheJar() {
    assertThat(new String(Html.stylesheet(), java.nio.charset.StandardCharsets.UTF_8)).contains(".chart .bar");
  }

  private static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-03-31T12:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
