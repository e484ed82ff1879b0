package io.meterbridge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the SigV4 {@code Authorization} parser (Jazzer); see
 * {@code JsonCodecFuzzTest} for how it runs. The property: any header value parses or fails with
 * {@link SigV4Exception}, and what parses writes back to a value that parses the same.
 */
class SigV4AuthorizationFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void parse_anyHeaderValue_parsesOrFailsWithSigV4Exception(byte[] bytes) {
    // A header value as Netty hands it over: bytes read as ISO-8859-1.
    String value = new String(bytes, StandardCharsets.ISO_8859_1);
    SigV4Authorization parsed;
    try {
      parsed = SigV4Authorization.parse(value);
    } catch (SigV4Exception e) {
      assertThat(e.reason()).isNotNull();
      return;
    }
    assertThat(SigV4Authorization.parse(parsed.toHeaderValue())).isEqualTo(parsed);
  }
}
