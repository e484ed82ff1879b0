package io.meterbridge.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * Reads and writes the RSA keys of RegisterUsage signatures: public keys as PEM
 * ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo, the form AWS Marketplace hands
 * to sellers) or DER, and private keys as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}).
 *
 * <pre>{@code
 * RSAPublicKey key = RsaKeys.publicKeyFromPem(Files.readString(Path.of("public-key-v1.pem")));
 * String pem = RsaKeys.toPem(keyPair.getPublic());
 * }</pre>
 */
public final class RsaKeys {

  private static final String PUBLIC = "PUBLIC KEY";
  private static final String PRIVATE = "PRIVATE KEY";

  private RsaKeys() {}

  /**
   * Reads an RSA public key from PEM text; text around the PEM block is ignored.
   *
   * <pre>{@code
   * RSAPublicKey key = RsaKeys.publicKeyFromPem("-----BEGIN PUBLIC KEY-----\nMIIBIjANBg...\n-----END PUBLIC KEY-----\n");
   * }</pre>
   *
   * @throws IllegalArgumentException if there is no {@code PUBLIC KEY} block, or it does not hold
   *     an RSA key
   */
  public static RSAPublicKey publicKeyFromPem(String pem) {
    return publicKeyFromDer(pemBody(pem, PUBLIC));
  }

  /**
   * Reads an RSA public key from DER bytes (X.509 SubjectPublicKeyInfo).
   *
   * <pre>{@code
   * RSAPublicKey key = RsaKeys.publicKeyFromDer(Files.readAllBytes(Path.of("public-key-v1.der")));
   * }</pre>
   *
   * @throws IllegalArgumentException if the bytes are not an RSA SubjectPublicKeyInfo
   */
  public static RSAPublicKey publicKeyFromDer(byte[] der) {
    Objects.requireNonNull(der, "der");
    try {
      return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("Not an RSA public key (X.509 SubjectPublicKeyInfo): " + e.getMessage(), e);
    }
  }

  /**
   * Reads an RSA private key from PKCS#8 PEM text ({@code -----BEGIN PRIVATE KEY-----}).
   *
   * <pre>{@code
   * RSAPrivateKey key = RsaKeys.privateKeyFromPem(Files.readString(Path.of("signing-key-v1.pem")));
   * }</pre>
   *
   * @throws IllegalArgumentException if there is no {@code PRIVATE KEY} block, or it does not hold
   *     an RSA key
   */
  public static RSAPrivateKey privateKeyFromPem(String pem) {
    byte[] der = pemBody(pem, PRIVATE);
    try {
      return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("Not an RSA private key (PKCS#8): " + e.getMessage(), e);
    }
  }

  /**
   * Writes a public key as PEM, 64 characters a line, ending with a newline.
   *
   * <pre>{@code
   * Files.writeString(Path.of("public-key-v1.pem"), RsaKeys.toPem(keyPair.getPublic()));
   * }</pre>
   *
   * @throws IllegalArgumentException if the key has no X.509 encoding
   */
  public static String toPem(PublicKey key) {
    return pem(PUBLIC, key.getFormat(), "X.509", key.getEncoded());
  }

  /**
   * Writes a private key as PKCS#8 PEM. Whoever holds the result can sign usage: store it as a
   * secret.
   *
   * <pre>{@code
   * String secret = RsaKeys.toPem(keyPair.getPrivate());
   * }</pre>
   *
   * @throws IllegalArgumentException if the key has no PKCS#8 encoding (a key held in hardware)
   */
  public static String toPem(PrivateKey key) {
    return pem(PRIVATE, key.getFormat(), "PKCS#8", key.getEncoded());
  }

  private static String pem(String label, String format, String expectedFormat, byte[] der) {
    if (!expectedFormat.equals(format) || der == null) {
      throw new IllegalArgumentException("The key's encoding is " + format + ", not " + expectedFormat);
    }
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  private static byte[] pemBody(String pem, String label) {
    Objects.requireNonNull(pem, "pem");
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int start = pem.indexOf(begin);
    if (start < 0) {
      if (pem.contains("-----BEGIN RSA " + label + "-----")) {
        // PKCS#1 is another structure, not just another label; say how to convert rather than guess.
        throw new IllegalArgumentException("PKCS#1 \"RSA " + label + "\" PEM is not supported; convert it with"
            + " `openssl " + (label.equals(PUBLIC) ? "rsa -RSAPublicKey_in -pubout" : "pkcs8 -topk8 -nocrypt")
            + "` to \"" + label + "\"");
      }
      throw new IllegalArgumentException("No \"" + begin + "\" line in the PEM text");
    }
    int stop = pem.indexOf(end, start);
    if (stop < 0) {
      throw new IllegalArgumentException("No \"" + end + "\" line in the PEM text");
    }
    String body = pem.substring(start + begin.length(), stop).replaceAll("\\s+", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("The PEM body is not base64: " + e.getMessage(), e);
    }
  }
}
