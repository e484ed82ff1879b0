package io.meterbridge.server.admin;

import io.meterbridge.auth.RsaKeys;
import io.meterbridge.server.ServerClock;
import io.meterbridge.server.http.PlainResponse;
import io.meterbridge.server.metering.Catalog;
import io.meterbridge.server.store.Product;
import io.meterbridge.server.store.SigningKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The public keys of RegisterUsage signatures, for buyers' software to download; no
 * authentication, since public keys are public. Read through the catalog cache.
 *
 * <ul>
 *   <li>{@code GET /keys/{productCode}}: JSON list of versions with their creation and expiry;
 *   <li>{@code GET /keys/{productCode}/{version}.pem}: the PEM ({@code application/x-pem-file}).
 * </ul>
 */
final class KeyDownload {
  static final String PEM = "application/x-pem-file";

  private final Catalog catalog;
  private final ServerClock clock;

  KeyDownload(Catalog catalog, ServerClock clock) {
    this.catalog = catalog;
    this.clock = clock;
  }

  /** {@code GET /keys/{productCode}}: the versions, with their creation and expiry. */
  PlainResponse versions(String productCode) {
    Product product = product(productCode);
    List<SigningKey> keys = catalog.signingKeys(product.productCode());
    Instant now = clock.instant();
    return JsonOut.response(200, json -> {
      json.writeStartObject();
      json.writeStringField("productCode", product.productCode());
      json.writeArrayFieldStart("keys");
      for (SigningKey k : keys) {
        CatalogEndpoints.writeKey(json, k, now);
        json.writeStringField("pem", "/keys/" + product.productCode() + "/" + k.version() + ".pem");
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }).withHeader("Cache-Control", "no-cache");
  }

  /** {@code GET /keys/{productCode}/{version}.pem}: the public key. */
  PlainResponse pem(String productCode, String file) {
    Product product = product(productCode);
    int version = file.endsWith(".pem") ? version(file.substring(0, file.length() - 4)) : -1;
    SigningKey key = catalog.signingKeys(product.productCode()).stream().filter(k -> k.version() == version)
        .findFirst()
        .orElseThrow(() -> AdminException.notFound("No public key " + file + " for product " + product.productCode()
            + "; versions are listed at /keys/" + product.productCode()));
    String pem = RsaKeys.toPem(RsaKeys.publicKeyFromDer(key.publicKey()));
    return PlainResponse.of(200, PEM, pem.getBytes(StandardCharsets.US_ASCII))
        .withHeader("Cache-Control", "public, max-age=300")
        .withHeader("Content-Disposition", "inline; filename=\"" + product.productCode() + "-" + version + ".pem\"");
  }

  private Product product(String productCode) {
    return catalog.product(productCode).orElseThrow(() -> AdminException.notFound("No product " + productCode));
  }

  private static int version(String text) {
    if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Integer.parseInt(text);
  }
}
