package io.meterbridge.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequestHeadersTest {

  @Test
  void lookups_anyCase_findEveryValueInOrder() {
    RequestHeaders headers = RequestHeaders.of("My-Header", "1", "Host", "h", "my-header", "2");

    assertThat(headers.values("MY-HEADER")).containsExactly("1", "2");
    assertThat(headers.firstValue("my-header")).hasValue("1");
    assertThat(headers.contains("HOST")).isTrue();
    assertThat(headers.firstValue("absent")).isEmpty();
  }

  @Test
  void builderRemove_anyCase_removesEveryEntryKeepingOrder() {
    RequestHeaders headers = RequestHeaders.of("A", "1", "B", "2", "a", "3", "C", "4")
        .toBuilder().remove("a").build();

    assertThat(headers.size()).isEqualTo(2);
    assertThat(headers.name(0)).isEqualTo("B");
    assertThat(headers.name(1)).isEqualTo("C");
  }

  @Test
  void builderSet_replacesAllEntriesWithOneAtTheEnd() {
    RequestHeaders headers = RequestHeaders.of("X-Amz-Date", "old", "Host", "h", "x-amz-date", "older")
        .toBuilder().set("X-Amz-Date", "new").build();

    assertThat(headers).isEqualTo(RequestHeaders.of("Host", "h", "X-Amz-Date", "new"));
  }

  @Test
  void add_nameWithColonOrSpace_throwsIllegalArgument() {
    assertThatThrownBy(() -> RequestHeaders.builder().add("Bad:Name", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header name 'Bad:Name' contains a character not allowed in header names at"
            + " index 3");
    assertThatThrownBy(() -> RequestHeaders.builder().add("", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header name is empty");
  }

  @Test
  void of_oddArgumentCount_throwsIllegalArgument() {
    assertThatThrownBy(() -> RequestHeaders.of("Host"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("names and values must alternate; got an odd count");
  }

  @Test
  void target_withQueryAndFragment_splitsPathAndQuery() {
    SignableRequest request = SignableRequest.builder().target("/a/b?x=1&y=2#frag").build();

    assertThat(request.path()).isEqualTo("/a/b");
    assertThat(request.rawQuery()).isEqualTo("x=1&y=2");
    assertThat(request.target()).isEqualTo("/a/b?x=1&y=2");
  }

  @Test
  void build_pathWithoutLeadingSlash_throwsIllegalArgument() {
    assertThatThrownBy(() -> SignableRequest.builder().path("a").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path must start with '/', got 'a'");
  }

  @Test
  void payloadHash_invalidHex_throwsIllegalArgument() {
    assertThatThrownBy(() -> SignableRequest.builder().payloadHash("ABC"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("payloadHash must be 64 lower-case hex digits or UNSIGNED-PAYLOAD, got 'ABC'");
  }
}
