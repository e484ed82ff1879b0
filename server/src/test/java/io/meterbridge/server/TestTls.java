package io.meterbridge.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority and server certificates made for one test, with the JDK's own keytool
 * (no library: keytool signs, and a few lines of Java write the private key as PEM, which keytool
 * cannot). The server certificate names 127.0.0.1 and localhost. EC P-256 keys: quick to make.
 */
public final class TestTls {
  private static final String PASSWORD = "test-only";
  private static TestTls shared;

  private final Path dir;
  private int issued;
  private Issued localhost;

  /**
   * One CA for the whole test run (each keytool run starts a JVM: a CA and a certificate cost
   * seconds), in a temporary directory removed when the JVM exits.
   */
  public static synchronized TestTls shared() {
    if (shared == null) {
      try {
        Path dir = Files.createTempDirectory("meterbridge-tls");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteAll(dir)));
        shared = new TestTls(dir);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return shared;
  }

  /** A certificate for 127.0.0.1 and localhost ({@code CN=localhost}), issued once. */
  public synchronized Issued localhost() {
    if (localhost == null) {
      localhost = issue("localhost");
    }
    return localhost;
  }

  private static void deleteAll(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: the system cleans it eventually
    }
  }

  /** A new CA in {@code dir}. */
  public TestTls(Path dir) {
    this.dir = dir;
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=Meterbridge Test CA", "-ext", "BasicConstraints:critical=ca:true",
        "-ext", "KeyUsage:critical=keyCertSign,cRLSign", "-validity", "2",
        "-keystore", dir.resolve("ca.p12").toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    keytool("-exportcert", "-alias", "ca", "-rfc", "-keystore", dir.resolve("ca.p12").toString(),
        "-storepass", PASSWORD, "-file", ca().toString());
  }

  /** The CA certificate, PEM. */
  public Path ca() {
    return dir.resolve("ca.pem");
  }

  /** A server certificate and key issued by the CA; each call issues a new pair. */
  public synchronized Issued issue(String commonName) {
    int n = ++issued;
    Path store = dir.resolve("server-" + n + ".p12");
    Path csr = dir.resolve("server-" + n + ".csr");
    Path cert = dir.resolve("server-" + n + ".crt");
    keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=" + commonName, "-validity", "2",
        "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    keytool("-certreq", "-alias", "server", "-keystore", store.toString(), "-storepass", PASSWORD,
        "-file", csr.toString());
    keytool("-gencert", "-alias", "ca", "-keystore", dir.resolve("ca.p12").toString(), "-storepass", PASSWORD,
        "-infile", csr.toString(), "-outfile", cert.toString(), "-rfc", "-validity", "2",
        "-ext", "SubjectAlternativeName=ip:127.0.0.1,dns:localhost", "-ext", "ExtendedKeyUsage=serverAuth");
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        keys.load(in, PASSWORD.toCharArray());
      }
      PrivateKey key = (PrivateKey) keys.getKey("server", PASSWORD.toCharArray());
      Path chain = dir.resolve("server-" + n + "-chain.pem");
      Files.writeString(chain, Files.readString(cert) + Files.readString(ca()));
      Path pem = dir.resolve("server-" + n + "-key.pem");
      Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
          + "\n-----END PRIVATE KEY-----\n");
      return new Issued(chain, pem, commonName);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot export the test key", e);
    }
  }

  /** A certificate chain and its key, as PEM files. */
  public record Issued(Path certificate, Path privateKey, String commonName) {}

  /** Trust managers that trust this CA only. */
  public TrustManager[] trustManagers() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(ca())) {
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        trust.setCertificateEntry("ca", ca);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      return factory.getTrustManagers();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the test CA", e);
    }
  }

  /** A TLS context that trusts this CA only. */
  public SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private void keytool(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.add("-noprompt");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: "
            + new String(output, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
