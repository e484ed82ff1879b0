package io.meterbridge.client.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A CA bundle (a PEM file of certificates, as {@code AWS_CA_BUNDLE} names) as an
 * {@link SSLContext} that trusts those authorities, and only those, as the AWS CLI and SDKs do
 * with a bundle. Text between the {@code BEGIN}/{@code END CERTIFICATE} blocks (the comments
 * bundles carry) is ignored.
 */
final class TrustBundle {
  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
  private static final String END = "-----END CERTIFICATE-----";

  private TrustBundle() {}

  /**
   * @throws IllegalStateException if the file cannot be read or holds no certificate; the
   *     message names the file and {@code source} (the setting it came from)
   */
  static SSLContext sslContext(Path pem, String source) {
    String text;
    try {
      text = Files.readString(pem, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read the CA bundle " + pem + " (" + source + "): "
          + e.getMessage(), e);
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      int count = 0;
      int from = 0;
      while (true) {
        int begin = text.indexOf(BEGIN, from);
        if (begin < 0) {
          break;
        }
        int end = text.indexOf(END, begin);
        if (end < 0) {
          break;
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end));
        Certificate certificate = factory.generateCertificate(new ByteArrayInputStream(der));
        store.setCertificateEntry("ca-" + count++, certificate);
        from = end + END.length();
      }
      if (count == 0) {
        throw new IllegalStateException("The CA bundle " + pem + " (" + source + ") holds no "
            + BEGIN + " block; give a PEM file of CA certificates");
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(
          TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      throw new IllegalStateException("The CA bundle " + pem + " (" + source + ") is not a PEM file"
          + " of certificates: " + e.getMessage(), e);
    }
  }
}
