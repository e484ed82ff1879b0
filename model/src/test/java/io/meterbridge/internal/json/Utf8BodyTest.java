package io.meterbridge.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Utf8BodyTest {

  @Test
  void wellFormedText_passes() {
    assertThat(problem("{\"Key\":\"d\u00e9partement \u20ac \ud83d\ude00\",\n\t\"x\":1}\r\n")).isNull();
    assertThat(problem("{\"Key\":\"" + "a".repeat(1000) + "\u00ff\"}")).isNull();
  }

  @Test
  void overlongForms_areRefused() {
    assertThat(Utf8Body.problem(new byte[] {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}, 0, 6))
        .isEqualTo("the body is not well-formed UTF-8 JSON text: byte 0xC0, which never starts a UTF-8 character"
            + " (an overlong form) at byte 2");
    assertThat(Utf8Body.problem(new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, 0, 3))
        .contains("a malformed UTF-8 sequence starting 0xE0 0x80 at byte 0");
    assertThat(Utf8Body.problem(new byte[] {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF}, 0, 4))
        .contains("a malformed UTF-8 sequence starting 0xF0 0x80");
  }

  @Test
  void surrogatesAndCodePointsBeyondUnicode_areRefused() {
    assertThat(Utf8Body.problem(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3))
        .contains("starting 0xED 0xA0");
    assertThat(Utf8Body.problem(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, 0, 4))
        .contains("starting 0xF4 0x90");
    assertThat(Utf8Body.problem(new byte[] {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, 0, 4))
        .contains("byte 0xF5, which never starts a UTF-8 character");
  }

  @Test
  void otherEncodingsAndByteOrderMarks_areRefused() {
    assertThat(Utf8Body.problem("{}".getBytes(StandardCharsets.UTF_16LE), 0, 4))
        .contains("an unescaped control character 0x00 at byte 1");
    assertThat(Utf8Body.problem("{}".getBytes(StandardCharsets.UTF_16), 0, 6))
        .contains("byte 0xFE, which never starts a UTF-8 character at byte 0");
    assertThat(Utf8Body.problem("{}".getBytes(java.nio.charset.Charset.forName("UTF-32BE")), 0, 8))
        .contains("an unescaped control character 0x00 at byte 0");
    assertThat(problem("\uFEFF{}")).isEqualTo("the body starts with a byte order mark; send UTF-8 without one");
  }

  @Test
  void cutOffSequencesAndStrayContinuationBytes_areRefused() {
    assertThat(Utf8Body.problem(new byte[] {'{', (byte) 0xE2, (byte) 0x82}, 0, 3))
        .contains("a UTF-8 sequence cut short by the end of the body at byte 1");
    assertThat(Utf8Body.problem(new byte[] {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', (byte) 0x80}, 0, 9))
        .contains("byte 0x80, which never starts a UTF-8 character at byte 8");
  }

  @Test
  void offsetAndLength_boundTheCheck() {
    byte[] bytes = {(byte) 0xFF, '{', '}', (byte) 0xFF};
    assertThat(Utf8Body.problem(bytes, 1, 2)).isNull();
  }

  @Test
  void randomBytes_agreeWithTheJdkDecoder() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 50_000; i++) {
      byte[] bytes = new byte[random.nextInt(1, 24)];
      for (int b = 0; b < bytes.length; b++) {
        // Mostly text, some high bytes: every branch, often.
        bytes[b] = (byte) (random.nextInt(4) == 0 ? random.nextInt(0x80, 0x100) : random.nextInt(0x20, 0x7F));
      }
      boolean jdk = wellFormedByJdk(bytes) && !(bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF
          && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF);
      assertThat(Utf8Body.problem(bytes, 0, bytes.length) == null).as(java.util.HexFormat.of().formatHex(bytes))
          .isEqualTo(jdk);
    }
  }

  private static boolean wellFormedByJdk(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  private static String problem(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return Utf8Body.problem(bytes, 0, bytes.length);
  }
}
