package io.meterbridge.server.auth;

import java.util.Map;
import java.util.Optional;

/**
 * Finds the account and secret of an access key id, for {@link SigV4Authenticator}. Called on a
 * network thread for every request: answer from memory (the store keeps a cache), never block.
 *
 * <pre>{@code
 * AccessKeys keys = AccessKeys.of(Map.of("AKIDEXAMPLE", new AccessKey("123456789012", "secret")));
 * }</pre>
 */
@FunctionalInterface
public interface AccessKeys {
  /** The key with this id; empty when there is none. */
  Optional<AccessKey> find(String accessKeyId);

  /** A fixed set of keys, by access key id. */
  static AccessKeys of(Map<String, AccessKey> keys) {
    Map<String, AccessKey> copy = Map.copyOf(keys);
    return id -> Optional.ofNullable(copy.get(id));
  }
}
