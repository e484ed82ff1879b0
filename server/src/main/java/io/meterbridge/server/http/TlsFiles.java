package io.meterbridge.server.http;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS configuration from a PEM certificate chain and a PEM PKCS#8 private key,
 * reloaded when either file changes, so that a renewed certificate (certbot, cert-manager) takes
 * effect without a restart. Connections already open keep the context they started with.
 *
 * <p>Protocols: TLS 1.3 and 1.2 only. Ciphers: the AEAD suites with forward secrecy of Mozilla's
 * "intermediate" profile, those the JDK offers; nothing with CBC, RSA key exchange, SHA-1 or 3DES.
 * The JDK's provider, not OpenSSL's: no native library to ship, and fast enough for a service
 * whose clients keep their connections open.
 *
 * <p>A change that cannot be read (a half-written file, a key that does not match) is logged and
 * the previous context kept; the next check tries again.
 */
final class TlsFiles {
  private static final Logger LOG = LoggerFactory.getLogger(TlsFiles.class);

  static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  static final List<String> CIPHERS = List.of(
      "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private final Path certificate;
  private final Path privateKey;
  private volatile SslContext context;
  private String version;

  private TlsFiles(Path certificate, Path privateKey) {
    this.certificate = certificate;
    this.privateKey = privateKey;
  }

  /**
   * Reads both files.
   *
   * @throws IllegalArgumentException if they are not a PEM certificate chain and its PKCS#8 key
   */
  static TlsFiles load(Path certificate, Path privateKey) {
    TlsFiles files = new TlsFiles(Objects.requireNonNull(certificate, "certificate"),
        Objects.requireNonNull(privateKey, "privateKey"));
    files.version = files.version();
    files.context = files.build();
    return files;
  }

  /** The context new connections use. */
  SslContext context() {
    return context;
  }

  /** Reloads the files if they changed since the last load; keeps the current context if they cannot be read. */
  void reloadIfChanged() {
    String now = version();
    if (now.equals(version)) {
      return;
    }
    try {
      context = build();
      version = now;
      LOG.info("TLS certificate {} reloaded", certificate);
    } catch (RuntimeException e) {
      LOG.warn("TLS certificate {} or key {} changed but cannot be used yet ({}); still serving the previous one",
          certificate, privateKey, e.getMessage());
    }
  }

  /** What changes when either file is replaced or rewritten: modification times and sizes. */
  private String version() {
    try {
      return Files.getLastModifiedTime(certificate) + "/" + Files.size(certificate) + " "
          + Files.getLastModifiedTime(privateKey) + "/" + Files.size(privateKey);
    } catch (IOException e) {
      return "unreadable: " + e;
    }
  }

  private SslContext build() {
    try {
      return SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile())
          .sslProvider(SslProvider.JDK)
          .protocols(PROTOCOLS)
          .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
          .build();
    } catch (IOException | RuntimeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalArgumentException("Cannot use TLS certificate " + certificate + " with key " + privateKey
          + ": " + cause.getMessage() + " (expected a PEM certificate chain and a PEM PKCS#8 private key,"
          + " BEGIN CERTIFICATE and BEGIN PRIVATE KEY)", e);
    }
  }

  @Override
  public String toString() {
    return "TLS[" + certificate + "]";
  }
}
