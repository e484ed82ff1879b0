package io.meterbridge.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256 and HMAC-SHA256 with per-thread instances and lower-case hex.
 *
 * <p>{@code MessageDigest.getInstance} and {@code Mac.getInstance} walk the provider list on every
 * call, which costs more than hashing a small request; signing runs on every call, so each thread
 * keeps one of each.
 */
final class Sha256 {

  /** SHA-256 of the empty string: most signed requests without a body hash to this. */
  static final String EMPTY_HEX =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  });

  private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide HmacSHA256", e);
    }
  });

  private Sha256() {}

  static byte[] digest(byte[] data) {
    return DIGEST.get().digest(data);
  }

  static String hashHex(byte[] data) {
    return data.length == 0 ? EMPTY_HEX : hex(digest(data));
  }

  static String hashHex(String text) {
    return hex(digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  static byte[] hmac(byte[] key, String data) {
    Mac mac = HMAC.get();
    try {
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      // HmacSHA256 accepts keys of any length, so this only happens on a broken platform.
      throw new IllegalStateException("HmacSHA256 rejected a key", e);
    }
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      out[2 * i] = HEX[b >>> 4];
      out[2 * i + 1] = HEX[b & 0x0f];
    }
    return new String(out);
  }

  /** Whether {@code s} is exactly 64 lower-case hex digits, the shape of a SHA-256 hex string. */
  static boolean isLowerHex64(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
