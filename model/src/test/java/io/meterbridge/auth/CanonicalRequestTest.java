package io.meterbridge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalRequestTest {

  @ParameterizedTest(name = "{0} normalised is {1}")
  @CsvSource({
      "/, /",
      "'', /",
      "/a/b/../c, /a/c",
      "/a/b/.., /a/",
      "/a/./b/., /a/b/",
      "/../a, /a",
      "//a///b, /a/b",
      "/a.b/.c/..d, /a.b/.c/..d",
      "/%2E%2E/a, /%252E%252E/a"})
  void canonicalUri_normalized_removesDotAndEmptySegments(String path, String expected) {
    assertThat(CanonicalRequest.canonicalUri(path, true)).isEqualTo(expected);
  }

  @Test
  void canonicalUri_alreadyEncodedPath_isEncodedAgainAsForNonS3Services() {
    assertThat(CanonicalRequest.canonicalUri("/example%20space/", true))
        .isEqualTo("/example%2520space/");
  }

  @Test
  void canonicalUri_reservedAndNonAsciiCharacters_arePercentEncodedUpperCase() {
    assertThat(CanonicalRequest.canonicalUri("/a:b@c+d=e/ü", false))
        .isEqualTo("/a%3Ab%40c%2Bd%3De/%C3%BC");
  }

  @Test
  void canonicalQuery_repeatedNames_sortByNameThenValue() {
    assertThat(CanonicalRequest.canonicalQuery("b=2&a=z&a=y&A=x"))
        .isEqualTo("A=x&a=y&a=z&b=2");
  }

  @Test
  void canonicalQuery_parameterWithoutEqualsAndEmptyPieces_getEmptyValue() {
    assertThat(CanonicalRequest.canonicalQuery("&flag&&x=&y=1&")).isEqualTo("flag=&x=&y=1");
  }

  @Test
  void canonicalQuery_plusAndSlashAndSpace_areEncoded() {
    assertThat(CanonicalRequest.canonicalQuery("q=a+b/c d")).isEqualTo("q=a%2Bb%2Fc%20d");
  }

  @Test
  void canonicalQuery_lowerCaseEscapes_areNormalisedToUpperCase() {
    assertThat(CanonicalRequest.canonicalQuery("k=%2f%e1%88%b4")).isEqualTo("k=%2F%E1%88%B4");
  }

  @Test
  void canonicalQuery_invalidEscape_isTakenLiterally() {
    assertThat(CanonicalRequest.canonicalQuery("k=100%&j=%zz")).isEqualTo("j=%25zz&k=100%25");
  }

  @Test
  void canonicalQuery_equalsInValue_isPartOfTheValue() {
    assertThat(CanonicalRequest.canonicalQuery("k=a=b")).isEqualTo("k=a%3Db");
  }

  @Test
  void of_headerValuesWithTabsAndLineBreaks_areTrimmedAndCollapsed() {
    SignableRequest request = SignableRequest.builder()
        .header("Host", "example.amazonaws.com")
        .header("My-Header", " \t a \t\r\n b  ")
        .header("my-header", "c")
        .build();

    CanonicalRequest canonical = CanonicalRequest.of(request, List.of("host", "my-header"), true);

    assertThat(canonical.text()).isEqualTo("GET\n/\n\nhost:example.amazonaws.com\nmy-header:a b,c\n\n"
        + "host;my-header\n" + Sha256.EMPTY_HEX);
    assertThat(canonical.signedHeaders()).isEqualTo("host;my-header");
  }

  @Test
  void of_contentSha256Header_isThePayloadHash() {
    SignableRequest request = SignableRequest.builder()
        .header("Host", "h")
        .header("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
        .body(new byte[] {1, 2, 3})
        .build();

    CanonicalRequest canonical = CanonicalRequest.of(request, List.of("host"), true);

    assertThat(canonical.payloadHash()).isEqualTo("UNSIGNED-PAYLOAD");
    assertThat(canonical.text()).endsWith("\nhost\nUNSIGNED-PAYLOAD");
  }

  @Test
  void signableHeaderNames_hopByHopAndVolatileHeaders_areLeftOut() {
    RequestHeaders headers = RequestHeaders.of(
        "Host", "h", "X-Amz-Date", "d", "User-Agent", "u", "Connection", "keep-alive",
        "X-Amzn-Trace-Id", "t", "Authorization", "a", "Content-Type", "c", "content-type", "c2");

    assertThat(CanonicalRequest.signableHeaderNames(headers))
        .containsExactly("content-type", "host", "x-amz-date");
  }
}
