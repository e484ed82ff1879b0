package io.meterbridge.auth;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Derives SigV4 signing keys and remembers them.
 *
 * <p>A signing key depends only on the secret, the day, the region and the service, so a client
 * or a server sees a handful of them per day while deriving each costs four HMACs. The cache is
 * bounded crudely (cleared when full) because the working set is tiny and a miss only costs a
 * derivation.
 */
final class SigningKeys {

  private static final int MAX_ENTRIES = 1024;
  private static final ConcurrentHashMap<Key, byte[]> CACHE = new ConcurrentHashMap<>();

  private SigningKeys() {}

  /** The signing key; the returned array is shared and must not be modified. */
  static byte[] signingKey(String secretAccessKey, String date, String region, String service) {
    Key key = new Key(secretAccessKey, date, region, service);
    byte[] derived = CACHE.get(key);
    if (derived == null) {
      derived = derive(secretAccessKey, date, region, service);
      if (CACHE.size() >= MAX_ENTRIES) {
        CACHE.clear();
      }
      CACHE.put(key, derived);
    }
    return derived;
  }

  static byte[] derive(String secretAccessKey, String date, String region, String service) {
    byte[] kDate = Sha256.hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
    byte[] kRegion = Sha256.hmac(kDate, region);
    byte[] kService = Sha256.hmac(kRegion, service);
    return Sha256.hmac(kService, SigV4.TERMINATOR);
  }

  private record Key(String secret, String date, String region, String service) {
    // Written out: the generated ones bootstrap through ObjectMethods on first use, which costs
    // milliseconds before the first signature.
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.secret.equals(secret) && k.date.equals(date)
          && k.region.equals(region) && k.service.equals(service);
    }

    @Override
    public int hashCode() {
      return ((secret.hashCode() * 31 + date.hashCode()) * 31 + region.hashCode()) * 31 + service.hashCode();
    }

    @Override
    public String toString() {
      // The secret is part of the key; never let it reach a log through a debugger or a dump.
      return "Key[" + date + "/" + region + "/" + service + "]";
    }
  }
}
