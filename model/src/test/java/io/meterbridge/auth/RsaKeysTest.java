package io.meterbridge.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RsaKeysTest {

  static KeyPair key;

  @BeforeAll
  static void generateKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    key = generator.generateKeyPair();
  }

  @Test
  void aPublicKeyWrittenAsPemReadsBackEqual() {
    String pem = RsaKeys.toPem(key.getPublic());

    assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("\n-----END PUBLIC KEY-----\n");
    assertThat(pem.lines().skip(1).limit(5)).allSatisfy(line -> assertThat(line).hasSize(64));
    assertThat(RsaKeys.publicKeyFromPem(pem)).isEqualTo(key.getPublic());
  }

  @Test
  void aPemKeyIsFoundAmongOtherTextAndWindowsLineEnds() {
    String pem = "key version 1\r\n" + RsaKeys.toPem(key.getPublic()).replace("\n", "\r\n") + "trailing";

    assertThat(RsaKeys.publicKeyFromPem(pem)).isEqualTo(key.getPublic());
  }

  @Test
  void aPublicKeyReadsFromDer() {
    RSAPublicKey read = RsaKeys.publicKeyFromDer(key.getPublic().getEncoded());

    assertThat(read).isEqualTo(key.getPublic());
  }

  @Test
  void aPrivateKeyWrittenAsPemReadsBackAndStillSigns() {
    String pem = RsaKeys.toPem(key.getPrivate());
    UsageClaims claims = UsageClaims.builder()
        .productCode("p").publicKeyVersion(1).issuedAt(Instant.EPOCH).build();

    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("\n-----END PRIVATE KEY-----\n");
    String jwt = UsageSignature.sign(claims, RsaKeys.privateKeyFromPem(pem));
    assertThat(UsageSignature.verify(jwt, RsaKeys.publicKeyFromPem(RsaKeys.toPem(key.getPublic()))))
        .isEqualTo(claims);
  }

  @Test
  void textWithoutAPublicKeyBlockIsRejected() {
    assertThatThrownBy(() -> RsaKeys.publicKeyFromPem("hello"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("No \"-----BEGIN PUBLIC KEY-----\" line in the PEM text");
    assertThatThrownBy(() -> RsaKeys.publicKeyFromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("No \"-----END PUBLIC KEY-----\" line in the PEM text");
  }

  @Test
  void aPkcs1PublicKeyIsRejectedWithHowToConvertIt() {
    assertThatThrownBy(() -> RsaKeys.publicKeyFromPem("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("PKCS#1 \"RSA PUBLIC KEY\" PEM is not supported; convert it with"
            + " `openssl rsa -RSAPublicKey_in -pubout` to \"PUBLIC KEY\"");
  }

  @Test
  void aPemBodyThatIsNotAnRsaKeyIsRejected() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    String ecPem = RsaKeys.toPem(ec.generateKeyPair().getPublic());

    assertThatThrownBy(() -> RsaKeys.publicKeyFromPem(ecPem))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Not an RSA public key");
    assertThatThrownBy(() -> RsaKeys.publicKeyFromPem("-----BEGIN PUBLIC KEY-----\n%%%\n-----END PUBLIC KEY-----"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("The PEM body is not base64");
    assertThatThrownBy(() -> RsaKeys.publicKeyFromDer(Base64.getDecoder().decode("AAAA")))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Not an RSA public key");
  }
}
