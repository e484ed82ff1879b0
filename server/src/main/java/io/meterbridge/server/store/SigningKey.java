package io.meterbridge.server.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of a product's RSA key pair, used to sign RegisterUsage JWTs. A version expires when
 * the key is rotated away; {@code expiresAt} is then the rotation time the API reports.
 */
public final class SigningKey {
  private final String productCode;
  private final int version;
  private final byte[] privateKey;
  private final byte[] publicKey;
  private final Instant createdAt;
  private final Instant expiresAt;

  private SigningKey(Builder b) {
    this.productCode = Require.text(b.productCode, "productCode");
    this.version = Require.positive(b.version, "version");
    this.privateKey = Require.present(b.privateKey, "privateKey").clone();
    this.publicKey = Require.present(b.publicKey, "publicKey").clone();
    this.createdAt = Require.present(b.createdAt, "createdAt");
    this.expiresAt = b.expiresAt;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String productCode() {
    return productCode;
  }

  /** The {@code PublicKeyVersion}, 1 and up. */
  public int version() {
    return version;
  }

  /** The private key, PKCS#8 DER bytes (a copy). */
  public byte[] privateKey() {
    return privateKey.clone();
  }

  /** The public key, X.509 SubjectPublicKeyInfo DER bytes (a copy). */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  public Instant createdAt() {
    return createdAt;
  }

  /** When this version was rotated away; empty while it is current. */
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SigningKey k
        && productCode.equals(k.productCode)
        && version == k.version
        && Arrays.equals(privateKey, k.privateKey)
        && Arrays.equals(publicKey, k.publicKey)
        && createdAt.equals(k.createdAt)
        && Objects.equals(expiresAt, k.expiresAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(productCode, version, Arrays.hashCode(publicKey), createdAt, expiresAt);
  }

  @Override
  public String toString() {
    return "SigningKey[productCode=" + productCode + ", version=" + version + ", createdAt=" + createdAt
        + ", expiresAt=" + expiresAt + "]";
  }

  /** Builds a {@link SigningKey}. */
  public static final class Builder {
    private String productCode;
    private int version;
    private byte[] privateKey;
    private byte[] publicKey;
    private Instant createdAt;
    private Instant expiresAt;

    private Builder() {}

    public Builder productCode(String productCode) {
      this.productCode = productCode;
      return this;
    }

    public Builder version(int version) {
      this.version = version;
      return this;
    }

    public Builder privateKey(byte[] pkcs8) {
      this.privateKey = pkcs8;
      return this;
    }

    public Builder publicKey(byte[] x509) {
      this.publicKey = x509;
      return this;
    }

    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = Require.present(expiresAt, "expiresAt");
      return this;
    }

    public SigningKey build() {
      return new SigningKey(this);
    }
  }
}
