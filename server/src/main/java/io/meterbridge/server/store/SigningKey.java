package io.meterbridge.server.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of a product's RSA key pair, used to sign RegisterUsage JWTs. A version expires when
 * the key is rotated away; {@code expiresAt} is then the rotation time the API reports.
 *
 * <p>The key bytes are copied in and out, and compared by content: arrays are the one part of a
 * record the language compares by reference.
 *
 * @param productCode the product
 * @param version the {@code PublicKeyVersion}, 1 and up
 * @param privateKey the private key, PKCS#8 DER bytes (a copy); never printed by {@link #toString()}
 * @param publicKey the public key, X.509 SubjectPublicKeyInfo DER bytes (a copy)
 * @param createdAt when this version was created
 * @param expiresAt when this version was rotated away; empty while it is current
 */
public record SigningKey(
    String productCode, int version, byte[] privateKey, byte[] publicKey, Instant createdAt, Optional<Instant> expiresAt) {

  public SigningKey {
    Require.text(productCode, "productCode");
    Require.positive(version, "version");
    privateKey = Require.present(privateKey, "privateKey").clone();
    publicKey = Require.present(publicKey, "publicKey").clone();
    Require.present(createdAt, "createdAt");
    Require.present(expiresAt, "expiresAt");
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public byte[] privateKey() {
    return privateKey.clone();
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SigningKey k
        && productCode.equals(k.productCode)
        && version == k.version
        && Arrays.equals(privateKey, k.privateKey)
        && Arrays.equals(publicKey, k.publicKey)
        && createdAt.equals(k.createdAt)
        && expiresAt.equals(k.expiresAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(productCode, version, Arrays.hashCode(publicKey), createdAt, expiresAt);
  }

  @Override
  public String toString() {
    return "SigningKey[productCode=" + productCode + ", version=" + version + ", createdAt=" + createdAt
        + ", expiresAt=" + expiresAt.orElse(null) + "]";
  }

  /** Builds a {@link SigningKey}. */
  public static final class Builder {
    private String productCode;
    private int version;
    private byte[] privateKey;
    private byte[] publicKey;
    private Instant createdAt;
    private Optional<Instant> expiresAt = Optional.empty();

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
      this.expiresAt = Optional.of(Require.present(expiresAt, "expiresAt"));
      return this;
    }

    public SigningKey build() {
      return new SigningKey(productCode, version, privateKey, publicKey, createdAt, expiresAt);
    }
  }
}
